// @ts-check
'use strict';
/**
 * POST /videos: the documented rules, checked in the API's order, turned into a plan for the job
 * (account, model, the job record's request, cost, result size). Input modes are derived from the
 * parameters sent: prompt, first_frame, end_frame, multi_frame, unified_edit (omni reference),
 * video_edit (editVideoRef). A model the account's live list offers and no page describes gets
 * the widest limits (catalog.UNKNOWN_MODEL_CAPS).
 */
const C = require('../catalog');
const { bad } = require('../errors');
const { getAccount, pickAccount, ensureUsable } = require('../state');
const { secs } = require('../util');
const { optString, optNumber, optEnum, optUrl, optPrompt, triggers } = require('./params');
const { parseRef, checkRefs } = require('./refs');

/** @typedef {import('../state').State} State */
/** @typedef {import('../state').AccountState} AccountState */
/** @typedef {import('../catalog').VideoMode} VideoMode */
/** @typedef {import('../catalog').VideoModelCaps} VideoModelCaps */
/** @typedef {import('../types').AssetKind} AssetKind */
/** @typedef {import('./refs').ParsedRef} ParsedRef */
/** @typedef {import('./params').Triggers} Triggers */
/** @typedef {Record<string, unknown>} Body */
/** @typedef {{ imageRef?: string; prompt?: string; duration?: number }} Frame */
/** @typedef {Record<AssetKind, Map<number, string>>} OmniRefs */
/** @typedef {ReturnType<typeof readParams>} VideoParams */

/**
 * What a valid request makes: the job's account, model, request record, cost and result.
 * @typedef {object} JobPlan
 * @property {AccountState} acct
 * @property {string} model
 * @property {Record<string, unknown>} request
 * @property {number} cost
 * @property {Triggers} trig
 * @property {{ width: number; height: number; durationS?: number; hasAudio?: boolean; imageCount?: number; description: string; replyUrl?: string }} out
 */

const OMNI_KINDS = /** @type {const} */ (['image', 'video', 'audio']);
/** @type {Record<string, number>} */
const RESOLUTION_COST = { '480p': 0.5, '1080p': 1.5, '4k': 3 };

/** @param {Body} body */
function readParams(body) {
	const prompt = optPrompt(body, 'prompt', C.VIDEO_PROMPT_MAX);
	const model = optString(body, 'model');
	return {
		prompt,
		model,
		ratio: optEnum(body, 'ratio', C.ALL_VIDEO_RATIOS),
		resolution: optEnum(body, 'resolution', C.VIDEO_RESOLUTIONS),
		duration: optNumber(body, 'duration', 1, 180, true),
		maxJobs: optNumber(body, 'maxJobs', 1, 50, true),
		account: optString(body, 'account'),
		replyUrl: optUrl(body, 'replyUrl'),
		replyRef: optString(body, 'replyRef'),
		firstFrameRef: optString(body, 'firstFrameRef'),
		endFrameRef: optString(body, 'endFrameRef'),
		editVideoRef: optString(body, 'editVideoRef'),
	};
}

/**
 * frame_N_* and omni_N_* parameters, in the order they were sent.
 * @param {Body} body
 */
function readNumbered(body) {
	/** @type {Map<number, Frame>} */
	const frames = new Map();
	/** @type {OmniRefs} */
	const omni = { image: new Map(), video: new Map(), audio: new Map() };
	for (const key of Object.keys(body)) {
		const fm = /^frame_(\d+)_(imageRef|prompt|duration)$/.exec(key);
		if (fm) readFrameParam(body, key, Number(fm[1]), fm[2], frames);
		const om = /^omni_(\d+)_(image|video|audio)Ref$/.exec(key);
		if (om) readOmniParam(body, key, Number(om[1]), /** @type {AssetKind} */ (om[2]), omni);
	}
	return { frames, omni };
}

/**
 * @param {Body} body
 * @param {string} key
 * @param {number} n
 * @param {string} field
 * @param {Map<number, Frame>} frames
 */
function readFrameParam(body, key, n, field, frames) {
	if (n < 1 || n > C.MULTI_FRAME_MAX)
		throw bad(`Parameter ${key}: frame number must be 1-${C.MULTI_FRAME_MAX}`);
	const f = frames.get(n) ?? {};
	if (field === 'imageRef') f.imageRef = optString(body, key);
	else if (field === 'prompt') f.prompt = optPrompt(body, key, C.VIDEO_PROMPT_MAX);
	else f.duration = optNumber(body, key, C.FRAME_DURATION_MIN, C.FRAME_DURATION_MAX, true);
	frames.set(n, f);
}

