/**
 * What the Dreamina API documents about models and limits, in one table.
 * Source: useapi.net/docs/api-dreamina-v1 (POST /videos and POST /assets of 2026-04-03, POST /images
 * of 2026-03-02) and the later pages named where their facts are used, which win. Which models an account offers is its live
 * list (GET /accounts/{account} → models, read in accounts.ts); this table only says what each model
 * takes, and which models the docs expect per region when the live list can't be read.
 */
import type { VideoMode } from './videoInputModes';

export type Region = 'US' | 'CA';
export const REGIONS: Region[] = ['US', 'CA'];

export const MB = 1024 * 1024;

/** An account is identified as REGION:email (e.g. US:user@example.com); unanchored, as n8n wants a locator's regex. */
export const ACCOUNT_ID_PATTERN = '[A-Z]{2}:[^\\s@]+@[^\\s@]+';

export type VideoResolution = '480p' | '720p' | '1080p' | '4k';
export const VIDEO_RESOLUTIONS: VideoResolution[] = ['480p', '720p', '1080p', '4k'];

/** Omni reference limits of a model: per kind, in all, and (Seedance 2.0) the summed lengths. */
export interface OmniLimits {
	maxImages: number;
	maxVideos: number;
	maxAudios: number;
	maxMaterials: number;
	maxTotalVideoMs?: number;
	maxTotalAudioMs?: number;
}

/**
 * One row per model: the node's options, its reference-list caps, its prompt limit and every
 * check before sending derive from these rows. A newcomer is one more row. A model that is not
 * here (or only in NAMED_VIDEO_MODELS) but on the account's live list is sent unchecked.
 */
export interface VideoModel {
	name: string;
	/** Regions the docs list it for; only used when an account's live list can't be read. */
	regions: Region[];
	durations: number[];
	/** Resolutions per region (first = the API's default): e.g. seedance-2.0 1080p and 4k on CA only. */
	resolutions: Record<Region, VideoResolution[]>;
	modes: VideoMode[];
	/** Duration the node sends when the user keeps "model default" (the API's own default is 5 s). */
	defaultDuration: number;
	ratios: readonly string[];
	promptMaxChars: number;
	/** set for the models with the omni mode */
	omni?: OmniLimits;
	/** length of each reference (or edited) video, where the model's own limit is documented */
	refVideoMs?: { min: number; max: number };
}

const range = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) => from + i);

const everywhere = (resolutions: VideoResolution[]): Record<Region, VideoResolution[]> => ({
	US: resolutions,
	CA: resolutions,
});

export const VIDEO_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const;
/** Ratios only happyhorse-1.1 takes (glama.ai/mcp/connectors/net.useapi/dreamina, dreamina_create_video, 2026-11). */
const HAPPYHORSE_RATIOS = [...VIDEO_RATIOS, '4:5', '5:4', '9:21'] as const;

/** Seedance 2.0 (POST /videos, 2026-04-03). */
const OMNI_2_0: OmniLimits = {
	maxImages: 9,
	maxVideos: 3,
	maxAudios: 3,
	maxMaterials: 12,
	maxTotalVideoMs: 15_400,
	maxTotalAudioMs: 15_000,
};
/** Seedance 2.5 and its draft (useapi.net/blog/260807, 2026-08-07): no summed-length cap stated. */
const OMNI_2_5: OmniLimits = { maxImages: 30, maxVideos: 10, maxAudios: 10, maxMaterials: 50 };

const seedance25 = (
	name: string,
	durations: number[],
	resolutions: Record<Region, VideoResolution[]>,
): VideoModel => ({
	name,
	regions: ['US', 'CA'],
	durations,
	resolutions,
	modes: ['prompt', 'first_frame', 'end_frame', 'omni', 'video_edit'],
	defaultDuration: 5,
	ratios: VIDEO_RATIOS,
	promptMaxChars: 15_000,
	omni: OMNI_2_5,
	refVideoMs: { min: 1800, max: 30_200 },
});

const seedance20 = (name: string, resolutions: Record<Region, VideoResolution[]>): VideoModel => ({
	name,
	regions: ['US', 'CA'],
	durations: range(4, 15),
	resolutions,
	modes: ['prompt', 'first_frame', 'end_frame', 'omni'],
	defaultDuration: 5,
	ratios: VIDEO_RATIOS,
	// useapi.net/blog/260807 (2026-08-07) says 4,000; the REST page (2026-04-03) 5,000: the API decides.
	promptMaxChars: 5000,
	omni: OMNI_2_0,
	refVideoMs: { min: 2000, max: 15_400 },
});

