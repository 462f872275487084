// @ts-check
'use strict';
/**
 * Documented capabilities of the Dreamina API, transcribed independently from useapi.net's pages
 * (newest page wins: POST /videos and POST /assets of 2026-04-03, then the later pages that
 * test/emulator/README.md names with their dates). Deliberately NOT shared with nodes/: the
 * emulator is an independent check of the nodes.
 */

/** @typedef {'US' | 'CA'} Region */
/** @typedef {'prompt' | 'first_frame' | 'end_frame' | 'multi_frame' | 'unified_edit' | 'video_edit'} VideoMode */
/** @typedef {'image' | 'video' | 'audio'} AssetKind */

/**
 * @typedef {object} OmniCaps
 * @property {number} image most omni_N_imageRef (N runs 1..image)
 * @property {number} video
 * @property {number} audio
 * @property {number} total
 * @property {{ video: number; audio: number }} [totalMs] summed duration caps (Seedance 2.0 only)
 */

/**
 * @typedef {object} VideoModelCaps
 * @property {Partial<Record<Region, string[]>>} resolutions per region that offers the model; the
 *   first entry is the default. The docs state some limits per region (seedance-2.0 takes 1080p and
 *   4k on CA accounts only), so resolutions are per region, not per model.
 * @property {number[]} durations
 * @property {VideoMode[]} modes
 * @property {boolean} hasAudio
 * @property {number} creditsPerSecond
 * @property {number} promptMax
 * @property {string[]} ratios
 * @property {OmniCaps} [omni] omni reference caps (models with the unified_edit mode)
 * @property {[number, number]} [refVideoMs] each reference (or edit) video's length, min-max ms
 */

/** @param {number} a @param {number} b */
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

const BOTH_720_1080 = { US: ['720p', '1080p'], CA: ['720p', '1080p'] };
const VIDEO_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'];
/** Only happyhorse-1.1 takes these (glama.ai dreamina_create_video, 2026-11). */
const HAPPYHORSE_RATIOS = [...VIDEO_RATIOS, '4:5', '5:4', '9:21'];
/** Seedance 2.0 omni caps (2026-04-03); 2.5 raises them (useapi.net/blog/260807, 2026-08-07). */
const OMNI_2_0 = {
	image: 9,
	video: 3,
	audio: 3,
	total: 12,
	totalMs: { video: 15400, audio: 15000 },
};
const OMNI_2_5 = { image: 30, video: 10, audio: 10, total: 50 };
/** @type {VideoMode[]} */
const MODES_2_5 = ['prompt', 'first_frame', 'end_frame', 'unified_edit', 'video_edit'];

/**
 * Model table of POST /videos (2026-04-03) with the later facts (see README "Models"): US accounts
 * offer seedance-2.0 and 2.0-fast at 720p; seedance-2.0 takes 1080p and 4k on CA accounts only.
 * @type {Record<string, VideoModelCaps>}
 */