/**
 * @param {Body} body
 * @param {string} key
 * @param {number} n
 * @param {AssetKind} kind
 * @param {OmniRefs} omni
 */
function readOmniParam(body, key, n, kind, omni) {
	const max = C.OMNI_MAX[kind];
	if (n < 1 || n > max)
		throw bad(
			`Parameter ${key}: maximum ${max} ${kind} references (omni_1_${kind}Ref..omni_${max}_${kind}Ref)`,
		);
	const v = optString(body, key);
	if (v) omni[kind].set(n, v);
}

/**
 * Numbers of the frames that have an image, ascending; a frame prompt or duration needs its image.
 * @param {Map<number, Frame>} frames
 */
function frameNumbers(frames) {
	for (const [n, f] of frames) {
		if (!f.imageRef && (f.prompt !== undefined || f.duration !== undefined)) {
			const field = f.prompt !== undefined ? 'prompt' : 'duration';
			throw bad(`Parameter frame_${n}_${field} requires frame_${n}_imageRef`);
		}
	}
	return [...frames.entries()]
		.filter(([, f]) => f.imageRef)
		.map(([n]) => n)
		.sort((x, y) => x - y);
}

/**
 * @param {VideoParams} p
 * @param {number[]} frameNs
 * @param {number} omniCount
 * @returns {VideoMode}
 */
function inputMode(p, frameNs, omniCount) {
	if (p.editVideoRef) {
		// Nothing says how an edit combines with frame images; both would set the aspect ratio.
		if (p.firstFrameRef || p.endFrameRef || frameNs.length)
			throw bad(
				'Parameter editVideoRef cannot be combined with firstFrameRef, endFrameRef, or frame_N_imageRef',
			);
		return 'video_edit';
	}
	if (omniCount > 0) {
		if (p.firstFrameRef || p.endFrameRef || frameNs.length) {
			throw bad(
				'Omni reference (omni_N_imageRef/omni_N_videoRef/omni_N_audioRef) cannot be combined with firstFrameRef, endFrameRef, or frame_N_imageRef',
			);
		}
		return 'unified_edit';
	}
	if (frameNs.length) {
		if (p.firstFrameRef || p.endFrameRef)
			throw bad('firstFrameRef/endFrameRef cannot be combined with multi_frame (frame_N_imageRef)');
		return 'multi_frame';
	}
	if (p.endFrameRef && !p.firstFrameRef) throw bad('Parameter endFrameRef requires firstFrameRef');
	if (p.firstFrameRef) return p.endFrameRef ? 'end_frame' : 'first_frame';
	return 'prompt';
}

/** @param {VideoMode} mode */
const usesImageRatio = (mode) =>
	mode === 'first_frame' || mode === 'end_frame' || mode === 'multi_frame';

/**
 * Rules of each mode that do not depend on the model.
 * @param {VideoMode} mode
 * @param {VideoParams} p
 * @param {number[]} frameNs
 * @param {OmniRefs} omni
 */
function checkModeRules(mode, p, frameNs, omni) {
	if (mode === 'prompt' && !p.prompt) throw bad('Parameter prompt is required');
	if (usesImageRatio(mode) && p.ratio !== undefined)
		throw bad(
			'Parameter ratio cannot be specified with image refs (the image aspect ratio is used)',
		);
	if (mode === 'video_edit' && p.ratio !== undefined)
		throw bad(
			'Parameter ratio cannot be specified with editVideoRef (the video aspect ratio is used)',
		);
	if (mode === 'multi_frame') checkMultiFrame(p, frameNs);
	if (mode === 'unified_edit' || (mode === 'video_edit' && omniCount(omni) > 0))
		checkOmni(p.prompt, omni);
}

/** @param {OmniRefs} omni */
const omniCount = (omni) => omni.image.size + omni.video.size + omni.audio.size;

/**
 * @param {VideoParams} p
 * @param {number[]} frameNs
 */
function checkMultiFrame(p, frameNs) {
	if (p.prompt !== undefined)
		throw bad('Parameter prompt cannot be used with multi_frame mode (use frame_N_prompt instead)');
	if (frameNs.length < C.MULTI_FRAME_MIN)
		throw bad(
			`Multi-frame mode requires ${C.MULTI_FRAME_MIN}-${C.MULTI_FRAME_MAX} frames (got ${frameNs.length})`,
		);
	frameNs.forEach((n, i) => {
		if (n !== i + 1)
			throw bad(
				`Frames must be contiguous starting from frame_1 (missing frame_${i + 1}_imageRef)`,
			);
	});
}

