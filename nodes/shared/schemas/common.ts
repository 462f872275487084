import { z } from 'zod';

import type { ValidationIssue } from '../errors';
import { RequestValidationError } from '../errors';
import { ACCOUNT_ID_PATTERN, ACCOUNT_LIMITS } from '../capabilities';

export const accountId = z
	.string()
	.regex(
		new RegExp(`^${ACCOUNT_ID_PATTERN}$`),
		'must be an account ID like US:user@example.com (REGION:email)',
	);

const { maxJobs } = ACCOUNT_LIMITS;

/** An account's Max Jobs (POST /accounts), also taken per job-creating request. */
export const maxJobsNumber = z
	.number()
	.int('must be a whole number')
	.min(maxJobs.min, `must be ${maxJobs.min}–${maxJobs.max}`)
	.max(maxJobs.max, `must be ${maxJobs.min}–${maxJobs.max}`);

/** One of a list of values, with a message that lists them. */
export function oneOf<T extends string>(values: readonly T[]) {
	const list = values.join(', ').replace(/, ([^,]+)$/, ' or $1');
	return z.enum(values as [T, ...T[]], {
		message: `must be ${values.length > 2 ? 'one of ' : ''}${list}`,
	});
}

export const assetRefString = z.string().trim().min(1, 'must not be empty');

export const replyFields = {
	replyUrl: z
		.string()
		.url('must be a full http(s) URL, e.g. the Dreamina Trigger’s production URL')
		.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://')
		.optional(),
	replyRef: z.string().max(1000, 'must be at most 1000 characters').optional(),
	maxJobs: maxJobsNumber.optional(),
};

export const strength = (name: string) =>
	z
		.number({ invalid_type_error: `${name} must be a number` })
		.min(0, 'must be between 0 and 1')
		.max(1, 'must be between 0 and 1');

type KeyRule = (key: string) => string;
const notAParameter: KeyRule = () => 'is not a parameter of this request';

function issuesOf(error: z.ZodError, unexpectedKey: KeyRule): ValidationIssue[] {
	return error.issues.flatMap((issue) =>
		issue.code === z.ZodIssueCode.unrecognized_keys
			? issue.keys.map((key) => ({ parameter: key, rule: unexpectedKey(key) }))
			: [{ parameter: String(issue.path[0] ?? 'request'), rule: ruleOf(issue) }],
	);
}

/** Runs a schema; zod's issues as parameter-named ones (empty when the request is valid). */
export function schemaIssues(
	schema: z.ZodTypeAny,
	request: unknown,
	unexpectedKey: KeyRule = notAParameter,
): ValidationIssue[] {
	const result = schema.safeParse(request);
	return result.success ? [] : issuesOf(result.error, unexpectedKey);
}

/** Runs a schema and returns the parsed request, or throws its issues. */
export function validate<T>(
	schema: z.ZodType<T>,
	request: unknown,
	unexpectedKey: KeyRule = notAParameter,
): T {
	const result = schema.safeParse(request);
	if (!result.success) throw new RequestValidationError(issuesOf(result.error, unexpectedKey));
	return result.data;
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
