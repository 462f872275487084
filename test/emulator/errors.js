// @ts-check
'use strict';
/** The API's error answers: an HTTP status and the `{"error": "..."}` message. */

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} message
	 */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/** @param {string} message */
const bad = (message) => new ApiError(400, message);

/** @param {string} account */
const accountNotFound = (account) =>
	new ApiError(404, `Unable to find configuration for account ${account}`);

const sessionExpired = () => new ApiError(596, 'Session expired');
const atCapacity = () => new ApiError(429, 'All accounts at capacity');
const notFound = (message = 'Not found') => new ApiError(404, message);

module.exports = { ApiError, bad, accountNotFound, sessionExpired, atCapacity, notFound };