const VIDEO_MODELS = {
	'seedance-2.5': {
		resolutions: { US: ['480p', '720p'], CA: ['480p', '720p', '1080p'] },
		durations: range(4, 180), // 4-30, and 31-180 as long video
		modes: MODES_2_5,
		hasAudio: true,
		creditsPerSecond: 5,
		promptMax: 15000,
		ratios: VIDEO_RATIOS,
		omni: OMNI_2_5,
		refVideoMs: [1800, 30200],
	},
	'seedance-2.5-draft': {
		resolutions: { US: ['480p'], CA: ['480p'] },
		durations: range(4, 30),
		modes: MODES_2_5,
		hasAudio: true,
		creditsPerSecond: 1,
		promptMax: 15000,
		ratios: VIDEO_RATIOS,
		omni: OMNI_2_5,
		refVideoMs: [1800, 30200],
	},
	'seedance-2.0': {
		resolutions: { US: ['720p'], CA: ['720p', '1080p', '4k'] },
		durations: range(4, 15),
		modes: ['prompt', 'first_frame', 'end_frame', 'unified_edit'],
		hasAudio: true,
		creditsPerSecond: 6,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
		omni: OMNI_2_0,
		refVideoMs: [2000, 15400],
	},
	'seedance-2.0-fast': {
		resolutions: { US: ['720p'], CA: ['720p'] },
		durations: range(4, 15),
		modes: ['prompt', 'first_frame', 'end_frame', 'unified_edit'],
		hasAudio: true,
		creditsPerSecond: 4,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
		omni: OMNI_2_0,
		refVideoMs: [2000, 15400],
	},
	'seedance-2.0-mini': {
		resolutions: { US: ['720p'], CA: ['720p'] },
		durations: range(4, 15),
		modes: ['prompt', 'first_frame', 'end_frame', 'unified_edit'],
		hasAudio: true,
		creditsPerSecond: 3,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
		omni: OMNI_2_0,
		refVideoMs: [2000, 15400],
	},
	'happyhorse-1.1': {
		resolutions: { US: ['720p', '1080p'], CA: ['720p', '1080p'] },
		durations: range(3, 15),
		modes: ['prompt', 'first_frame', 'end_frame'],
		hasAudio: true,
		creditsPerSecond: 4,
		promptMax: 5000,
		ratios: HAPPYHORSE_RATIOS,
	},
	'seedance-1.5-pro': {
		resolutions: BOTH_720_1080,
		durations: [5, 10, 12],
		modes: ['prompt', 'first_frame', 'end_frame'],
		hasAudio: true,
		creditsPerSecond: 5,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
	},
	'seedance-1.0-pro': {
		resolutions: { CA: ['1080p'] },
		durations: [5, 10],
		modes: ['prompt', 'first_frame'],
		hasAudio: false,
		creditsPerSecond: 5,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
	},
	'seedance-1.0-mini': {
		resolutions: BOTH_720_1080,
		durations: [5, 10],
		modes: ['prompt', 'first_frame', 'multi_frame'],
		hasAudio: false,
		creditsPerSecond: 3,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
	},
	'seedance-1.0-fast': {
		resolutions: { CA: ['720p', '1080p'] },
		durations: [5, 10],
		modes: ['prompt', 'first_frame', 'multi_frame'],
		hasAudio: false,
		creditsPerSecond: 2,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
	},
	sora2: {
		resolutions: { CA: ['720p'] },
		durations: [4, 8, 12],
		modes: ['prompt', 'first_frame'],
		hasAudio: true,
		creditsPerSecond: 10,
		promptMax: 5000,
		ratios: VIDEO_RATIOS,
	},
};

const ALL_VIDEO_MODELS = Object.keys(VIDEO_MODELS);
const VIDEO_RESOLUTIONS = ['480p', '720p', '1080p', '4k'];
/** Every ratio any model takes (a model's own list is checked once the model is known). */
const ALL_VIDEO_RATIOS = HAPPYHORSE_RATIOS;

/**
 * Limits of a model an account's live list offers but no page describes (a newer model): the
 * widest of every known limit, so the emulator refuses nothing a real newcomer might take.
 * @type {VideoModelCaps}
 */
const UNKNOWN_MODEL_CAPS = {
	resolutions: { US: VIDEO_RESOLUTIONS, CA: VIDEO_RESOLUTIONS },
	durations: range(1, 180),
	modes: ['prompt', 'first_frame', 'end_frame', 'multi_frame', 'unified_edit', 'video_edit'],
	hasAudio: true,
	creditsPerSecond: 5,
	promptMax: 15000,
	ratios: ALL_VIDEO_RATIOS,
	omni: OMNI_2_5,
	refVideoMs: [1800, 30200],
};

/** @param {string} model @returns {VideoModelCaps} */
const videoCaps = (model) => VIDEO_MODELS[model] ?? UNKNOWN_MODEL_CAPS;

/** POST /videos default model (useapi.net/docs/articles/dreamina-bash, 2026-07-19). @type {Record<Region, string>} */
const DEFAULT_VIDEO_MODEL = { US: 'seedance-2.0', CA: 'seedance-2.0' };
/** The longest prompt any model takes; each model's own limit is checked once it is known. */
const VIDEO_PROMPT_MAX = 15000;
const MULTI_FRAME_MIN = 2;
const MULTI_FRAME_MAX = 10;
const FRAME_DURATION_MIN = 1;
const FRAME_DURATION_MAX = 6;
const FRAME_DURATION_DEFAULT = 5;
/** The highest omni index of each kind any model takes. @type {Record<AssetKind, number>} */
const OMNI_MAX = { image: OMNI_2_5.image, video: OMNI_2_5.video, audio: OMNI_2_5.audio };

/**
 * POST /videos/full-quality (useapi.net/docs/api-dreamina-v1/post-dreamina-videos-full-quality,
 * 2026-11-12): the source model, resolutions per region (first = default), how long drafts are kept.
 */
const FULL_QUALITY = {
	draftModel: 'seedance-2.5-draft',
	finalModel: 'seedance-2.5',
	/** @type {Record<Region, string[]>} */
	resolutions: { US: ['1080p'], CA: ['1080p', '4k'] },
	draftKeptMs: 14 * 86_400_000,
};
/** POST /videos/interpolate `fps` (2026-04-02). */
const INTERPOLATE_FPS = [30, 60];
/** forecastCost of POST /videos/upscale in the docs' example (2026-04-02). */
const VIDEO_UPSCALE_COST = 30;
const VIDEO_INTERPOLATE_COST = 20;

