import { z } from 'zod';

import { accountOfRef, parseAssetRef } from '../shared/assetRef';
import { IMAGE_LIMITS, IMAGE_RATIOS, IMAGE_RESOLUTIONS } from '../shared/capabilities';
import {
	accountId,
	assetRefString,
	fail,
	oneOf,
	presentIndexes,
	replyFields,
	strength,
} from '../shared/schemas/common';

/**
 * The shape of a POST /images request, whatever the model: prompt length, references numbered 1..N
 * of one account, strength only with references. Each model's own limits (prompt required, how
 * many references, resolutions, auto ratio) are checked in shared/modelChecks.ts.
 */
const refKeys = Object.fromEntries(
	Array.from({ length: IMAGE_LIMITS.maxRefs }, (_, i) => [
		`imageRef_${i + 1}`,
		assetRefString.optional(),
	]),
);

type ImageRequest = Record<string, unknown> & { prompt?: string; account?: string };

export const imageRequestSchema = z
	.object({
		account: accountId.optional(),
		prompt: z
			.string()
			.trim()
			.min(1, 'must not be empty')
			.max(IMAGE_LIMITS.promptMaxChars, `must be at most ${IMAGE_LIMITS.promptMaxChars} characters`)
			.optional(),
		model: z.string().trim().min(1).optional(),
		ratio: oneOf(IMAGE_RATIOS).optional(),
		resolution: oneOf(IMAGE_RESOLUTIONS).optional(),
		imageStrength: strength('imageStrength').optional(),
		...refKeys,
		...replyFields,
	})
	.strict()
	.superRefine((request: ImageRequest, ctx) => {
		const refs = presentIndexes(request, /^imageRef_(\d+)$/);
		const gap = refs.findIndex((n, i) => n !== i + 1);
		if (gap !== -1) {
			fail(
				ctx,
				`imageRef_${gap + 1}`,
				`reference images must be numbered 1..N without gaps (found ${refs.join(', ')})`,
			);
		}
		let account = request.account;
		for (const n of refs) {
			const ref = request[`imageRef_${n}`] as string;
			const parsed = parseAssetRef(ref);
			if (parsed && parsed.kind !== 'image') {
				fail(ctx, `imageRef_${n}`, `must be an image assetRef, got a ${parsed.kind} asset`);
			}
			const refAccount = accountOfRef(ref);
			if (refAccount && account && refAccount !== account) {
				fail(
					ctx,
					`imageRef_${n}`,
					`belongs to account ${refAccount}, not ${account}: all references must come from the account that generates`,
				);
			}
			account = account ?? refAccount;
		}
		if (request.imageStrength !== undefined && refs.length === 0) {
			fail(ctx, 'imageStrength', 'only applies when reference images are given');
		}
		if (!request.prompt && refs.length === 0) {
			fail(ctx, 'prompt', 'is required when no reference image is given');
		}
	});

/** Why a key can't be sent (`.strict()` finds it): a reference beyond the most any model takes. */
export function unexpectedImageKey(key: string): string {
	return /^imageRef_\d+$/.test(key)
		? `at most ${IMAGE_LIMITS.maxRefs} reference images can be given (and fewer for some models)`
		: 'is not a parameter of this request';
}
