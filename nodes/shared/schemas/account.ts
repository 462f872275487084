import { z } from 'zod';

import { HISTORY_PAGE_SIZE, REGIONS } from '../capabilities';
import { accountId, maxJobsNumber, oneOf } from './common';

export const addAccountSchema = z
	.object({
		email: z.string().trim().email('must be the Dreamina account’s email address'),
		password: z.string().min(1, 'is required'),
		region: oneOf(REGIONS),
		maxJobs: maxJobsNumber.optional(),
	})
	.strict();

const pageSize = `must be 1–${HISTORY_PAGE_SIZE.max}`;

export const listAssetsSchema = z
	.object({
		count: z
			.number()
			.int('must be a whole number')
			.min(1, pageSize)
			.max(HISTORY_PAGE_SIZE.max, pageSize)
			.optional(),
		offset: z.union([z.string(), z.number()]).optional(),
	})
	.strict();

/** Requests naming one configured account: GET/DELETE /accounts/{account}, GET /assets/{account}. */
export const accountParameterSchema = z.object({ account: accountId }).strict();
