// @ts-check
'use strict';
/** POST /images and POST /images/upscale: the documented rules, turned into a plan for the job. */
const C = require('../catalog');
const { ApiError, bad } = require('../errors');
const { getAccount, pickAccount, ensureUsable } = require('../state');
const { optString, optNumber, optEnum, optUrl, optPrompt, triggers } = require('./params');
const { parseRef, checkRefs } = require('./refs');

/** @typedef {import('../state').State} State */
/** @typedef {import('../catalog').ImageModelCaps} ImageModelCaps */
/** @typedef {import('./video').JobPlan} JobPlan */
/** @typedef {Record<string, unknown>} Body */

/** @param {Body} body */
function readParams(body) {
	const prompt = optPrompt(body, 'prompt', C.IMAGE_PROMPT_MAX);
	const model = optString(body, 'model');
	if (model !== undefined && !C.ALL_IMAGE_MODELS.includes(model))
		throw bad(`Parameter model (${model}) valid values: ${C.ALL_IMAGE_MODELS.join(', ')}`);
	return {
		prompt,
		model: model ?? C.DEFAULT_IMAGE_MODEL,
		ratio: optEnum(body, 'ratio', C.IMAGE_RATIOS),
		resolution: optEnum(body, 'resolution', C.IMAGE_RESOLUTIONS),
		imageStrength: optNumber(body, 'imageStrength', 0, 1, false),
		maxJobs: optNumber(body, 'maxJobs', 1, 50, true),
		account: optString(body, 'account'),
		replyUrl: optUrl(body, 'replyUrl'),
		replyRef: optString(body, 'replyRef'),
	};
}

/**
 * imageRef_N parameters: at most 6, contiguous from 1.
 * @param {Body} body
 * @returns {string[]} the refs in order
 */
function readRefs(body) {
	/** @type {Map<number, string>} */
	const refs = new Map();
	for (const key of Object.keys(body)) {
		const m = /^imageRef_(\d+)$/.exec(key);
		if (!m) continue;
		const n = Number(m[1]);
		if (n < 1 || n > C.IMAGE_REFS_MAX)
			throw bad(
				`Parameter ${key}: maximum ${C.IMAGE_REFS_MAX} reference images (imageRef_1..imageRef_${C.IMAGE_REFS_MAX})`,
			);
		const v = optString(body, key);
		if (v) refs.set(n, v);
	}
	const ns = [...refs.keys()].sort((a, b) => a - b);
	ns.forEach((n, i) => {
		if (n !== i + 1)
			throw bad(
				`Reference images must be contiguous starting from imageRef_1 (missing imageRef_${i + 1})`,
			);
	});
	return ns.map((n) => /** @type {string} */ (refs.get(n)));
}

/**
 * The model's rules: reference count, prompt, resolution, ratio.
 * @param {ReturnType<typeof readParams>} p
 * @param {number} refCount
 */
function checkModel(p, refCount) {
	const caps = C.IMAGE_MODELS[p.model];
	if (refCount > caps.maxRefs)
		throw bad(
			`Model ${p.model} supports at most ${caps.maxRefs} reference image${caps.maxRefs > 1 ? 's' : ''} (got ${refCount})`,
		);
	if (!p.prompt) {
		if (caps.promptRequired) throw bad(`Parameter prompt is required for model ${p.model}`);
		if (!refCount)
			throw bad('Parameter prompt is required (optional only when imageRef_N is provided)');
	}
	const resolution = p.resolution ?? caps.defaultResolution;
	if (!caps.resolutions.includes(resolution))
		throw bad(
			`Parameter resolution (${resolution}) valid values for ${p.model}: ${caps.resolutions.join(', ')}`,
		);
	if (p.ratio === 'auto' && !caps.autoRatio)
		throw bad(
			`Parameter ratio (auto) is not supported by ${p.model}, valid values: ${C.IMAGE_RATIOS.filter((r) => r !== 'auto').join(', ')}`,
		);
	return { resolution, ratio: p.ratio ?? (caps.autoRatio ? 'auto' : '1:1') };
}

/**
 * Validate a POST /images body.
 * @param {State} s
 * @param {Body} body
 * @returns {JobPlan}
 */
