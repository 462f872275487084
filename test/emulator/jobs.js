// @ts-check
'use strict';
/**
 * The job lifecycle: created (occupies its account's capacity, shows in GET /scheduler) →
 * completed or failed (due time reached, [fail:CODE], timeout, cancel, or a test's control call).
 * Every change is followed by the replyUrl callback (callbacks.js).
 */
const { randomUUID } = require('node:crypto');

const { FAILURES, CANCEL_CODE } = require('./catalog');
const { ApiError } = require('./errors');
const { drawDuration, executing } = require('./state');
const { notify } = require('./callbacks');
const { videoResult, imageResult } = require('./results');
const { pad, randStr, snapshot } = require('./util');

/** @typedef {import('./state').State} State */
/** @typedef {import('./state').AccountState} AccountState */
/** @typedef {import('./types').JobRecord} JobRecord */
/** @typedef {import('./types').JobType} JobType */
/** @typedef {JobType | 'video-full-quality'} JobKind */
/** @typedef {import('./validation/video').JobPlan} JobPlan */

const USER_ID = 'u12345';
/**
 * What each creating endpoint makes: the record's `type` and the jobid's kind letter. The docs show
 * `V` (video-upscale) and `F` (video-interpolate); the full-quality letter and type are not
 * documented: a finished draft is "a normal video job" (type `video`) and gets `Q`, a letter no
 * client can know, so a client that needs it fails here first.
 * @type {Record<JobKind, { type: JobType; letter: string }>}
 */
const KINDS = {
	video: { type: 'video', letter: 'v' },
	image: { type: 'image', letter: 'i' },
	upscale: { type: 'upscale', letter: 'I' },
	'video-upscale': { type: 'video-upscale', letter: 'V' },
	'video-interpolate': { type: 'video-interpolate', letter: 'F' },
	'video-full-quality': { type: 'video', letter: 'Q' },
};

/**
 * A jobid like the API's: time stamp, random digits, kind letter, user, account.
 * @param {State} s
 * @param {JobKind} kind
 * @param {string} account
 */