const older = (
	name: string,
	regions: Region[],
	durations: number[],
	resolutions: Record<Region, VideoResolution[]>,
	modes: VideoMode[],
	defaultDuration = 5,
): VideoModel => ({
	name,
	regions,
	durations,
	resolutions,
	modes,
	defaultDuration,
	ratios: VIDEO_RATIOS,
	promptMaxChars: 5000,
});

/**
 * Sources: POST /videos (2026-04-03); useapi.net/blog/260807 (2026-08-07: Seedance 2.5, 4–30 s,
 * 480p/720p); useapi.net/assets/postman/dreamina-v1.json (after 2026-08-07: 2.5 also 1080p on CA,
 * 31–180 s long video, seedance-2.0 1080p/4K on CA only); useapi.net/docs/api-dreamina-v1/
 * post-dreamina-videos-full-quality (2026-11-12: seedance-2.5-draft, 480p, 4–30 s). Where they
 * disagree a row takes the wider reading and the API decides.
 */
export const VIDEO_MODELS: VideoModel[] = [
	seedance25('seedance-2.5', range(4, 180), {
		US: ['480p', '720p'],
		CA: ['480p', '720p', '1080p'],
	}),
	seedance25('seedance-2.5-draft', range(4, 30), everywhere(['480p'])),
	seedance20('seedance-2.0', { US: ['720p'], CA: ['720p', '1080p', '4k'] }),
	seedance20('seedance-2.0-fast', everywhere(['720p'])),
	older('seedance-1.5-pro', ['US', 'CA'], [5, 10, 12], everywhere(['720p', '1080p']), [
		'prompt',
		'first_frame',
		'end_frame',
	]),
	older('seedance-1.0-pro', ['CA'], [5, 10], everywhere(['1080p']), ['prompt', 'first_frame']),
	older('seedance-1.0-mini', ['US', 'CA'], [5, 10], everywhere(['720p', '1080p']), [
		'prompt',
		'first_frame',
		'multi_frame',
	]),
	older('seedance-1.0-fast', ['CA'], [5, 10], everywhere(['720p', '1080p']), [
		'prompt',
		'first_frame',
		'multi_frame',
	]),
	older('sora2', ['CA'], [4, 8, 12], everywhere(['720p']), ['prompt', 'first_frame'], 4),
];

/**
 * Models the docs name without their limits (useapi.net/assets/postman/dreamina-v1.json;
 * glama.ai dreamina_create_video, 2026-11): listed when an account's live list can't be read, sent
 * without model-limit checks like any model the table does not know; `ratios` what is known.
 */
export const NAMED_VIDEO_MODELS: Array<{
	name: string;
	regions: Region[];
	ratios?: readonly string[];
}> = [
	{ name: 'seedance-2.0-mini', regions: ['US', 'CA'] },
	{ name: 'happyhorse-1.1', regions: ['US', 'CA'], ratios: HAPPYHORSE_RATIOS },
];

/** The models of a region the docs name, checked or not (the list shown when the live one can't be read). */
export function documentedVideoModels(region?: Region): string[] {
	return [...VIDEO_MODELS, ...NAMED_VIDEO_MODELS]
		.filter((m) => !region || m.regions.includes(region))
		.map((m) => m.name);
}

/**
 * The model the API uses when none is sent (useapi.net/docs/articles/dreamina-bash, 2026-07-19). Only
 * the checks use it; finding a lost reply does not (the default may change).
 */
export const DEFAULT_VIDEO_MODEL: Record<Region, string> = {
	CA: 'seedance-2.0',
	US: 'seedance-2.0',
};

/** Every ratio some model takes: the editor offers them all, the checks refuse what the model lacks. */
export const ALL_VIDEO_RATIOS: readonly string[] = [
	...new Set([...VIDEO_MODELS, ...NAMED_VIDEO_MODELS].flatMap((m) => m.ratios ?? [])),
];

const most = (pick: (omni: OmniLimits) => number) =>
	Math.max(...VIDEO_MODELS.map((m) => (m.omni ? pick(m.omni) : 0)));

