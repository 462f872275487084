// @ts-check
'use strict';
/**
 * The Dreamina API emulator running as a child process (cluster.js), driven over HTTP: its
 * control API (`/__emulator/...`, see test/emulator/README.md) and the API itself with the token.
 */

/** @typedef {import('../emulator/server').RecordedRequest} RecordedRequest */
/** @typedef {import('../emulator/server').JobRecord} JobRecord */
/** @typedef {import('../emulator/server').CallbackRecord} CallbackRecord */
/** @typedef {import('../emulator/server').EmulatorOptions} EmulatorOptions */

class EmulatorClient {
	/** @param {{ baseUrl: string, origin: string, token: string }} info */
	constructor(info) {
		this.baseUrl = info.baseUrl;
		this.origin = info.origin;
		this.token = info.token;
	}

	/**
	 * @param {string} method
	 * @param {string} route   after /__emulator/
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async control(method, route, body) {
		const res = await fetch(`${this.origin}/__emulator/${route}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const parsed = await res.json();
		if (res.status >= 400)
			throw new Error(`emulator ${method} ${route} -> ${res.status}: ${JSON.stringify(parsed)}`);
		return parsed;
	}

	/** @returns {Promise<RecordedRequest[]>} every API request since the last clear */
	requests() {
		return this.control('GET', 'requests');
	}
	/** @returns {Promise<JobRecord[]>} */
	jobs() {
		return this.control('GET', 'jobs');
	}
	/** @returns {Promise<CallbackRecord[]>} the replyUrl POSTs it made */
	callbacks() {
		return this.control('GET', 'callbacks');
	}
	/** @returns {Promise<{ maxConcurrent: Record<string, number>, executing: Record<string, number>, jobs: number, requests: number }>} */
	stats() {
		return this.control('GET', 'stats');
	}
	/** Back to the options it was started with; jobs, requests, callbacks and faults cleared. */
	reset() {
		return this.control('POST', 'reset');
	}
	/** @param {Partial<EmulatorOptions>} options */
	setOptions(options) {
		return this.control('POST', 'options', options);
	}
	/** @param {string} jobid */
	completeJob(jobid) {
		return this.control('POST', `jobs/${encodeURIComponent(jobid)}/complete`);
	}

	/**
	 * The API itself, with the token.
	 * @param {string} method
	 * @param {string} apiPath   after /v1/dreamina, e.g. '/videos'
	 * @param {unknown} [body]
	 * @returns {Promise<{ status: number, body: any }>}
	 */
	async api(method, apiPath, body) {
		const res = await fetch(`${this.baseUrl}${apiPath}`, {
			method,
			headers: {
				authorization: `Bearer ${this.token}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		/** @type {any} */
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, body: parsed };
	}
}

module.exports = { EmulatorClient };