/**
 * Omni reference: a prompt that names every ref as @imageN/@videoN/@audioN, and no other.
 * @param {string | undefined} prompt
 * @param {OmniRefs} omni
 */
function checkOmni(prompt, omni) {
	if (!prompt)
		throw bad(
			'Parameter prompt is required for omni reference mode (reference assets as @imageN/@videoN/@audioN)',
		);
	for (const kind of OMNI_KINDS) {
		for (const n of omni[kind].keys()) {
			if (!new RegExp(`@${kind}${n}(?!\\d)`).test(prompt))
				throw bad(`Parameter prompt must reference omni_${n}_${kind}Ref as @${kind}${n}`);
		}
		for (const m of prompt.matchAll(new RegExp(`@${kind}(\\d+)`, 'g'))) {
			if (!omni[kind].has(Number(m[1])))
				throw bad(
					`Parameter prompt references @${kind}${m[1]} but omni_${m[1]}_${kind}Ref is not provided`,
				);
		}
	}
}

/**
 * Every ref of the request with the kind its parameter takes, in the record's order.
 * @param {VideoParams} p
 * @param {Map<number, Frame>} frames
 * @param {number[]} frameNs
 * @param {OmniRefs} omni
 * @returns {Array<ParsedRef & { expected: AssetKind }>}
 */
function collectRefs(p, frames, frameNs, omni) {
	/** @type {Array<[string, string | undefined, AssetKind]>} */
	const list = [
		['firstFrameRef', p.firstFrameRef, 'image'],
		['endFrameRef', p.endFrameRef, 'image'],
		['editVideoRef', p.editVideoRef, 'video'],
		...frameNs.map(
			(n) =>
				/** @type {[string, string | undefined, AssetKind]} */ ([
					`frame_${n}_imageRef`,
					frames.get(n)?.imageRef,
					'image',
				]),
		),
	];
	for (const kind of OMNI_KINDS)
		for (const [n, ref] of sortedEntries(omni[kind]))
			list.push([`omni_${n}_${kind}Ref`, ref, kind]);
	return list
		.filter(([, ref]) => !!ref)
		.map(([param, ref, expected]) => ({
			...parseRef(param, /** @type {string} */ (ref)),
			expected,
		}));
}

/**
 * @template T
 * @param {Map<number, T>} map
 * @returns {Array<[number, T]>}
 */
const sortedEntries = (map) => [...map.entries()].sort((x, y) => x[0] - y[0]);

/**
 * The account (named, inferred from refs, or picked) and the model (given, or its region's default).
 * A picked account must offer the model and take the requested resolution in its region.
 * @param {State} s
 * @param {string | undefined} accountId
 * @param {VideoParams} p
 */
function chooseAccount(s, accountId, p) {
	if (accountId) {
		const acct = getAccount(s, accountId);
		return { acct, model: p.model ?? C.DEFAULT_VIDEO_MODEL[acct.region] };
	}
	const { model, resolution } = p;
	if (model) {
		const live = [...new Set([...s.accounts.values()].flatMap((a) => a.models.video))];
		if (!live.includes(model))
			throw bad(`Parameter model (${model}) valid values: ${live.join(', ')}`);
		/** @param {AccountState} a */
		const takes = (a) =>
			a.models.video.includes(model) &&
			(!resolution || C.videoResolutions(model, a.region).includes(resolution));
		const what = `Model ${model}${resolution ? ` at ${resolution}` : ''}`;
		return { acct: pickAccount(s, takes, p.maxJobs, what), model };
	}
	const acct = pickAccount(s, () => true, p.maxJobs, 'Video generation');
	return { acct, model: C.DEFAULT_VIDEO_MODEL[acct.region] };
}

/**
 * The model's limits for this account: offered by it, the input mode, the resolution in its region
 * (the docs state some limits per region: seedance-2.0 takes 1080p on CA accounts only).
 * @param {AccountState} acct
 * @param {string} model
 * @param {VideoMode} mode
 * @param {string | undefined} resolution
 * @returns {string} the effective resolution
 */
