import { z } from 'zod';

import { UPSCALE } from '../shared/capabilities';
import { jobKindOf } from '../shared/jobs/records';
import { replyFields, strength } from '../shared/schemas/common';

export const upscaleRequestSchema = z
	.object({
		jobid: z
			.string()
			.trim()
			.min(1, 'is required: the ID of a completed image job')
			.refine((id) => {
				const kind = jobKindOf(id);
				return kind === undefined || kind === 'image';
			}, 'must be the ID of an image generation job (…i-u…), not a video or upscale job'),
		imageIndex: z
			.number()
			.int('must be a whole number')
			.min(0, `must be 0–${UPSCALE.maxImageIndex} (the position of the image in its job)`)
			.max(
				UPSCALE.maxImageIndex,
				`must be 0–${UPSCALE.maxImageIndex} (the position of the image in its job)`,
			)
			.optional(),
		upscaleResolution: z.enum(UPSCALE.resolutions, { message: 'must be 2k, 4k or 8k' }).optional(),
		originalImageStrength: strength('originalImageStrength').optional(),
		detailStrength: strength('detailStrength').optional(),
		...replyFields,
	})
	.strict();
