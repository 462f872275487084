// @ts-check
'use strict';
/**
 * Jobs "another client" sent (Emulator.createJob, POST /__emulator/jobs): no request validation,
 * but they occupy their account like any job, so tests can fill an account behind a node's back.
 */
const C = require('./catalog');
const { bad } = require('./errors');
const { ensureUsable, getAccount } = require('./state');
const { triggers } = require('./validation/params');

/** @typedef {import('./state').State} State */
/** @typedef {import('./types').ForeignJobInput} ForeignJobInput */
/** @typedef {import('./types').JobType} JobType */
/** @typedef {import('./validation/video').JobPlan} JobPlan */

/** @type {JobType[]} */
const TYPES = ['video', 'image', 'upscale', 'video-upscale', 'video-interpolate'];

/**
 * @param {Record<string, unknown>} request
 * @param {string} name
 * @param {string} fallback
 */
const text = (request, name, fallback) =>
	typeof request[name] === 'string' ? String(request[name]) : fallback;

/**
 * The result a foreign request would produce (sizes from its ratio, resolution and duration).
 * @param {JobType} type
 * @param {string} model
 * @param {Record<string, unknown>} request
 */
function resultOf(type, model, request) {
	const description = text(request, 'prompt', '');
	if (type.startsWith('video')) {
		const durationS = Number(request.duration) || 5;
		const dims = C.videoDims(text(request, 'ratio', '16:9'), text(request, 'resolution', '720p'));
		const hasAudio = C.videoCaps(model).hasAudio;
		const cost = C.videoCaps(model).creditsPerSecond * durationS;
		return { cost, out: { ...dims, durationS, hasAudio, description } };
	}
	const ratio = text(request, 'ratio', '1:1');
	const dims = C.imageDims(ratio === 'auto' ? '1:1' : ratio, text(request, 'resolution', '2k'));
	const imageCount = type === 'image' ? C.IMAGES_PER_JOB : 1;
	return { cost: C.IMAGE_MODELS[model]?.cost ?? 0, out: { ...dims, imageCount, description } };
}

/**
 * @param {State} s
 * @param {ForeignJobInput} input
 * @returns {JobPlan}
 */
function planForeignJob(s, input) {
	if (!TYPES.includes(input.type))
		throw bad(`type (${String(input.type)}) valid values: ${TYPES.join(', ')}`);
	if (!input.model || typeof input.model !== 'string') throw bad('model is required');
	const acct = getAccount(s, input.account);
	ensureUsable(s, acct);
	/** @type {Record<string, unknown>} */
	const request = { model: input.model, ...(input.request ?? {}) };
	if (input.replyUrl) request.replyUrl = input.replyUrl;
	const { cost, out } = resultOf(input.type, input.model, request);
	const trig = triggers([text(request, 'prompt', ''), text(request, 'replyRef', '')]);
	return {
		acct,
		model: input.model,
		request,
		cost,
		trig,
		out: { ...out, replyUrl: input.replyUrl },
	};
}

module.exports = { planForeignJob };
