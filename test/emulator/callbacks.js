// @ts-check
'use strict';
/**
 * replyUrl callbacks: the job record is POSTed on submission and on completion/failure. One job's
 * callbacks go out in order; different jobs' callbacks go out concurrently.
 */
const { delay, snapshot } = require('./util');

/** @typedef {import('./state').State} State */

const ATTEMPT_TIMEOUT_MS = 5000;

/**
 * Queue the callback for the job's current record.
 * @param {State} s
 * @param {string} jobid
 */
function notify(s, jobid) {
	const m = s.meta.get(jobid);
	const job = s.jobs.get(jobid);
	if (!m || !job || !m.replyUrl) return;
	const url = m.replyUrl;
	const body = snapshot(job);
	m.cbChain = m.cbChain.then(() => deliver(s, url, body)).catch(() => undefined);
}

/**
 * @param {State} s
 * @param {string} url
 * @param {unknown} body
 */
async function deliver(s, url, body) {
	const generation = s.generation;
	for (let attempt = 0; attempt <= s.opts.callbackRetries; attempt++) {
		if (s.closed || generation !== s.generation) return;
		const status = await post(url, body);
		if (generation !== s.generation) return; // reset() happened meanwhile
		s.callbacks.push({ url, status, body, time: Date.now() });
		if (status !== 'error' && status >= 200 && status < 300) return;
		if (attempt < s.opts.callbackRetries) await delay(100);
	}
}

/**
 * @param {string} url
 * @param {unknown} body
 * @returns {Promise<number | 'error'>}
 */
async function post(url, body) {
	try {
		const r = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
		});
		await r.arrayBuffer().catch(() => undefined);
		return r.status;
	} catch {
		return 'error';
	}
}

module.exports = { notify };
