/**
 * What the Dreamina API documents about models and limits, in one table.
 * Source: the API pages in the steering repo's shared/reference (POST /videos and POST /assets of
 * 2026-04-03, POST /images of 2026-03-02, the docs bundle's newer image model names) and the later
 * facts of dreamina-changes-after-2026-04-03.md, which win. Which models an account offers is its live
 * list (GET /accounts/{account} → models, read in accounts.ts); this table only says what each model
 * takes, and which models the docs expect per region when the live list can't be read.
 */
import type { VideoMode } from './videoInputModes';

export type Region = 'US' | 'CA';
export const REGIONS: Region[] = ['US', 'CA'];

export const MB = 1024 * 1024;

/** An account is identified as REGION:email (e.g. US:user@example.com); unanchored, as n8n wants a locator's regex. */
export const ACCOUNT_ID_PATTERN = '[A-Z]{2}:[^\\s@]+@[^\\s@]+';

export type VideoResolution = '720p' | '1080p';
export const VIDEO_RESOLUTIONS: VideoResolution[] = ['720p', '1080p'];

export interface VideoModel {
	name: string;
	/** Regions the docs list it for; only used when an account's live list can't be read. */
	regions: Region[];
	durations: number[];
	/** Resolutions per region: limits can differ by region (seedance-2.0 1080p: CA only, 2026-04-17). */
	resolutions: Record<Region, VideoResolution[]>;
	modes: VideoMode[];
	/** Duration the node sends when the user keeps "model default" (the API's own default is 5 s). */
	defaultDuration: number;
}

const range = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) => from + i);

const everywhere = (resolutions: VideoResolution[]): Record<Region, VideoResolution[]> => ({
	US: resolutions,
	CA: resolutions,
});

export const VIDEO_MODELS: VideoModel[] = [
	{
		name: 'seedance-2.0',
		regions: ['US', 'CA'],
		durations: range(4, 15),
		resolutions: { US: ['720p'], CA: ['720p', '1080p'] },
		modes: ['prompt', 'first_frame', 'end_frame', 'omni'],
		defaultDuration: 5,
	},
	{
		name: 'seedance-2.0-fast',
		regions: ['US', 'CA'],
		durations: range(4, 15),
		resolutions: everywhere(['720p']),
		modes: ['prompt', 'first_frame', 'end_frame', 'omni'],
		defaultDuration: 5,
	},
	{
		name: 'seedance-1.5-pro',
		regions: ['US', 'CA'],
		durations: [5, 10, 12],
		resolutions: everywhere(['720p', '1080p']),
		modes: ['prompt', 'first_frame', 'end_frame'],
		defaultDuration: 5,
	},
	{
		name: 'seedance-1.0-pro',
		regions: ['CA'],
		durations: [5, 10],
		resolutions: everywhere(['1080p']),
		modes: ['prompt', 'first_frame'],
		defaultDuration: 5,
	},
	{
		name: 'seedance-1.0-mini',
		regions: ['US', 'CA'],
		durations: [5, 10],
		resolutions: everywhere(['720p', '1080p']),
		modes: ['prompt', 'first_frame', 'multi_frame'],
		defaultDuration: 5,
	},
	{
		name: 'seedance-1.0-fast',
		regions: ['CA'],
		durations: [5, 10],
		resolutions: everywhere(['720p', '1080p']),
		modes: ['prompt', 'first_frame', 'multi_frame'],
		defaultDuration: 5,
	},
	{
		name: 'sora2',
		regions: ['CA'],
		durations: [4, 8, 12],
		resolutions: everywhere(['720p']),
		modes: ['prompt', 'first_frame'],
		defaultDuration: 4,
	},
];

/** The model the API uses when none is sent. */
export const DEFAULT_VIDEO_MODEL: Record<Region, string> = {
	CA: 'seedance-2.0',
	US: 'seedance-1.5-pro',
};

export const VIDEO_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const;

export const VIDEO_LIMITS = {
	promptMaxChars: 5000,
	multiFrame: { minFrames: 2, maxFrames: 10, minDuration: 1, maxDuration: 6, defaultDuration: 5 },
	omni: {
		maxImages: 9,
		maxVideos: 3,
		maxAudios: 3,
		maxMaterials: 12,
		maxTotalVideoMs: 15_400,
		maxTotalAudioMs: 15_000,
	},
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

export const ASSET_RULES: Record<AssetKind, AssetRule> = {
	image: { kind: 'image', maxBytes: 10 * MB },
	video: {
		kind: 'video',
		maxBytes: 50 * MB,
		minDurationMs: 2000,
		maxDurationMs: 15_400,
		minPixels: 200,
		maxPixels: 2160,
	},
	audio: { kind: 'audio', maxBytes: 15 * MB, minDurationMs: 2000, maxDurationMs: 15_000 },
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