/** The widest limits of any model: the shape of a request (list caps, prompt field); each model's own are checked after. */
export const VIDEO_LIMITS = {
	promptMaxChars: Math.max(...VIDEO_MODELS.map((m) => m.promptMaxChars)),
	multiFrame: { minFrames: 2, maxFrames: 10, minDuration: 1, maxDuration: 6, defaultDuration: 5 },
	omni: {
		maxImages: most((o) => o.maxImages),
		maxVideos: most((o) => o.maxVideos),
		maxAudios: most((o) => o.maxAudios),
		maxMaterials: most((o) => o.maxMaterials),
	},
};

/**
 * Enhancing a finished video (each a new video job of GET /videos): a seedance-2.5-draft finished at
 * 1080p, or 4k on CA accounts (useapi.net/docs/api-dreamina-v1/post-dreamina-videos-full-quality,
 * 2026-11-12); upscale (doubles width and height) and interpolation to 30 or 60 fps, once per video,
 * not on a draft (…/post-dreamina-videos-upscale and …/post-dreamina-videos-interpolate, 2026-04-02).
 */
export const VIDEO_ENHANCEMENT = {
	draftModel: 'seedance-2.5-draft',
	fullQualityResolutions: ['1080p', '4k'] as const,
	/** resolutions only CA accounts finish a draft in */
	caOnlyResolutions: ['4k'],
	interpolateFps: [30, 60] as const,
	/** record types (jobid letters V, F) */
	upscaleType: 'video-upscale',
	interpolateType: 'video-interpolate',
};

/** Settings of a Dreamina account (POST /accounts), also overridable per job-creating request. */
export const ACCOUNT_LIMITS = {
	maxJobs: { min: 1, max: 50, default: 10 },
};

export type ImageResolution = '1k' | '2k' | '4k';
export const IMAGE_RESOLUTIONS: ImageResolution[] = ['1k', '2k', '4k'];

export interface ImageModel {
	name: string;
	resolutions: ImageResolution[];
	defaultResolution: ImageResolution;
	maxRefs: number;
	/** false: the prompt may be left out when reference images are given */
	promptRequired: boolean;
	autoRatio: boolean;
}

const seedream4 = (name: string): ImageModel => ({
	name,
	resolutions: ['2k', '4k'],
	defaultResolution: '2k',
	maxRefs: 6,
	promptRequired: false,
	autoRatio: true,
});

export const IMAGE_MODELS: ImageModel[] = [
	seedream4('seedream-5.0-lite'),
	seedream4('seedream-4.6'),
	seedream4('seedream-4.5'),
	seedream4('seedream-4.1'),
	seedream4('seedream-4.0'),
	{
		name: 'nano-banana',
		resolutions: ['1k'],
		defaultResolution: '1k',
		maxRefs: 3,
		promptRequired: true,
		autoRatio: true,
	},
	{
		name: 'seedream-3.0',
		resolutions: ['1k', '2k'],
		defaultResolution: '1k',
		maxRefs: 1,
		promptRequired: true,
		autoRatio: false,
	},
];

/** The model the API uses when none is sent (free on every account). */
export const DEFAULT_IMAGE_MODEL = 'seedream-4.0';

export const IMAGE_RATIOS = [
	'auto',
	'1:1',
	'3:4',
	'16:9',
	'4:3',
	'9:16',
	'2:3',
	'3:2',
	'21:9',
] as const;

export const IMAGE_LIMITS = {
	promptMaxChars: 1600,
	/** the most any model takes; each model's own limit is ImageModel.maxRefs */
	maxRefs: Math.max(...IMAGE_MODELS.map((model) => model.maxRefs)),
	imageStrength: { min: 0, max: 1, default: 0.5 },
};

export const UPSCALE = {
	resolutions: ['2k', '4k', '8k'] as const,
	maxImageIndex: 3,
};

/** GET /assets/{account}?count=1..100 */
export const HISTORY_PAGE_SIZE = { max: 100 };

export type AssetKind = 'image' | 'video' | 'audio';

export interface AssetRule {
	kind: AssetKind;
	maxBytes: number;
	/** duration limits in milliseconds (video/audio) */
	minDurationMs?: number;
	maxDurationMs?: number;
	/** pixel limits per side (video) */
	minPixels?: number;
	maxPixels?: number;
}

