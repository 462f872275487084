/**
 * Documented capabilities of the Dreamina API (useapi.net), transcribed independently from
 * /work/shared/reference (newest page wins: POST /videos and POST /assets of 2026-04-03).
 * Deliberately NOT shared with nodes/ — the emulator is an independent check of the nodes.
 */

export type Region = 'US' | 'CA';
export type VideoMode = 'prompt' | 'first_frame' | 'end_frame' | 'multi_frame' | 'unified_edit';

export interface VideoModelCaps {
	regions: Region[];
	durations: number[];
	resolutions: string[]; // first entry is the default
	modes: VideoMode[];
	hasAudio: boolean;
	creditsPerSecond: number;
}

const range = (a: number, b: number): number[] =>
	Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Model table of POST /videos (2026-04-03). */
export const VIDEO_MODELS: Record<string, VideoModelCaps> = {
	'seedance-2.0': {
		regions: ['CA'],
		durations: range(4, 15),
		resolutions: ['720p'],
		modes: ['prompt', 'first_frame', 'end_frame', 'unified_edit'],
		hasAudio: true,
		creditsPerSecond: 6,
	},
	'seedance-2.0-fast': {
		regions: ['CA'],
		durations: range(4, 15),
		resolutions: ['720p'],
		modes: ['prompt', 'first_frame', 'end_frame', 'unified_edit'],
		hasAudio: true,
		creditsPerSecond: 4,
	},
	'seedance-1.5-pro': {
		regions: ['US', 'CA'],
		durations: [5, 10, 12],
		resolutions: ['720p', '1080p'],
		modes: ['prompt', 'first_frame', 'end_frame'],
		hasAudio: true,
		creditsPerSecond: 5,
	},
	'seedance-1.0-pro': {
		regions: ['CA'],
		durations: [5, 10],
		resolutions: ['1080p'],
		modes: ['prompt', 'first_frame'],
		hasAudio: false,
		creditsPerSecond: 5,
	},
	'seedance-1.0-mini': {
		regions: ['US', 'CA'],
		durations: [5, 10],
		resolutions: ['720p', '1080p'],
		modes: ['prompt', 'first_frame', 'multi_frame'],
		hasAudio: false,
		creditsPerSecond: 3,
	},
	'seedance-1.0-fast': {
		regions: ['CA'],
		durations: [5, 10],
		resolutions: ['720p', '1080p'],
		modes: ['prompt', 'first_frame', 'multi_frame'],
		hasAudio: false,
		creditsPerSecond: 2,
	},
	sora2: {
		regions: ['CA'],
		durations: [4, 8, 12],
		resolutions: ['720p'],
		modes: ['prompt', 'first_frame'],
		hasAudio: true,
		creditsPerSecond: 10,
	},
};

export const ALL_VIDEO_MODELS = Object.keys(VIDEO_MODELS);
export const DEFAULT_VIDEO_MODEL: Record<Region, string> = {
	US: 'seedance-1.5-pro',
	CA: 'seedance-2.0',
};
export const VIDEO_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'];
export const VIDEO_RESOLUTIONS = ['720p', '1080p'];
export const VIDEO_PROMPT_MAX = 5000;
export const MULTI_FRAME_MIN = 2;
export const MULTI_FRAME_MAX = 10;
export const FRAME_DURATION_MIN = 1;
export const FRAME_DURATION_MAX = 6;
export const FRAME_DURATION_DEFAULT = 5;
export const OMNI_MAX = { image: 9, video: 3, audio: 3 } as const;
export const OMNI_TOTAL_MAX = 12;
export const OMNI_VIDEO_TOTAL_MS = 15400;
export const OMNI_AUDIO_TOTAL_MS = 15000;

export interface ImageModelCaps {
	resolutions: string[];
	defaultResolution: string;
	maxRefs: number;
	promptRequired: boolean; // true: prompt required even with refs
	autoRatio: boolean;
	cost: number;
}

