import { z } from 'zod';

import { accountOfRef, closestVideoRatio, parseAssetRef } from '../shared/assetRef';
import { ALL_VIDEO_RATIOS, VIDEO_LIMITS, VIDEO_RESOLUTIONS } from '../shared/capabilities';
import {
	accountId,
	assetRefString,
	fail,
	oneOf,
	presentIndexes,
	replyFields,
} from '../shared/schemas/common';
import type { VideoInputMode, VideoMode } from '../shared/videoInputModes';
import { OMNI_KINDS, VIDEO_INPUT_MODES } from '../shared/videoInputModes';

/**
 * The shape of a POST /videos request per input mode: what is certainly invalid whatever the
 * model (numbering, placeholders, the widest counts, kinds, one account). Model limits (durations,
 * resolutions, ratios, prompt length, reference caps and lengths, modes, models offered) are checked separately against the account's live list
 * (shared/modelChecks.ts), because they change faster than the docs.
 */
const { multiFrame, omni } = VIDEO_LIMITS;
const OMNI_MAX = { image: omni.maxImages, video: omni.maxVideos, audio: omni.maxAudios };

const prompt = z
	.string()
	.trim()
	.min(1, 'must not be empty')
	.max(VIDEO_LIMITS.promptMaxChars, `must be at most ${VIDEO_LIMITS.promptMaxChars} characters`);

const frameDuration = z
	.number()
	.int('must be a whole number of seconds')
	.min(
		multiFrame.minDuration,
		`must be ${multiFrame.minDuration}–${multiFrame.maxDuration} seconds`,
	)
	.max(
		multiFrame.maxDuration,
		`must be ${multiFrame.minDuration}–${multiFrame.maxDuration} seconds`,
	);

const keyframeKeys = Object.fromEntries(
	Array.from({ length: multiFrame.maxFrames }, (_, i) => [
		[`frame_${i + 1}_imageRef`, assetRefString.optional()],
		[`frame_${i + 1}_prompt`, prompt.optional()],
		[`frame_${i + 1}_duration`, frameDuration.optional()],
	]).flat(),
);

const omniKeys = Object.fromEntries(
	OMNI_KINDS.flatMap((kind) =>
		Array.from({ length: OMNI_MAX[kind] }, (_, i) => [
			`omni_${i + 1}_${kind}Ref`,
			assetRefString.optional(),
		]),
	),
);

type VideoRequest = Record<string, unknown> & { account?: string; prompt?: string };

const REF_KEY =
	/^(firstFrameRef|endFrameRef|editVideoRef|frame_\d+_imageRef|omni_\d+_(?:image|video|audio)Ref)$/;

export function refsOf(request: Record<string, unknown>): Array<[string, string]> {
	return Object.entries(request).filter(
		(entry): entry is [string, string] => REF_KEY.test(entry[0]) && typeof entry[1] === 'string',
	);
}

/** Every ref must come from one account (the API infers the account from them), and match `account`. */
function checkRefAccounts(request: VideoRequest, ctx: z.RefinementCtx) {
	let account = request.account;
	let accountSource = 'account';
	for (const [key, ref] of refsOf(request)) {
		const refAccount = accountOfRef(ref);
		if (!refAccount) continue;
		if (account && refAccount !== account) {
			const other = accountSource === 'account' ? 'Account is' : `${accountSource} belongs to`;
			fail(
				ctx,
				key,
				`belongs to account ${refAccount}, but ${other} ${account}: upload all assets with the account that generates`,
			);
			return;
		}
		account = refAccount;
		accountSource = key;
	}
}

