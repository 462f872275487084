import { z } from 'zod';

import { accountOfRef, parseAssetRef } from '../assetRef';
import { findImageModel, IMAGE_LIMITS, IMAGE_RATIOS } from '../capabilities';
import { accountId, assetRefString, fail, presentIndexes, replyFields, strength } from './common';

const refKeys = Object.fromEntries(
	Array.from({ length: IMAGE_LIMITS.maxRefs }, (_, i) => [
		`imageRef_${i + 1}`,
		assetRefString.optional(),
	]),
);

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
		ratio: z
			.enum(IMAGE_RATIOS, { message: `must be one of ${IMAGE_RATIOS.join(', ')}` })
			.optional(),
		resolution: z.enum(['1k', '2k', '4k'], { message: 'must be 1k, 2k or 4k' }).optional(),
		imageStrength: strength('imageStrength').optional(),
		...refKeys,
		...replyFields,
	})
	.strict()
	.superRefine(
		(
			r: Record<string, unknown> & {
				prompt?: string;
				model?: string;
				ratio?: string;
				resolution?: string;
				account?: string;
			},
			ctx,
		) => {
			const refs = presentIndexes(r, /^imageRef_(\d+)$/);
			const gap = refs.findIndex((n, i) => n !== i + 1);
			if (gap !== -1)
				fail(
					ctx,
					`imageRef_${gap + 1}`,
					`reference images must be numbered 1..N without gaps (found ${refs.join(', ')})`,
				);

			let account = r.account;
			for (const n of refs) {
				const ref = r[`imageRef_${n}`] as string;
				const parsed = parseAssetRef(ref);
				if (parsed && parsed.kind !== 'image')
					fail(ctx, `imageRef_${n}`, `must be an image assetRef, got a ${parsed.kind} asset`);
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
			if (r.imageStrength !== undefined && refs.length === 0) {
				fail(ctx, 'imageStrength', 'only applies when reference images are given');
			}

			const model = findImageModel(r.model ?? 'seedream-4.0');
			if (!model) {
				// Newer model than these docs: only the general rules apply.
				if (!r.prompt && refs.length === 0)
					fail(ctx, 'prompt', 'is required when no reference image is given');
				return;
			}
			if (!r.prompt && (model.promptRequired || refs.length === 0)) {
				fail(
					ctx,
					'prompt',
					model.promptRequired
						? `is required for ${model.name}`
						: 'is required when no reference image is given',
				);
			}
			if (refs.length > model.maxRefs) {
				fail(
					ctx,
					`imageRef_${model.maxRefs + 1}`,
					`${model.name} takes at most ${model.maxRefs} reference image${model.maxRefs === 1 ? '' : 's'}, got ${refs.length}`,
				);
			}
			if (r.resolution && !model.resolutions.includes(r.resolution as never)) {
				fail(ctx, 'resolution', `${model.name} supports ${model.resolutions.join(', ')} only`);
			}
			if (r.ratio === 'auto' && !model.autoRatio) {
				fail(ctx, 'ratio', `${model.name} has no auto ratio: choose a fixed ratio`);
			}
		},
	);
