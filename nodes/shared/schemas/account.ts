import { z } from 'zod';

import { REGIONS, VIDEO_LIMITS } from '../capabilities';
import { accountId } from './common';

export const addAccountSchema = z
	.object({
		email: z.string().trim().email('must be the Dreamina account’s email address'),
		password: z.string().min(1, 'is required'),
		region: z.enum(REGIONS as [string, ...string[]], {
			message: `must be ${REGIONS.join(' or ')}`,
		}),
		maxJobs: z
			.number()
			.int('must be a whole number')
			.min(VIDEO_LIMITS.maxJobs.min, 'must be 1–50')
			.max(VIDEO_LIMITS.maxJobs.max, 'must be 1–50')
			.optional(),
	})
	.strict();

export const listAssetsSchema = z
	.object({
		count: z
			.number()
			.int('must be a whole number')
			.min(1, 'must be 1–100')
			.max(100, 'must be 1–100')
			.optional(),
		offset: z.union([z.string(), z.number()]).optional(),
	})
	.strict();

/** Requests naming one configured account: GET/DELETE /accounts/{account}, GET /assets/{account}. */
export const accountParameterSchema = z.object({ account: accountId }).strict();