/**
 * Resolutions a model takes in a region. A region the docs do not name for the model (an account
 * whose live list offers it anyway: the live list wins) gets every resolution the model takes.
 * @param {string} model
 * @param {Region} region
 * @returns {string[]}
 */
function videoResolutions(model, region) {
	const byRegion = videoCaps(model).resolutions;
	return byRegion[region] ?? [...new Set(Object.values(byRegion).flat())];
}

/**
 * Durations as the API lists them: a span for long ranges, else each value.
 * @param {number[]} durations
 */
const durationList = (durations) =>
	durations.length > 3
		? `${durations[0]}-${durations[durations.length - 1]}`
		: durations.join(', ');

/**
 * @typedef {object} ImageModelCaps
 * @property {string[]} resolutions
 * @property {string} defaultResolution
 * @property {number} maxRefs
 * @property {boolean} promptRequired true: a prompt is required even with reference images
 * @property {boolean} autoRatio
 * @property {number} cost
 */

/** @param {number} cost @returns {ImageModelCaps} */
const seedream4 = (cost) => ({
	resolutions: ['2k', '4k'],
	defaultResolution: '2k',
	maxRefs: 6,
	promptRequired: false,
	autoRatio: true,
	cost,
});

/**
 * POST /images model table (2026-03-02) + newer models named by the bundle's index (5.0-lite, 4.6).
 * @type {Record<string, ImageModelCaps>}
 */
const IMAGE_MODELS = {
	'seedream-5.0-lite': seedream4(4),
	'seedream-4.6': seedream4(3),
	'seedream-4.5': seedream4(3),
	'seedream-4.1': seedream4(2),
	'seedream-4.0': seedream4(0),
	'nano-banana': {
		resolutions: ['1k'],
		defaultResolution: '1k',
		maxRefs: 3,
		promptRequired: true,
		autoRatio: true,
		cost: 2,
	},
	'seedream-3.0': {
		resolutions: ['1k', '2k'],
		defaultResolution: '1k',
		maxRefs: 1,
		promptRequired: true,
		autoRatio: false,
		cost: 1,
	},
};
const ALL_IMAGE_MODELS = Object.keys(IMAGE_MODELS);
const DEFAULT_IMAGE_MODEL = 'seedream-4.0';
const IMAGE_RATIOS = ['auto', '1:1', '3:4', '16:9', '4:3', '9:16', '2:3', '3:2', '21:9'];
const IMAGE_RESOLUTIONS = ['1k', '2k', '4k'];
const IMAGE_PROMPT_MAX = 1600;
const IMAGE_REFS_MAX = 6;
const IMAGES_PER_JOB = 4;
const UPSCALE_RESOLUTIONS = ['2k', '4k', '8k'];
/** @type {Record<string, number>} */
const UPSCALE_LONG_SIDE = { '2k': 2048, '4k': 4096, '8k': 8192 };

/**
 * Live model lists returned by GET /accounts/{account}, per region: every model whose
 * resolutions name the region; both regions share the image models (2026-04-17).
 * @type {Record<Region, { video: string[]; image: string[] }>}
 */
const REGION_MODELS = {
	US: {
		video: ALL_VIDEO_MODELS.filter((m) => VIDEO_MODELS[m].resolutions.US),
		image: ALL_IMAGE_MODELS,
	},
	CA: {
		video: ALL_VIDEO_MODELS.filter((m) => VIDEO_MODELS[m].resolutions.CA),
		image: ALL_IMAGE_MODELS,
	},
};

/** Upload kinds (POST /assets/{account}, 2026-04-03). @type {Array<[string, AssetKind]>} */
const UPLOAD_TYPES = [
	['image/jpeg', 'image'],
	['image/png', 'image'],
	['image/webp', 'image'],
	['video/mp4', 'video'],
	['video/quicktime', 'video'],
	['video/webm', 'video'],
	['audio/mpeg', 'audio'],
	['audio/mp3', 'audio'],
	['audio/wav', 'audio'],
	['audio/x-wav', 'audio'],
	['audio/mp4', 'audio'],
	['audio/aac', 'audio'],
];
/** @type {Record<AssetKind, number>} */
const UPLOAD_MAX_MB = { image: 10, video: 50, audio: 15 };
/** Upload limits of glama.ai dreamina_upload_asset (2026-11; were 2-15.4 s, 2-15 s, 200-2160 px). */
const VIDEO_UPLOAD_MIN_MS = 1800;
const VIDEO_UPLOAD_MAX_MS = 30200;
const AUDIO_UPLOAD_MIN_MS = 1800;
const AUDIO_UPLOAD_MAX_MS = 30200;
const VIDEO_UPLOAD_MIN_PX = 300;
const VIDEO_UPLOAD_MAX_PX = 6000;

