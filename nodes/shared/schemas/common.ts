import { z } from 'zod';

import type { ValidationIssue } from '../errors';
import { RequestValidationError } from '../errors';
import { VIDEO_LIMITS } from '../capabilities';

export const accountId = z
	.string()
	.regex(
		/^[A-Z]{2}:[^\s@]+@[^\s@]+$/,
		'must be an account ID like US:user@example.com (REGION:email)',
	);

export const assetRefString = z.string().trim().min(1, 'must not be empty');

export const replyFields = {
	replyUrl: z
		.string()
		.url('must be a full http(s) URL, e.g. the Dreamina Trigger’s production URL')
		.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://')
		.optional(),
	replyRef: z.string().max(1000, 'must be at most 1000 characters').optional(),
	maxJobs: z
		.number()
		.int('must be a whole number')
		.min(
			VIDEO_LIMITS.maxJobs.min,
			`must be ${VIDEO_LIMITS.maxJobs.min}–${VIDEO_LIMITS.maxJobs.max}`,
		)
		.max(
			VIDEO_LIMITS.maxJobs.max,
			`must be ${VIDEO_LIMITS.maxJobs.min}–${VIDEO_LIMITS.maxJobs.max}`,
		)
		.optional(),
};

export const strength = (name: string) =>
	z
		.number({ invalid_type_error: `${name} must be a number` })
		.min(0, 'must be between 0 and 1')
		.max(1, 'must be between 0 and 1');

/** Runs a schema and turns zod's issues into parameter-named ones; returns the parsed request. */
export function validate<T>(
	schema: z.ZodType<T>,
	request: unknown,
	unexpectedKey: (key: string) => string = () => 'is not a parameter of this request',
): T {
	const result = schema.safeParse(request);
	if (result.success) return result.data;
	const issues: ValidationIssue[] = result.error.issues.flatMap((issue) =>
		issue.code === z.ZodIssueCode.unrecognized_keys
			? issue.keys.map((key) => ({ parameter: key, rule: unexpectedKey(key) }))
			: [{ parameter: String(issue.path[0] ?? 'request'), rule: ruleOf(issue) }],
	);
	throw new RequestValidationError(issues);
}

function ruleOf(issue: z.ZodIssue): string {
	if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined')
		return 'is required';
	return issue.message;
}

/** Adds an issue naming an API parameter (used inside superRefine). */
export function fail(ctx: z.RefinementCtx, parameter: string, message: string) {
	ctx.addIssue({ code: z.ZodIssueCode.custom, path: [parameter], message });
}

/** Indexes 1..N present in a request for keys like frame_N_imageRef; reports gaps. */
export function presentIndexes(request: Record<string, unknown>, pattern: RegExp): number[] {
	return Object.keys(request)
		.map((key) => pattern.exec(key))
		.filter((m): m is RegExpExecArray => m !== null && request[m[0]] !== undefined)
		.map((m) => Number(m[1]))
		.sort((a, b) => a - b);
}
