import { z } from 'zod';

import { accountOfRef, closestVideoRatio, parseAssetRef, regionOfAccount } from '../assetRef';
import type { VideoMode, VideoModel } from '../capabilities';
import {
	DEFAULT_VIDEO_MODEL,
	findVideoModel,
	VIDEO_LIMITS,
	VIDEO_MODE_LABELS,
	VIDEO_MODELS,
	VIDEO_RATIOS,
} from '../capabilities';
import { accountId, assetRefString, fail, presentIndexes, replyFields } from './common';

const { multiFrame, omni } = VIDEO_LIMITS;

const prompt = z
	.string()
	.trim()
	.min(1, 'must not be empty')
	.max(VIDEO_LIMITS.promptMaxChars, `must be at most ${VIDEO_LIMITS.promptMaxChars} characters`);

const base = {
	account: accountId.optional(),
	model: z.string().trim().min(1).optional(),
	duration: z
		.number()
		.int('must be a whole number of seconds')
		.positive('must be positive')
		.optional(),
	resolution: z.enum(['720p', '1080p'], { message: 'must be 720p or 1080p' }).optional(),
	...replyFields,
};

const ratio = z.enum(VIDEO_RATIOS, { message: `must be one of ${VIDEO_RATIOS.join(', ')}` });

const frameKeys = Object.fromEntries(
	Array.from({ length: multiFrame.maxFrames }, (_, i) => [
		[`frame_${i + 1}_imageRef`, assetRefString.optional()],
		[`frame_${i + 1}_prompt`, prompt.optional()],
		[
			`frame_${i + 1}_duration`,
			z
				.number()
				.int('must be a whole number of seconds')
				.min(
					multiFrame.minDuration,
					`must be ${multiFrame.minDuration}–${multiFrame.maxDuration} seconds`,
				)
				.max(
					multiFrame.maxDuration,
					`must be ${multiFrame.minDuration}–${multiFrame.maxDuration} seconds`,
				)
				.optional(),
		],
	]).flat(),
);

const omniKeys = Object.fromEntries([
	...Array.from({ length: omni.maxImages }, (_, i) => [
		`omni_${i + 1}_imageRef`,
		assetRefString.optional(),
	]),
	...Array.from({ length: omni.maxVideos }, (_, i) => [
		`omni_${i + 1}_videoRef`,
		assetRefString.optional(),
	]),
	...Array.from({ length: omni.maxAudios }, (_, i) => [
		`omni_${i + 1}_audioRef`,
		assetRefString.optional(),
	]),
]);

type VideoRequest = Record<string, unknown> & {
	account?: string;
	model?: string;
	duration?: number;
	resolution?: string;
	prompt?: string;
};

const REF_KEY =
	/^(firstFrameRef|endFrameRef|frame_\d+_imageRef|omni_\d+_(?:image|video|audio)Ref)$/;

function refsOf(request: VideoRequest): Array<[string, string]> {
	return Object.entries(request).filter(
		(entry): entry is [string, string] => REF_KEY.test(entry[0]) && typeof entry[1] === 'string',
	);
}

/** Every ref must come from one account (the API infers the account from them), and match `account`. */
function checkRefAccounts(request: VideoRequest, ctx: z.RefinementCtx): string | undefined {
	let account = request.account;
	let accountSource = 'account';
	for (const [key, ref] of refsOf(request)) {
		const refAccount = accountOfRef(ref);
		if (!refAccount) continue;
		if (account && refAccount !== account) {
			fail(
				ctx,
				key,
				`belongs to account ${refAccount}, but ${accountSource === 'account' ? 'Account is' : `${accountSource} belongs to`} ${account}: upload all assets with the account that generates`,
			);
			return account;
		}
		account = refAccount;
		accountSource = key;
	}
	return account;
}

/** Refs must be of the kind the parameter takes (an image where an image goes). */
function checkRefKinds(request: VideoRequest, ctx: z.RefinementCtx) {
	for (const [key, ref] of refsOf(request)) {
		const parsed = parseAssetRef(ref);
		if (!parsed) continue;
		const expected = /videoRef$/.test(key) ? 'video' : /audioRef$/.test(key) ? 'audio' : 'image';
		if (parsed.kind !== expected)
			fail(ctx, key, `must be an ${expected} assetRef, got a ${parsed.kind} asset`);
	}
}

