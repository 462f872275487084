// @ts-check
'use strict';
/** GET /scheduler (executing jobs grouped by account) and DELETE /scheduler/{jobid} (cancel). */
const { sweep, cancelJob } = require('../jobs');

/** @typedef {import('../state').State} State */

/**
 * Jobs still `created`, with jobid, submitId, model, elapsedSeconds and replyUrl when set.
 * @param {State} s
 */
function listExecuting(s) {
	sweep(s);
	/** @type {Record<string, Array<Record<string, unknown>>>} */
	const executing = {};
	let total = 0;
	const now = Date.now();
	for (const [jobid, job] of s.jobs) {
		const m = s.meta.get(jobid);
		if (job.status !== 'created' || !m || !s.accounts.has(m.account)) continue;
		/** @type {Record<string, unknown>} */
		const entry = {
			jobid,
			submitId: m.submitId,
			model: job.model,
			elapsedSeconds: Math.floor((now - m.createdAt) / 1000),
		};
		if (m.replyUrl) entry.replyUrl = m.replyUrl;
		(executing[m.account] ??= []).push(entry);
		total++;
	}
	return { executing, total };
}

/**
 * @param {State} s
 * @param {string} jobid
 */
const cancel = (s, jobid) => cancelJob(s, jobid);

module.exports = { listExecuting, cancel };