function planImage(s, body) {
	const p = readParams(body);
	const refList = readRefs(body);
	const { resolution, ratio } = checkModel(p, refList.length);
	const refs = refList.map((ref, i) => ({
		...parseRef(`imageRef_${i + 1}`, ref),
		expected: /** @type {const} */ ('image'),
	}));
	const accountId = checkRefs(s, refs, p.account);
	const acct = accountId
		? getAccount(s, accountId)
		: pickAccount(s, (a) => a.models.image.includes(p.model), p.maxJobs, `Model ${p.model}`);
	if (!acct.models.image.includes(p.model))
		throw bad(
			`Parameter model (${p.model}) is not available for account ${acct.account} (region ${acct.region}), valid values: ${acct.models.image.join(', ')}`,
		);
	ensureUsable(s, acct, p.maxJobs);
	/** @type {Record<string, unknown>} */
	const request = {};
	if (p.prompt !== undefined) request.prompt = p.prompt;
	Object.assign(request, { model: p.model, ratio, resolution });
	request.inputMode = refs.length ? 'reference' : 'generate';
	for (const r of refs) request[r.param] = r.ref;
	if (p.imageStrength !== undefined) request.imageStrength = p.imageStrength;
	if (p.replyUrl) request.replyUrl = p.replyUrl;
	if (p.replyRef !== undefined) request.replyRef = p.replyRef;
	const concrete = C.IMAGE_RATIOS.filter((r) => r !== 'auto');
	const outRatio =
		ratio !== 'auto'
			? ratio
			: refs.length
				? C.closestRatio(refs[0].width, refs[0].height, concrete)
				: '1:1';
	return {
		acct,
		model: p.model,
		request,
		cost: C.IMAGE_MODELS[p.model].cost,
		trig: triggers([p.prompt, p.replyRef]),
		out: {
			...C.imageDims(outRatio, resolution),
			imageCount: C.IMAGES_PER_JOB,
			description: p.prompt ?? '',
			replyUrl: p.replyUrl,
		},
	};
}

/**
 * Validate a POST /images/upscale body: one image of a completed image job.
 * @param {State} s
 * @param {Body} body
 * @returns {JobPlan}
 */
function planUpscale(s, body) {
	const jobid = optString(body, 'jobid');
	if (!jobid) throw bad('Parameter jobid is required');
	const imageIndex = optNumber(body, 'imageIndex', 0, 3, true) ?? 0;
	const resolution = optEnum(body, 'upscaleResolution', C.UPSCALE_RESOLUTIONS) ?? '4k';
	const originalImageStrength = optNumber(body, 'originalImageStrength', 0, 1, false);
	const detailStrength = optNumber(body, 'detailStrength', 0, 1, false);
	const maxJobs = optNumber(body, 'maxJobs', 1, 50, true);
	const replyUrl = optUrl(body, 'replyUrl');
	const replyRef = optString(body, 'replyRef');
	const { src, image, account } = sourceImage(s, jobid, imageIndex);
	const acct = getAccount(s, account);
	ensureUsable(s, acct, maxJobs);
	/** @type {Record<string, unknown>} */
	const request = { jobid, imageIndex, resolution };
	if (originalImageStrength !== undefined) request.originalImageStrength = originalImageStrength;
	if (detailStrength !== undefined) request.detailStrength = detailStrength;
	if (replyUrl) request.replyUrl = replyUrl;
	if (replyRef !== undefined) request.replyRef = replyRef;
	const sw = Number(image.width) || 2048;
	const sh = Number(image.height) || 2048;
	const f = C.UPSCALE_LONG_SIDE[resolution] / Math.max(sw, sh);
	return {
		acct,
		model: src.model,
		request,
		cost: resolution === '8k' ? 2 : 0,
		trig: triggers([replyRef]),
		out: {
			width: Math.round(sw * f),
			height: Math.round(sh * f),
			imageCount: 1,
			description: String(src.request.prompt ?? ''),
			replyUrl,
		},
	};
}

/**
 * @param {State} s
 * @param {string} jobid
 * @param {number} imageIndex
 */
function sourceImage(s, jobid, imageIndex) {
	const src = s.jobs.get(jobid);
	const meta = s.meta.get(jobid);
	if (!src || !meta || src.type !== 'image') throw new ApiError(404, 'Source image job not found');
	if (src.status !== 'completed') throw bad(`Source image job is ${src.status}, must be completed`);
	const images = /** @type {Array<Record<string, unknown>>} */ (src.response?.images ?? []);
	if (imageIndex >= images.length)
		throw bad(
			`Parameter imageIndex (${imageIndex}) out of range, source job has ${images.length} image${images.length === 1 ? '' : 's'}`,
		);
	return { src, image: images[imageIndex], account: meta.account };
}

module.exports = { planImage, planUpscale };