function sameRatio(request: VideoRequest, keys: string[], ctx: z.RefinementCtx, what: string) {
	let first: { key: string; ratio: string } | undefined;
	for (const key of keys) {
		const parsed =
			typeof request[key] === 'string' ? parseAssetRef(request[key] as string) : undefined;
		if (!parsed?.width || !parsed.height) continue;
		const ratio = closestVideoRatio(parsed.width, parsed.height);
		if (!first) first = { key, ratio };
		else if (ratio !== first.ratio) {
			fail(
				ctx,
				key,
				`${what} must have the same aspect ratio: this image is ${ratio}, ${first.key} is ${first.ratio}`,
			);
			return;
		}
	}
}

/** The model the API will use: the one asked for, or the region's default when the account is known. */
function effectiveModel(request: VideoRequest, account: string | undefined) {
	if (request.model)
		return { name: request.model, model: findVideoModel(request.model), explicit: true };
	const region = regionOfAccount(account);
	const name = region ? DEFAULT_VIDEO_MODEL[region] : undefined;
	return { name, model: findVideoModel(name), explicit: false };
}

function modelsFor(mode: VideoMode, region?: string) {
	return VIDEO_MODELS.filter(
		(m) => m.modes.includes(mode) && (!region || m.regions.includes(region as never)),
	).map((m) => m.name);
}

/** Rules that depend on the model: region, input mode, durations, resolution. Unknown models pass. */
function checkModel(
	request: VideoRequest,
	mode: VideoMode,
	ctx: z.RefinementCtx,
	totalDuration?: number,
) {
	const account = checkRefAccounts(request, ctx);
	const region = regionOfAccount(account);
	const { name, model, explicit } = effectiveModel(request, account);

	if (!name) {
		// Account unknown (auto) and no model: the default depends on the account the API picks.
		if (mode === 'multi_frame') {
			fail(
				ctx,
				'model',
				`Multi-Frame needs a model that supports keyframes: choose ${modelsFor(mode).join(' or ')}`,
			);
		}
		return;
	}
	if (!model) return; // a model newer than these docs: the API checks it
	const which = explicit ? name : `${name} (the default for ${region} accounts)`;
	if (region && !model.regions.includes(region)) {
		fail(
			ctx,
			'model',
			`${which} is not available in the ${region} region (only ${model.regions.join(', ')}); models for ${region}: ${modelsFor(mode, region).join(', ')}`,
		);
		return;
	}
	if (!model.modes.includes(mode)) {
		fail(
			ctx,
			'model',
			`${which} does not support ${VIDEO_MODE_LABELS[mode]}; models that do: ${modelsFor(mode, region).join(', ')}`,
		);
		return;
	}
	checkDuration(model, request.duration, 'duration', ctx);
	if (totalDuration !== undefined)
		checkDuration(model, totalDuration, 'frame_1_duration', ctx, true);
	if (request.resolution && !model.resolutions.includes(request.resolution as never)) {
		fail(ctx, 'resolution', `${name} supports ${model.resolutions.join(', ')} only`);
	}
}

function checkDuration(
	model: VideoModel,
	duration: number | undefined,
	parameter: string,
	ctx: z.RefinementCtx,
	keyframes = false,
) {
	if (duration === undefined || model.durations.includes(duration)) return;
	const allowed = describeDurations(model.durations);
	fail(
		ctx,
		parameter,
		keyframes
			? `the durations of all keyframes but the last add up to ${duration} s, which ${model.name} does not take; they must add up to ${allowed} seconds`
			: `${model.name} takes ${allowed} seconds, not ${duration}`,
	);
}

export function describeDurations(durations: number[]): string {
	const contiguous = durations.every((d, i) => i === 0 || d === durations[i - 1] + 1);
	return contiguous && durations.length > 2
		? `${durations[0]}–${durations[durations.length - 1]}`
		: durations.join(', ').replace(/, (\d+)$/, ' or $1');
}

const promptMode = z
	.object({ ...base, prompt, ratio: ratio.optional() })
	.strict()
	.superRefine((r, ctx) => checkModel(r, 'prompt', ctx));

const firstFrameMode = z
	.object({ ...base, prompt: prompt.optional(), firstFrameRef: assetRefString })
	.strict()
	.superRefine((r, ctx) => {
		checkRefKinds(r, ctx);
		checkModel(r, 'first_frame', ctx);
	});

const endFrameMode = z
	.object({
		...base,
		prompt: prompt.optional(),
		firstFrameRef: assetRefString,
		endFrameRef: assetRefString,
	})
	.strict()
	.superRefine((r, ctx) => {
		checkRefKinds(r, ctx);
		sameRatio(r, ['firstFrameRef', 'endFrameRef'], ctx, 'First and last frame');
		checkModel(r, 'end_frame', ctx);
	});

