// @ts-check
'use strict';
/** GET /accounts, GET /accounts/{account}, POST /accounts, DELETE /accounts/{account}. */
const { ApiError, bad } = require('../errors');
const { getAccount, makeAccount } = require('../state');
const { optString, optNumber } = require('../validation/params');

/** @typedef {import('../state').State} State */
/** @typedef {import('../state').AccountState} AccountState */

const DAY_MS = 86_400_000;

/** @param {AccountState} a */
function summary(a) {
	/** @type {Record<string, unknown>} */
	const s = {
		account: a.account,
		email: a.email,
		region: a.region,
		maxJobs: a.maxJobs,
		sessionExpires: a.sessionExpires,
	};
	if (a.sessionExpired) s.error = 'Session expired';
	return s;
}

/**
 * The summary plus live data (session, models, credits), unless upstream fails for the account.
 * @param {AccountState} a
 */
function live(a) {
	const s = summary(a);
	if (a.liveDataFails || a.sessionExpired) return s;
	const vip = Math.min(a.credits, 12000);
	const gift = Math.min(a.credits - vip, 10065);
	return {
		...s,
		session: {
			expires: a.sessionExpires,
			lastRefreshed: a.lastRefreshed,
			daysUntilExpiry: Math.max(
				0,
				Math.floor((Date.parse(a.sessionExpires) - Date.now()) / DAY_MS),
			),
		},
		models: { video: [...a.models.video], image: [...a.models.image] },
		credits: { total: a.credits, vip, gift, purchase: a.credits - vip - gift, dailyClaimed: true },
	};
}

/** @param {State} s */
function listAccounts(s) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const a of s.accounts.values()) out[a.account] = summary(a);
	return out;
}

/**
 * @param {State} s
 * @param {string} id
 */
const showAccount = (s, id) => live(getAccount(s, id));

/**
 * @param {State} s
 * @param {Record<string, unknown>} body
 */
function addAccount(s, body) {
	const email = optString(body, 'email');
	if (!email) throw bad('Parameter email is required');
	if (!/^[^@\s]+@[^@\s]+$/.test(email))
		throw bad(`Parameter email (${email}) is not a valid email address`);
	const password = optString(body, 'password');
	if (!password) throw bad('Parameter password is required');
	const region = optString(body, 'region');
	if (!region) throw bad('Parameter region is required');
	if (region !== 'US' && region !== 'CA')
		throw bad(`Parameter region (${region}) valid values: US, CA`);
	const maxJobs = optNumber(body, 'maxJobs', 1, 50, true) ?? 10;
	if (password === 'wrong') throw new ApiError(500, 'Login failed: invalid credentials');
	const state = makeAccount({ email, region, maxJobs }, Date.now());
	const existing = s.accounts.get(state.account);
	if (existing) state.history = existing.history; // re-adding keeps the upstream history
	s.accounts.set(state.account, state);
	return live(state);
}

/**
 * @param {State} s
 * @param {string} id
 */
function deleteAccount(s, id) {
	getAccount(s, id);
	s.accounts.delete(id);
	return { account: id, deleted: true, remaining: s.accounts.size };
}

module.exports = { listAccounts, showAccount, addAccount, deleteAccount };