/**
 * Failure codes documented for failed jobs.
 * @type {Record<number, { error: string; errorDetails?: string }>}
 */
const FAILURES = {
	408: {
		error: 'Generation timed out',
		errorDetails: 'Job was still created after the time limit',
	},
	596: {
		error: 'Session expired',
		errorDetails: 'Account session expired, re-add the account using POST /accounts',
	},
	2038: { error: 'fail_code: 2038', errorDetails: 'ContentFiltered' },
	2043: { error: 'fail_code: 2043', errorDetails: 'OutputVideoRisk' },
	2057: { error: 'fail_code: 2057', errorDetails: 'Upstream processing error' },
};
const CANCEL_CODE = 499;

/**
 * Pixel sizes for a ratio at a resolution tier.
 * @param {string} ratio
 * @param {string} resolution
 */
function videoDims(ratio, resolution) {
	const short = { '480p': 480, '1080p': 1080, '4k': 2160 }[resolution] ?? 720;
	const [a, b] = ratio.split(':').map(Number);
	/** @param {number} n */
	const even = (n) => Math.round(n / 2) * 2;
	if (a >= b) return { width: even((short * a) / b), height: short };
	return { width: short, height: even((short * b) / a) };
}

/** @type {Record<string, [number, number]>} */
const IMAGE_2K = {
	'1:1': [2048, 2048],
	'4:3': [2304, 1728],
	'3:4': [1728, 2304],
	'16:9': [2560, 1440],
	'9:16': [1440, 2560],
	'3:2': [2496, 1664],
	'2:3': [1664, 2496],
	'21:9': [3024, 1296],
};

/**
 * @param {string} ratio
 * @param {string} resolution
 */
function imageDims(ratio, resolution) {
	const [w, h] = IMAGE_2K[ratio] ?? IMAGE_2K['1:1'];
	const f = resolution === '1k' ? 0.5 : resolution === '4k' ? 2 : 1;
	return { width: Math.round(w * f), height: Math.round(h * f) };
}

/**
 * Closest ratio (by log distance) of the candidates to width/height.
 * @param {number} width
 * @param {number} height
 * @param {string[]} candidates
 */
function closestRatio(width, height, candidates) {
	const target = Math.log((width || 1) / (height || 1));
	let best = candidates[0];
	let bestD = Infinity;
	for (const c of candidates) {
		const [a, b] = c.split(':').map(Number);
		if (!a || !b) continue;
		const d = Math.abs(Math.log(a / b) - target);
		if (d < bestD) {
			bestD = d;
			best = c;
		}
	}
	return best;
}

module.exports = {
	VIDEO_MODELS,
	ALL_VIDEO_MODELS,
	DEFAULT_VIDEO_MODEL,
	VIDEO_RATIOS,
	VIDEO_RESOLUTIONS,
	VIDEO_PROMPT_MAX,
	MULTI_FRAME_MIN,
	MULTI_FRAME_MAX,
	FRAME_DURATION_MIN,
	FRAME_DURATION_MAX,
	FRAME_DURATION_DEFAULT,
	OMNI_MAX,
	ALL_VIDEO_RATIOS,
	UNKNOWN_MODEL_CAPS,
	videoCaps,
	FULL_QUALITY,
	INTERPOLATE_FPS,
	VIDEO_UPSCALE_COST,
	VIDEO_INTERPOLATE_COST,
	videoResolutions,
	durationList,
	IMAGE_MODELS,
	ALL_IMAGE_MODELS,
	DEFAULT_IMAGE_MODEL,
	IMAGE_RATIOS,
	IMAGE_RESOLUTIONS,
	IMAGE_PROMPT_MAX,
	IMAGE_REFS_MAX,
	IMAGES_PER_JOB,
	UPSCALE_RESOLUTIONS,
	UPSCALE_LONG_SIDE,
	REGION_MODELS,
	UPLOAD_TYPES,
	UPLOAD_MAX_MB,
	VIDEO_UPLOAD_MIN_MS,
	VIDEO_UPLOAD_MAX_MS,
	AUDIO_UPLOAD_MIN_MS,
	AUDIO_UPLOAD_MAX_MS,
	VIDEO_UPLOAD_MIN_PX,
	VIDEO_UPLOAD_MAX_PX,
	FAILURES,
	CANCEL_CODE,
	videoDims,
	imageDims,
	closestRatio,
};
