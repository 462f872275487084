// @ts-check
'use strict';
/**
 * replyUrl callbacks: the job record is POSTed on submission (`created`) and on completion or
 * failure. Like the real API, one attempt waits at most callbackTimeoutMs (10 s) and a failed one
 * is not retried unless callbackRetries says so. One job's callbacks go out in order; different
 * jobs' callbacks go out concurrently. Every attempt is recorded with its answer and latency.
 */
const { performance } = require('node:perf_hooks');

const { delay, snapshot } = require('./util');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').JobRecord} JobRecord */
/** @typedef {import('./types').CallbackRecord} CallbackRecord */

const RETRY_PAUSE_MS = 100;

/**
 * Queue the callback for the job's current record (call it after the status changed: a finished
 * job has then left GET /scheduler before its callback is posted).
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
 * @param {JobRecord} body
 */
async function deliver(s, url, body) {
	const generation = s.generation;
	const attempts = 1 + Math.max(0, s.opts.callbackRetries);
	for (let attempt = 1; attempt <= attempts; attempt++) {
		if (s.closed || generation !== s.generation) return;
		const sentAt = Date.now();
		const started = performance.now();
		const status = await post(url, body, s.opts.callbackTimeoutMs);
		const latencyMs = Math.round((performance.now() - started) * 100) / 100;
		if (generation !== s.generation) return; // reset() happened meanwhile
		/** @type {CallbackRecord} */
		const record = {
			url,
			jobid: body.jobid,
			jobStatus: body.status,
			status,
			latencyMs,
			attempt,
			body,
			sentAt,
			time: Date.now(),
		};
		s.callbacks.push(record);
		if (typeof status === 'number' && status >= 200 && status < 300) return;
		if (attempt < attempts) await delay(RETRY_PAUSE_MS);
	}
}

/**
 * One POST; resolves with the HTTP status, 'timeout', or 'error' (no connection, reset).
 * @param {string} url
 * @param {unknown} body
 * @param {number} timeoutMs
 * @returns {Promise<number | 'error' | 'timeout'>}
 */
async function post(url, body, timeoutMs) {
	try {
		const r = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		await r.arrayBuffer().catch(() => undefined);
		return r.status;
	} catch (e) {
		return /** @type {Error} */ (e)?.name === 'TimeoutError' ? 'timeout' : 'error';
	}
}

module.exports = { notify };