const seedream4 = (cost: number): ImageModelCaps => ({
	resolutions: ['2k', '4k'],
	defaultResolution: '2k',
	maxRefs: 6,
	promptRequired: false,
	autoRatio: true,
	cost,
});

/** POST /images model table (2026-03-02) + newer models named by the bundle's index (5.0-lite, 4.6). */
export const IMAGE_MODELS: Record<string, ImageModelCaps> = {
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
export const ALL_IMAGE_MODELS = Object.keys(IMAGE_MODELS);
export const DEFAULT_IMAGE_MODEL = 'seedream-4.0';
export const IMAGE_RATIOS = ['auto', '1:1', '3:4', '16:9', '4:3', '9:16', '2:3', '3:2', '21:9'];
export const IMAGE_RESOLUTIONS = ['1k', '2k', '4k'];
export const IMAGE_PROMPT_MAX = 1600;
export const IMAGE_REFS_MAX = 6;
export const IMAGES_PER_JOB = 4;
export const UPSCALE_RESOLUTIONS = ['2k', '4k', '8k'];
export const UPSCALE_LONG_SIDE: Record<string, number> = { '2k': 2048, '4k': 4096, '8k': 8192 };

/** Live model lists returned by GET /accounts/{account} (per region). */
export const REGION_MODELS: Record<Region, { video: string[]; image: string[] }> = {
	US: { video: ['seedance-1.5-pro', 'seedance-1.0-mini'], image: [...ALL_IMAGE_MODELS] },
	CA: { video: [...ALL_VIDEO_MODELS], image: [...ALL_IMAGE_MODELS] },
};

/** Upload kinds (POST /assets/{account}, 2026-04-03). */
export type AssetKind = 'image' | 'video' | 'audio';
export const UPLOAD_TYPES: Array<[string, AssetKind]> = [
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
export const UPLOAD_MAX_BYTES: Record<AssetKind, number> = {
	image: 10 * 1024 * 1024,
	video: 50 * 1024 * 1024,
	audio: 15 * 1024 * 1024,
};
export const UPLOAD_MAX_MB: Record<AssetKind, number> = { image: 10, video: 50, audio: 15 };
export const VIDEO_UPLOAD_MIN_MS = 2000;
export const VIDEO_UPLOAD_MAX_MS = 15400;
export const AUDIO_UPLOAD_MIN_MS = 2000;
export const AUDIO_UPLOAD_MAX_MS = 15000;
export const VIDEO_UPLOAD_MIN_PX = 200;
export const VIDEO_UPLOAD_MAX_PX = 2160;

/** Failure codes documented for failed jobs. */
export const FAILURES: Record<number, { error: string; errorDetails?: string }> = {
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
export const CANCEL_CODE = 499;

/** Pixel sizes for a ratio at a resolution tier. */
export function videoDims(ratio: string, resolution: string): { width: number; height: number } {
	const short = resolution === '1080p' ? 1080 : 720;
	const [a, b] = ratio.split(':').map(Number);
	const even = (n: number) => Math.round(n / 2) * 2;
	if (a >= b) return { width: even((short * a) / b), height: short };
	return { width: short, height: even((short * b) / a) };
}

const IMAGE_2K: Record<string, [number, number]> = {
	'1:1': [2048, 2048],
	'4:3': [2304, 1728],
	'3:4': [1728, 2304],
	'16:9': [2560, 1440],
	'9:16': [1440, 2560],
	'3:2': [2496, 1664],
	'2:3': [1664, 2496],
	'21:9': [3024, 1296],
};
export function imageDims(ratio: string, resolution: string): { width: number; height: number } {
	const [w, h] = IMAGE_2K[ratio] ?? IMAGE_2K['1:1'];
	const f = resolution === '1k' ? 0.5 : resolution === '4k' ? 2 : 1;
	return { width: Math.round(w * f), height: Math.round(h * f) };
}

/** Closest ratio (by log distance) of the candidates to width/height. */
export function closestRatio(width: number, height: number, candidates: string[]): string {
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