/** Uploads (glama.ai dreamina_upload_asset, 2026-11; were 2–15.4 s, 200–2160 px, audio 2–15 s). Each model's own reference limits are checked at the generating request. */
export const ASSET_RULES: Record<AssetKind, AssetRule> = {
	image: { kind: 'image', maxBytes: 10 * MB },
	video: {
		kind: 'video',
		maxBytes: 50 * MB,
		minDurationMs: 1800,
		maxDurationMs: 30_200,
		minPixels: 300,
		maxPixels: 6000,
	},
	audio: { kind: 'audio', maxBytes: 15 * MB, minDurationMs: 1800, maxDurationMs: 30_200 },
};

/** Content-Types the upload endpoint takes, with the file extensions that map to them. */
export const ASSET_CONTENT_TYPES: Record<string, { kind: AssetKind; extensions: string[] }> = {
	'image/jpeg': { kind: 'image', extensions: ['jpg', 'jpeg'] },
	'image/png': { kind: 'image', extensions: ['png'] },
	'image/webp': { kind: 'image', extensions: ['webp'] },
	'video/mp4': { kind: 'video', extensions: ['mp4'] },
	'video/quicktime': { kind: 'video', extensions: ['mov'] },
	'video/webm': { kind: 'video', extensions: ['webm'] },
	'audio/mpeg': { kind: 'audio', extensions: ['mp3'] },
	'audio/mp3': { kind: 'audio', extensions: [] },
	'audio/wav': { kind: 'audio', extensions: ['wav'] },
	'audio/x-wav': { kind: 'audio', extensions: [] },
	'audio/mp4': { kind: 'audio', extensions: ['m4a'] },
	'audio/aac': { kind: 'audio', extensions: ['aac'] },
};

/** Other names files carry for those types (as browsers, n8n and OSes report them) → the type sent. */
export const ASSET_CONTENT_TYPE_ALIASES: Record<string, string> = {
	'image/jpg': 'image/jpeg',
	'image/pjpeg': 'image/jpeg',
	'video/x-m4v': 'video/mp4',
	'audio/x-wav': 'audio/wav',
	'audio/wave': 'audio/wav',
	'audio/vnd.wave': 'audio/wav',
	'audio/x-pn-wav': 'audio/wav',
	'audio/x-mp3': 'audio/mpeg',
	'audio/x-mpeg': 'audio/mpeg',
	'audio/mpeg3': 'audio/mpeg',
	'audio/x-mpeg-3': 'audio/mpeg',
	'audio/m4a': 'audio/mp4',
	'audio/x-m4a': 'audio/mp4',
	'audio/x-aac': 'audio/aac',
	'audio/aacp': 'audio/aac',
};

/** Failed-job codes and what the user can do about each. */
export const FAILED_JOB_CODES: Record<number, { meaning: string; hint: string }> = {
	408: {
		meaning: 'generation timed out (still running after 1 hour)',
		hint: 'Dreamina gave up on this job. Submit it again, ideally at a quieter time.',
	},
	596: {
		meaning: 'the account session expired',
		hint: 'Re-add the account (Dreamina node → Account → Add) with its email and password, then submit again.',
	},
	2038: {
		meaning: 'content filtered',
		hint: 'Dreamina’s moderation blocked the prompt or reference images. Rephrase the prompt or use other images (Seedance 2.0 rejects real human faces).',
	},
	2043: {
		meaning: 'output video risk',
		hint: 'The finished video was blocked by moderation. Change the prompt or references and submit again.',
	},
	2057: {
		meaning: 'upstream processing error',
		hint: 'Dreamina failed while generating. Submitting again usually works.',
	},
};

export function findVideoModel(name: string | undefined): VideoModel | undefined {
	return VIDEO_MODELS.find((m) => m.name === name);
}

export function findImageModel(name: string | undefined): ImageModel | undefined {
	return IMAGE_MODELS.find((m) => m.name === name);
}

/** "4–15" for a run of whole seconds, "5, 10 or 12" otherwise. */
export function describeDurations(durations: number[]): string {
	const contiguous = durations.every((d, i) => i === 0 || d === durations[i - 1] + 1);
	return contiguous && durations.length > 2
		? `${durations[0]}–${durations[durations.length - 1]}`
		: durations.join(', ').replace(/, (\d+)$/, ' or $1');
}