/** Refs must be of the kind the parameter takes (an image where an image goes). */
function checkRefKinds(request: VideoRequest, ctx: z.RefinementCtx) {
	for (const [key, ref] of refsOf(request)) {
		const parsed = parseAssetRef(ref);
		if (!parsed) continue;
		const expected = /[vV]ideoRef$/.test(key) ? 'video' : /audioRef$/.test(key) ? 'audio' : 'image';
		if (parsed.kind !== expected) {
			fail(ctx, key, `must be an ${expected} assetRef, got a ${parsed.kind} asset`);
		}
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

function checkKeyframes(request: VideoRequest, ctx: z.RefinementCtx) {
	const frames = presentIndexes(request, /^frame_(\d+)_imageRef$/);
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
	for (const key of Object.keys(request)) {
		const n = /^frame_(\d+)_(?:prompt|duration)$/.exec(key)?.[1];
		if (n && request[key] !== undefined && !frames.includes(Number(n))) {
			fail(ctx, key, `keyframe ${n} has no image`);
		}
	}
	sameRatio(
		request,
		frames.map((n) => `frame_${n}_imageRef`),
		ctx,
		'All keyframe images',
	);
}

function checkOmni(request: VideoRequest, ctx: z.RefinementCtx) {
	let total = 0;
	for (const kind of OMNI_KINDS) {
		const present = presentIndexes(request, new RegExp(`^omni_(\\d+)_${kind}Ref$`));
		total += present.length;
		for (const n of present) {
			if (!new RegExp(`@${kind}${n}(?!\\d)`).test(request.prompt ?? '')) {
				fail(
					ctx,
					`omni_${n}_${kind}Ref`,
					`is not used in the prompt: write @${kind}${n} where it belongs`,
				);
			}
		}
		for (const match of (request.prompt ?? '').matchAll(new RegExp(`@${kind}(\\d+)`, 'g'))) {
			if (!present.includes(Number(match[1]))) {
				fail(
					ctx,
					'prompt',
					`mentions @${kind}${match[1]} but no ${kind} reference ${match[1]} is given`,
				);
			}
		}
	}
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
}

function shapeOf(mode: VideoInputMode) {
	return {
		account: accountId.optional(),
		model: z.string().trim().min(1).optional(),
		resolution: oneOf(VIDEO_RESOLUTIONS).optional(),
		...replyFields,
		...(mode.duration
			? {
					duration: z
						.number()
						.int('must be a whole number of seconds')
						.positive('must be positive')
						.optional(),
				}
			: {}),
		...(mode.prompt === 'none'
			? {}
			: { prompt: mode.prompt === 'required' ? prompt : prompt.optional() }),
		...(mode.ratio ? { ratio: oneOf(ALL_VIDEO_RATIOS).optional() } : {}),
		...(mode.editVideo ? { [mode.editVideo.apiName]: assetRefString } : {}),
		...Object.fromEntries(mode.frames.map((frame) => [frame.apiName, assetRefString])),
		...(mode.keyframes ? keyframeKeys : {}),
		...(mode.omni ? omniKeys : {}),
	};
}

function schemaOf(mode: VideoInputMode) {
	return z
		.object(shapeOf(mode))
		.strict()
		.superRefine((request: VideoRequest, ctx) => {
			checkRefKinds(request, ctx);
			checkRefAccounts(request, ctx);
			if (mode.frames.length > 1) {
				sameRatio(
					request,
					mode.frames.map((frame) => frame.apiName),
					ctx,
					'First and last frame',
				);
			}
			if (mode.keyframes) checkKeyframes(request, ctx);
			if (mode.omni) checkOmni(request, ctx);
		});
}

/** One schema per input mode; the mode is what the user picked, the API derives the same from the fields. */
export const videoRequestSchemas = Object.fromEntries(
	Object.entries(VIDEO_INPUT_MODES).map(([name, mode]) => [name, schemaOf(mode)]),
) as unknown as Record<VideoMode, z.ZodTypeAny>;

/** Why a parameter of another mode cannot be sent in this one (zod's `.strict()` finds it). */
export function unexpectedVideoKey(mode: VideoMode, key: string): string {
	const { label, ratio, prompt: promptRule } = VIDEO_INPUT_MODES[mode];
	if (key === 'ratio' && !ratio) {
		return VIDEO_INPUT_MODES[mode].editVideo
			? 'cannot be set with a video to edit: the result takes its aspect ratio'
			: 'cannot be set when frame images are given: the video takes the images’ aspect ratio';
	}
	if (key === 'prompt' && promptRule === 'none')
		return `cannot be used with ${label}: give each keyframe its own prompt`;
	const omniRef = /^omni_(\d+)_(image|video|audio)Ref$/.exec(key);
	if (omniRef && VIDEO_INPUT_MODES[mode].omni) {
		const kind = omniRef[2] as keyof typeof OMNI_MAX;
		return `${label} takes at most ${OMNI_MAX[kind]} ${kind} references`;
	}
	if (/^frame_\d+_/.test(key) && VIDEO_INPUT_MODES[mode].keyframes) {
		return `${label} takes at most ${multiFrame.maxFrames} keyframes`;
	}
	return `is not used by ${label}`;
}