function newJobId(s, kind, account) {
	for (;;) {
		const d = new Date();
		const stamp = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`;
		const id = `j${stamp}${randStr(6, '0123456789')}${KINDS[kind].letter}-${USER_ID}-${account}-bot:dreamina`;
		if (!s.jobs.has(id)) return id;
	}
}

/**
 * Create a job from a validated plan; posts the `created` callback.
 * @param {State} s
 * @param {JobKind} kind
 * @param {JobPlan} plan
 * @returns {JobRecord} a snapshot of the record
 */
function createJob(s, kind, plan) {
	const { type } = KINDS[kind];
	const now = Date.now();
	const account = plan.acct.account;
	const jobid = newJobId(s, kind, account);
	/** @type {JobRecord} */
	const job = {
		jobid,
		type,
		status: 'created',
		model: plan.model,
		created: new Date(now).toISOString(),
		request: plan.request,
		response: { forecastCost: plan.cost },
		code: 200,
	};
	s.jobs.set(jobid, job);
	s.meta.set(jobid, {
		...plan.out,
		account,
		kind: type,
		createdAt: now,
		dueAt: plan.trig.slow ? null : now + Math.max(0, drawDuration(s, type)),
		failCode: plan.trig.failCode,
		submitId: randomUUID(),
		cbChain: Promise.resolve(),
	});
	s.maxConcurrent[account] = Math.max(s.maxConcurrent[account] ?? 0, executing(s, account));
	notify(s, jobid);
	return snapshot(job);
}

/**
 * Complete due jobs, time out stale ones (run by a ticker and before every request).
 * @param {State} s
 */
function sweep(s) {
	const now = Date.now();
	for (const [jobid, job] of s.jobs) {
		if (job.status !== 'created') continue;
		const m = s.meta.get(jobid);
		if (!m) continue;
		if (now - m.createdAt >= s.opts.jobTimeoutMs) finishFail(s, job, 408);
		else if (m.dueAt !== null && now >= m.dueAt) {
			if (m.failCode !== undefined) finishFail(s, job, m.failCode);
			else finishOk(s, job);
		}
	}
}

/**
 * The status changes first, so the job has left GET /scheduler before its callback is posted.
 * @param {State} s
 * @param {JobRecord} job
 */
function finishOk(s, job) {
	const m = s.meta.get(job.jobid);
	if (!m) return;
	const now = Date.now();
	const result = isVideoType(job.type) ? videoResult(s, job, m, now) : imageResult(s, job, m, now);
	s.accounts.get(m.account)?.history.unshift(...result.history);
	job.response = result.response;
	job.status = 'completed';
	job.updated = new Date(now).toISOString();
	job.code = 200;
	notify(s, job.jobid);
}

/**
 * @param {State} s
 * @param {JobRecord} job
 * @param {number} code
 * @param {string} [error]
 */
function finishFail(s, job, code, error) {
	const known = FAILURES[code];
	job.status = 'failed';
	job.updated = new Date().toISOString();
	delete job.response;
	job.error = error ?? known?.error ?? `fail_code: ${code}`;
	const details = known?.errorDetails ?? (error ? undefined : 'Upstream error');
	if (details !== undefined) job.errorDetails = details;
	else delete job.errorDetails;
	job.code = code;
	notify(s, job.jobid);
}

/**
 * A job that is still `created` (for control calls; throws a plain Error otherwise).
 * @param {State} s
 * @param {string} jobid
 */
function mustBeCreated(s, jobid) {
	const job = s.jobs.get(jobid);
	if (!job) throw new Error(`Job ${jobid} not found`);
	if (job.status !== 'created') throw new Error(`Job ${jobid} is ${job.status}, not created`);
	return job;
}

/**
 * Complete several jobs at once: all are checked first (nothing changes if one is not `created`),
 * then completed together, so their callbacks go out concurrently.
 * @param {State} s
 * @param {string[]} jobids
 * @returns {JobRecord[]} snapshots of the completed records
 */
function completeJobs(s, jobids) {
	const problems = jobids.filter((id) => s.jobs.get(id)?.status !== 'created');
	if (problems.length)
		throw new Error(`Not created (or unknown), nothing completed: ${problems.join(', ')}`);
	const jobs = jobids.map((id) => mustBeCreated(s, id));
	for (const job of jobs) finishOk(s, job);
	return jobs.map((job) => snapshot(job));
}

/**
 * @param {State} s
 * @param {string} jobid
 * @returns {import('./types').JobTiming}
 */
function jobTiming(s, jobid) {
	const m = s.meta.get(jobid);
	if (!m) throw new Error(`Job ${jobid} not found`);
	return {
		createdAt: m.createdAt,
		dueAt: m.dueAt,
		durationMs: m.dueAt === null ? null : m.dueAt - m.createdAt,
	};
}

/**
 * GET /videos/{jobid} and GET /images/{jobid}.
 * @param {State} s
 * @param {string} jobid
 * @param {JobType[]} types
 */
function getJob(s, jobid, types) {
	sweep(s);
	const job = s.jobs.get(jobid);
	if (!job || !types.includes(job.type)) throw new ApiError(404, 'Job not found');
	return job;
}

/**
 * DELETE /scheduler/{jobid}: an executing job fails "Cancelled by user".
 * @param {State} s
 * @param {string} jobid
 */
function cancelJob(s, jobid) {
	const job = s.jobs.get(jobid);
	if (!job) throw new ApiError(404, 'Job not found');
	if (job.status === 'created') finishFail(s, job, CANCEL_CODE, 'Cancelled by user');
	return { jobid, removed: true };
}

/** @param {JobType} type */
const isVideoType = (type) => type === 'video' || type.startsWith('video-');

module.exports = {
	isVideoType,
	createJob,
	sweep,
	finishOk,
	finishFail,
	completeJobs,
	jobTiming,
	mustBeCreated,
	getJob,
	cancelJob,
};
