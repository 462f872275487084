import { z } from 'zod';

import { ASSET_CONTENT_TYPES, ASSET_RULES } from '../capabilities';
import { accountId, fail } from './common';

const MB = 1024 * 1024;

/** What is known about a file before it is uploaded to POST /assets/{account}. */
export const assetUploadSchema = z
	.object({
		account: accountId,
		contentType: z.string().refine((type) => type in ASSET_CONTENT_TYPES, {
			message: `must be one of ${Object.keys(ASSET_CONTENT_TYPES).join(', ')}`,
		}),
		size: z.number().int().positive('the file is empty'),
		durationMs: z.number().nonnegative().optional(),
		width: z.number().int().positive().optional(),
		height: z.number().int().positive().optional(),
	})
	.strict()
	.superRefine((r, ctx) => {
		const kind = ASSET_CONTENT_TYPES[r.contentType]?.kind;
		if (!kind) return;
		const rule = ASSET_RULES[kind];
		if (r.size > rule.maxBytes) {
			fail(
				ctx,
				'size',
				`${kind} files may be at most ${rule.maxBytes / MB} MB; this one is ${(r.size / MB).toFixed(1)} MB`,
			);
		}
		if (
			r.durationMs !== undefined &&
			rule.minDurationMs !== undefined &&
			rule.maxDurationMs !== undefined
		) {
			if (r.durationMs < rule.minDurationMs || r.durationMs > rule.maxDurationMs) {
				fail(
					ctx,
					'durationMs',
					`${kind} must last ${rule.minDurationMs / 1000}–${rule.maxDurationMs / 1000} s; this one lasts ${(r.durationMs / 1000).toFixed(1)} s`,
				);
			}
		}
		if (rule.minPixels !== undefined && rule.maxPixels !== undefined) {
			for (const side of ['width', 'height'] as const) {
				const value = r[side];
				if (value !== undefined && (value < rule.minPixels || value > rule.maxPixels)) {
					fail(
						ctx,
						side,
						`${kind} ${side} must be ${rule.minPixels}–${rule.maxPixels} px; this one is ${value} px`,
					);
				}
			}
		}
	});