function checkModel(acct, model, mode, resolution) {
	const offered = acct.models.video;
	if (!offered.includes(model))
		throw bad(
			`Parameter model (${model}) is not available for account ${acct.account} (region ${acct.region}), valid values: ${offered.join(', ')}`,
		);
	if (!C.videoCaps(model).modes.includes(mode)) {
		const fit = offered.filter((m) => C.videoCaps(m).modes.includes(mode));
		throw bad(
			`Parameter model (${model}) does not support ${mode} mode, valid values for ${mode} on account ${acct.account}: ${fit.join(', ') || 'none'}`,
		);
	}
	const allowed = C.videoResolutions(model, acct.region);
	const eff = resolution ?? allowed[0] ?? '720p';
	if (!allowed.includes(eff))
		throw bad(
			`Parameter resolution (${eff}) valid values for ${model} in region ${acct.region}: ${allowed.join(', ')}`,
		);
	return eff;
}

/**
 * @param {string} model
 * @param {VideoMode} mode
 * @param {VideoParams} p
 * @param {Map<number, Frame>} frames
 * @param {number[]} frameNs
 */
function effectiveDuration(model, mode, p, frames, frameNs) {
	const { durations } = C.videoCaps(model);
	if (mode === 'multi_frame') {
		let sum = 0;
		for (const n of frameNs.slice(0, -1))
			sum += frames.get(n)?.duration ?? C.FRAME_DURATION_DEFAULT;
		if (!durations.includes(sum))
			throw bad(
				`Total duration of non-last frames (${sum}s) must be a valid ${model} duration: ${C.durationList(durations)}`,
			);
		return sum;
	}
	const d = p.duration ?? (durations.includes(5) ? 5 : durations[0]);
	if (!durations.includes(d))
		throw bad(`Parameter duration (${d}) valid values for ${model}: ${C.durationList(durations)}`);
	return d;
}

/**
 * The ratio sent (default 16:9), or the images' (or edited video's) ratio in modes that take it
 * from them.
 * @param {string} model
 * @param {VideoMode} mode
 * @param {ParsedRef[]} refs
 * @param {string | undefined} ratio
 */
function effectiveRatio(model, mode, refs, ratio) {
	const { ratios } = C.videoCaps(model);
	/** @param {ParsedRef} r */
	const ratioOf = (r) => C.closestRatio(r.width, r.height, ratios);
	if (mode === 'video_edit') return ratioOf(refs.filter((r) => r.param === 'editVideoRef')[0]);
	if (!usesImageRatio(mode)) {
		const eff = ratio ?? '16:9';
		if (!ratios.includes(eff))
			throw bad(`Parameter ratio (${eff}) valid values for ${model}: ${ratios.join(', ')}`);
		return eff;
	}
	const imgs = refs.filter((r) => r.kind === 'image');
	const first = ratioOf(imgs[0]);
	for (const r of imgs.slice(1)) {
		if (ratioOf(r) === first) continue;
		throw bad(
			mode === 'end_frame'
				? `firstFrameRef and endFrameRef must have the same aspect ratio (${first} vs ${ratioOf(r)})`
				: `All frame images must have the same aspect ratio (frame_1_imageRef ${first}, ${r.param} ${ratioOf(r)})`,
		);
	}
	return first;
}

/**
 * The model's own limits on the prompt, the omni refs (indices, counts, summed durations) and each
 * reference video's length.
 * @param {string} model
 * @param {VideoParams} p
 * @param {OmniRefs} omni
 * @param {ParsedRef[]} refs
 */
function checkModelLimits(model, p, omni, refs) {
	const caps = C.videoCaps(model);
	if (p.prompt !== undefined && p.prompt.length > caps.promptMax)
		throw bad(
			`Parameter prompt exceeds maximum length of ${caps.promptMax} characters for ${model} (${p.prompt.length})`,
		);
	const count = omniCount(omni);
	if (count > 0 && caps.omni) {
		const o = caps.omni;
		for (const kind of OMNI_KINDS)
			for (const n of omni[kind].keys())
				if (n > o[kind])
					throw bad(
						`Parameter omni_${n}_${kind}Ref: maximum ${o[kind]} ${kind} references for ${model} (omni_1_${kind}Ref..omni_${o[kind]}_${kind}Ref)`,
					);
		if (count > o.total)
			throw bad(`Maximum ${o.total} total materials for ${model} (got ${count})`);
		if (o.totalMs) checkOmniDurations(refs, o.totalMs);
	}
	const [min, max] = caps.refVideoMs ?? [0, Infinity];
	for (const r of refs) {
		const ms = r.durationMs;
		if (r.kind === 'video' && ms !== undefined && (ms < min || ms > max))
			throw bad(
				`Parameter ${r.param} video duration (${secs(ms)}) must be ${secs(min)}-${secs(max)} for ${model}`,
			);
	}
}

