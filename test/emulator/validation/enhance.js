// @ts-check
'use strict';
/**
 * POST /videos/full-quality, /videos/upscale and /videos/interpolate: a completed source job of
 * POST /videos becomes a new video job on the source's account. Sources (README "Enhancing videos"):
 * useapi.net/docs/api-dreamina-v1/post-dreamina-videos-full-quality (2026-11-12),
 * post-dreamina-videos-upscale and post-dreamina-videos-interpolate (2026-04-02), and the MCP tools
 * on glama.ai/mcp/connectors/net.useapi/dreamina (2026-11).
 */
const C = require('../catalog');
const { ApiError, bad } = require('../errors');
const { getAccount, ensureUsable } = require('../state');
const { optString, optNumber, optEnum, optUrl, triggers } = require('./params');

/** @typedef {import('../state').State} State */
/** @typedef {import('../state').JobMeta} JobMeta */
/** @typedef {import('../types').JobRecord} JobRecord */
/** @typedef {import('../types').JobType} JobType */
/** @typedef {import('./video').JobPlan} JobPlan */
/** @typedef {Record<string, unknown>} Body */

/**
 * The source job and what it produced; 404 when there is no such video job.
 * @param {State} s
 * @param {string} jobid
 * @returns {{ src: JobRecord; meta: JobMeta }}
 */
function sourceVideo(s, jobid) {
	const src = s.jobs.get(jobid);
	const meta = s.meta.get(jobid);
	if (!src || !meta || !src.type.startsWith('video'))
		throw new ApiError(404, 'Source video not found');
	if (src.status !== 'completed') throw bad(`Source video job is ${src.status}, must be completed`);
	return { src, meta };
}

/**
 * A live (not failed) job of this type already made from the source: each video once.
 * @param {State} s
 * @param {string} jobid
 * @param {JobType} type
 */
const madeFrom = (s, jobid, type) =>
	[...s.jobs.values()].find(
		(j) => j.type === type && j.request.jobid === jobid && j.status !== 'failed',
	);

/**
 * The parameters every enhancement takes, and the source's account with room for a job.
 * @param {State} s
 * @param {Body} body
 */
function common(s, body) {
	const jobid = optString(body, 'jobid');
	if (!jobid) throw bad('Parameter jobid is required');
	const maxJobs = optNumber(body, 'maxJobs', 1, 50, true);
	const replyUrl = optUrl(body, 'replyUrl');
	const replyRef = optString(body, 'replyRef');
	const { src, meta } = sourceVideo(s, jobid);
	return { jobid, maxJobs, replyUrl, replyRef, src, meta, acct: getAccount(s, meta.account) };
}

/**
 * @param {ReturnType<typeof common>} c
 * @param {State} s
 * @param {Record<string, unknown>} extra request fields besides jobid
 * @param {number} cost
 * @param {{ width: number; height: number }} dims
 * @returns {JobPlan}
 */
function plan(s, c, extra, cost, dims) {
	ensureUsable(s, c.acct, c.maxJobs);
	/** @type {Record<string, unknown>} */
	const request = { jobid: c.jobid, ...extra };
	if (c.replyUrl) request.replyUrl = c.replyUrl;
	if (c.replyRef !== undefined) request.replyRef = c.replyRef;
	return {
		acct: c.acct,
		model: c.src.model,
		request,
		cost,
		trig: triggers([c.replyRef]),
		out: {
			...dims,
			durationS: c.meta.durationS,
			hasAudio: c.meta.hasAudio,
			description: c.meta.description,
			replyUrl: c.replyUrl,
		},
	};
}

/** @param {JobRecord} src */
const isDraft = (src) => src.model === C.FULL_QUALITY.draftModel;

/**
 * POST /videos/full-quality: a completed seedance-2.5-draft generation, at 1080p or (CA) 4k.
 * @param {State} s
 * @param {Body} body
 * @returns {JobPlan}
 */
function planFullQuality(s, body) {
	const resolution = optEnum(body, 'resolution', ['1080p', '4k']) ?? '1080p';
	const c = common(s, body);
	if (c.src.type !== 'video' || !isDraft(c.src))
		throw bad(
			`Source video job (model ${c.src.model}) is not a ${C.FULL_QUALITY.draftModel} job, use POST /videos/upscale`,
		);
	if (Date.now() - c.meta.createdAt > C.FULL_QUALITY.draftKeptMs)
		throw bad('Source draft is older than 14 days and can no longer be finished');
	const allowed = C.FULL_QUALITY.resolutions[c.acct.region];
	if (!allowed.includes(resolution))
		throw bad(
			`Parameter resolution (${resolution}) valid values in region ${c.acct.region}: ${allowed.join(', ')}`,
		);
	const ratio = C.closestRatio(c.meta.width, c.meta.height, C.ALL_VIDEO_RATIOS);
	const caps = C.videoCaps(C.FULL_QUALITY.finalModel);
	const cost = caps.creditsPerSecond * (c.meta.durationS ?? 5) * (resolution === '4k' ? 3 : 1.5);
	const dims = C.videoDims(ratio, resolution);
	// A finished draft is a seedance-2.5 video (it costs what seedance-2.5 costs), so it can be
	// upscaled (1080p) and interpolated like one.
	return {
		...plan(s, c, { resolution }, Math.round(cost), dims),
		model: C.FULL_QUALITY.finalModel,
	};
}

/**
 * POST /videos/upscale: a completed generation (or full-quality) job, not a draft, once per video;
 * width and height double.
 * @param {State} s
 * @param {Body} body
 * @returns {JobPlan}
 */
function planVideoUpscale(s, body) {
	const c = common(s, body);
	if (c.src.type !== 'video')
		throw bad(`Source video job is a ${c.src.type} job, must be a POST /videos generation job`);
	if (isDraft(c.src))
		throw bad('Source video job is a seedance-2.5-draft, finish it with POST /videos/full-quality');
	const done = madeFrom(s, c.jobid, 'video-upscale');
	if (done) throw bad(`Source video already upscaled: ${done.jobid}`);
	const dims = { width: c.meta.width * 2, height: c.meta.height * 2 };
	return plan(s, c, {}, C.VIDEO_UPSCALE_COST, dims);
}

/**
 * POST /videos/interpolate: 30 or 60 fps from a completed generation or upscale job, not a draft,
 * once per video.
 * @param {State} s
 * @param {Body} body
 * @returns {JobPlan}
 */
function planInterpolate(s, body) {
	const fps = optNumber(body, 'fps', 30, 60, true);
	if (fps === undefined) throw bad('Parameter fps is required');
	if (!C.INTERPOLATE_FPS.includes(fps))
		throw bad(`Parameter fps (${fps}) valid values: ${C.INTERPOLATE_FPS.join(', ')}`);
	const c = common(s, body);
	if (c.src.type !== 'video' && c.src.type !== 'video-upscale')
		throw bad(`Source video job is a ${c.src.type} job, must be a generation or video-upscale job`);
	if (isDraft(c.src))
		throw bad('Source video job is a seedance-2.5-draft, finish it with POST /videos/full-quality');
	const done = madeFrom(s, c.jobid, 'video-interpolate');
	if (done) throw bad(`Source video already interpolated: ${done.jobid}`);
	const dims = { width: c.meta.width, height: c.meta.height };
	return plan(s, c, { fps }, C.VIDEO_INTERPOLATE_COST, dims);
}

module.exports = { planFullQuality, planVideoUpscale, planInterpolate };