const multiFrameMode = z
	.object({ ...base, ...frameKeys })
	.strict()
	.superRefine((r, ctx) => {
		const frames = presentIndexes(r, /^frame_(\d+)_imageRef$/);
		if (frames.length < multiFrame.minFrames) {
			fail(
				ctx,
				`frame_${frames.length + 1}_imageRef`,
				`Multi-Frame needs ${multiFrame.minFrames}–${multiFrame.maxFrames} keyframes, got ${frames.length}`,
			);
			return;
		}
		const gap = frames.findIndex((n, i) => n !== i + 1);
		if (gap !== -1) {
			fail(
				ctx,
				`frame_${gap + 1}_imageRef`,
				`keyframes must be numbered 1..N without gaps (found ${frames.join(', ')})`,
			);
			return;
		}
		for (const key of Object.keys(r)) {
			const n = /^frame_(\d+)_(?:prompt|duration)$/.exec(key)?.[1];
			if (n && r[key] !== undefined && !frames.includes(Number(n)))
				fail(ctx, key, `keyframe ${n} has no image`);
		}
		checkRefKinds(r, ctx);
		sameRatio(
			r,
			frames.map((n) => `frame_${n}_imageRef`),
			ctx,
			'All keyframe images',
		);
		// The video lasts as long as the keyframe intervals: every keyframe but the last.
		const total = frames
			.slice(0, -1)
			.reduce(
				(sum, n) =>
					sum + ((r[`frame_${n}_duration`] as number | undefined) ?? multiFrame.defaultDuration),
				0,
			);
		checkModel(r, 'multi_frame', ctx, total);
	});

const omniMode = z
	.object({ ...base, prompt, ratio: ratio.optional(), ...omniKeys })
	.strict()
	.superRefine((r, ctx) => {
		const counts = { image: 0, video: 0, audio: 0 };
		for (const kind of ['image', 'video', 'audio'] as const) {
			const present = presentIndexes(r, new RegExp(`^omni_(\\d+)_${kind}Ref$`));
			counts[kind] = present.length;
			for (const n of present) {
				if (!new RegExp(`@${kind}${n}(?!\\d)`).test(r.prompt ?? '')) {
					fail(
						ctx,
						`omni_${n}_${kind}Ref`,
						`is not used in the prompt: write @${kind}${n} where it belongs`,
					);
				}
			}
			for (const match of (r.prompt ?? '').matchAll(new RegExp(`@${kind}(\\d+)`, 'g'))) {
				if (!present.includes(Number(match[1]))) {
					fail(
						ctx,
						'prompt',
						`mentions @${kind}${match[1]} but no ${kind} reference ${match[1]} is given`,
					);
				}
			}
		}
		const total = counts.image + counts.video + counts.audio;
		if (total === 0)
			fail(
				ctx,
				'omni_1_imageRef',
				'Omni Reference needs at least one image, video or audio reference',
			);
		if (total > omni.maxMaterials) {
			fail(
				ctx,
				'omni_1_imageRef',
				`at most ${omni.maxMaterials} references in all (images + videos + audios), got ${total}`,
			);
		}
		checkRefKinds(r, ctx);
		for (const [kind, limit] of [
			['video', omni.maxTotalVideoMs],
			['audio', omni.maxTotalAudioMs],
		] as const) {
			const keys = Object.keys(r).filter(
				(k) => new RegExp(`^omni_\\d+_${kind}Ref$`).test(k) && r[k],
			);
			const totalMs = keys.reduce(
				(sum, k) => sum + (parseAssetRef(r[k] as string)?.durationMs ?? 0),
				0,
			);
			if (totalMs > limit) {
				fail(
					ctx,
					keys[keys.length - 1],
					`${kind} references last ${(totalMs / 1000).toFixed(1)} s together; the limit is ${limit / 1000} s`,
				);
			}
		}
		checkModel(r, 'omni', ctx);
	});

/** One schema per input mode; the mode is what the user picked, the API derives the same from the fields. */
export const videoRequestSchemas: Record<VideoMode, z.ZodTypeAny> = {
	prompt: promptMode,
	first_frame: firstFrameMode,
	end_frame: endFrameMode,
	multi_frame: multiFrameMode,
	omni: omniMode,
};

/** Why a parameter of another mode cannot be sent in this one (zod's `.strict()` finds it). */
export function unexpectedVideoKey(mode: VideoMode, key: string): string {
	if (key === 'ratio')
		return 'cannot be set when frame images are given: the video takes the images’ aspect ratio';
	if (key === 'prompt' && mode === 'multi_frame')
		return 'cannot be used with Multi-Frame: give each keyframe its own prompt';
	return `is not used by ${VIDEO_MODE_LABELS[mode]}`;
}