/**
 * @param {ParsedRef[]} refs
 * @param {{ video: number; audio: number }} caps
 */
function checkOmniDurations(refs, caps) {
	/** @param {AssetKind} k */
	const total = (k) =>
		refs
			.filter((r) => r.kind === k && r.param.startsWith('omni_'))
			.reduce((t, r) => t + (r.durationMs ?? 0), 0);
	const v = total('video');
	const a = total('audio');
	if (v > caps.video)
		throw bad(
			`Total video duration of omni_N_videoRef (${secs(v)}) exceeds ${secs(caps.video)} limit`,
		);
	if (a > caps.audio)
		throw bad(
			`Total audio duration of omni_N_audioRef (${secs(a)}) exceeds ${secs(caps.audio)} limit`,
		);
}

/**
 * The job record's request: what was sent, plus the defaults of model/ratio/duration and inputMode.
 * @param {{ p: VideoParams; model: string; mode: VideoMode; ratio: string; duration: number; frames: Map<number, Frame>; frameNs: number[]; omni: OmniRefs }} v
 */
function buildRequest({ p, model, mode, ratio, duration, frames, frameNs, omni }) {
	/** @type {Record<string, unknown>} */
	const request = {};
	if (p.prompt !== undefined) request.prompt = p.prompt;
	request.model = model;
	if (!usesImageRatio(mode) && mode !== 'video_edit') request.ratio = ratio;
	request.duration = duration;
	request.inputMode = mode;
	if (p.resolution !== undefined) request.resolution = p.resolution;
	if (p.firstFrameRef) request.firstFrameRef = p.firstFrameRef;
	if (p.endFrameRef) request.endFrameRef = p.endFrameRef;
	if (p.editVideoRef) request.editVideoRef = p.editVideoRef;
	for (const n of frameNs) {
		const f = frames.get(n) ?? {};
		request[`frame_${n}_imageRef`] = f.imageRef;
		if (f.prompt !== undefined) request[`frame_${n}_prompt`] = f.prompt;
		if (f.duration !== undefined) request[`frame_${n}_duration`] = f.duration;
	}
	for (const kind of OMNI_KINDS)
		for (const [n, ref] of sortedEntries(omni[kind])) request[`omni_${n}_${kind}Ref`] = ref;
	if (p.replyUrl) request.replyUrl = p.replyUrl;
	if (p.replyRef !== undefined) request.replyRef = p.replyRef;
	return request;
}

/**
 * Validate a POST /videos body; throws the API's 400/404/429/596 errors.
 * @param {State} s
 * @param {Body} body
 * @returns {JobPlan}
 */
function planVideo(s, body) {
	const p = readParams(body);
	const { frames, omni } = readNumbered(body);
	const frameNs = frameNumbers(frames);
	const mode = inputMode(p, frameNs, omniCount(omni));
	checkModeRules(mode, p, frameNs, omni);
	const refs = collectRefs(p, frames, frameNs, omni);
	const { acct, model } = chooseAccount(s, checkRefs(s, refs, p.account), p);
	const resolution = checkModel(acct, model, mode, p.resolution);
	const duration = effectiveDuration(model, mode, p, frames, frameNs);
	const ratio = effectiveRatio(model, mode, refs, p.ratio);
	checkModelLimits(model, p, omni, refs);
	ensureUsable(s, acct, p.maxJobs);
	const caps = C.videoCaps(model);
	const request = buildRequest({ p, model, mode, ratio, duration, frames, frameNs, omni });
	const framePrompts = [...frames.values()].map((f) => f.prompt);
	return {
		acct,
		model,
		request,
		cost: Math.round(caps.creditsPerSecond * duration * (RESOLUTION_COST[resolution] ?? 1)),
		trig: triggers([p.prompt, ...framePrompts, p.replyRef]),
		out: {
			...C.videoDims(ratio, resolution),
			durationS: duration,
			hasAudio: caps.hasAudio,
			description: p.prompt ?? frames.get(1)?.prompt ?? '',
			replyUrl: p.replyUrl,
		},
	};
}

module.exports = { planVideo };
