import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SECRET_QUERY_PARAMETER } from './callbackSecret';
import { FAILED_JOB_CODES } from './capabilities';
import type { JobRecord } from './jobs/records';
import type { FieldNamer } from './labels';
import type { ParameterTypeError } from './parameters';

/** Continue On Fail as the node's settings say (webhook contexts have no continueOnFail()). */
export function continuesOnFail(node: INode): boolean {
	return (
		node.continueOnFail === true ||
		node.onError === 'continueRegularOutput' ||
		node.onError === 'continueErrorOutput'
	);
}

/** What was being done when the API answered, so the message can say it. */
export interface RequestContext {
	/** e.g. "submit the video job", "read job …" */
	action: string;
	jobid?: string;
	account?: string;
	itemIndex?: number;
	/** true for a POST that creates a job: the message then says whether anything was created */
	createsJob?: boolean;
	/** names an API field as the node shows it; without it the API's name is used */
	nameField?: FieldNamer;
}

/** Picks the parameter an API 400 message is about, e.g. "Parameter model (x) valid values: …" → model. */
export function parameterInApiMessage(message: string): string | undefined {
	const match =
		/\b[Pp]arameters? ([A-Za-z_0-9]+)/.exec(message) ??
		/^([a-z][A-Za-z_0-9]*(?:_\d+_[A-Za-z]+)?) (?:is|must|cannot|can't|should|exceeds|requires)\b/.exec(
			message,
		);
	// "Source video job is created, must be completed", "Source video already upscaled: …" (POST
	// /videos/upscale, 2026-04-02) are about the source job the request names.
	return match?.[1] ?? (/^Source (?:video|image)\b/.test(message) ? 'jobid' : undefined);
}

function errorText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	if (body && typeof body === 'object') {
		const value =
			(body as Record<string, unknown>).error ?? (body as Record<string, unknown>).message;
		if (typeof value === 'string') return value;
	}
	return undefined;
}

function withJob(description: string, ctx: RequestContext): string {
	return ctx.jobid ? `${description} Job ID: ${ctx.jobid}` : description;
}

interface Explanation {
	message: string;
	description: string;
}

function explain(status: number, apiText: string | undefined, ctx: RequestContext): Explanation {
	const said = apiText ? `: ${apiText}` : '';
	switch (status) {
		case 400: {
			const parameter = apiText ? parameterInApiMessage(apiText) : undefined;
			return {
				message: `Dreamina rejected the request to ${ctx.action} (400)${said}`,
				description: parameter
					? `Change ${(ctx.nameField ?? String)(parameter)} and run again. Nothing was created.`
					: 'Check the node’s parameters against the message and run again. Nothing was created.',
			};
		}
		case 401:
			return {
				message: `The Dreamina API token was refused (401) when trying to ${ctx.action}`,
				description:
					'Open the Dreamina API credential and paste a valid useapi.net API token (useapi.net → Account).',
			};
		case 402:
			return {
				message: `No active useapi.net subscription or not enough credits (402) to ${ctx.action}${said}`,
				description:
					'Renew the useapi.net subscription or top up the Dreamina account’s credits, then run again.',
			};
		case 404: {
			if (apiText && /account/i.test(apiText)) {
				return {
					message: `Dreamina account not found (404)${said}`,
					description:
						'Pick an account from the Account list (it lists the accounts configured on this token), or add it with the Dreamina node → Account → Add.',
				};
			}
			if (ctx.jobid) {
				return {
					message: `Job not found (404) when trying to ${ctx.action}${said}`,
					description:
						'The job ID is unknown to this token: check it was copied whole, that it belongs to this API token, and that it is not older than 30 days.',
				};
			}
			return {
				message: `Not found (404) when trying to ${ctx.action}${said}`,
				description: 'Check the IDs given to the node and the credential’s Base URL.',
			};
		}
		case 429:
			return {
				message: `All Dreamina accounts are at capacity (429): could not ${ctx.action}`,
				description:
					'Nothing was created. Wait for running jobs to finish, raise Options › Max Jobs, or add another account; the node already retried for a while.',
			};
		case 596:
			return {
				message: `The Dreamina session of ${ctx.account ?? 'the account'} has expired (596)`,
				description:
					'Re-add the account with its email and password (Dreamina node → Account → Add), then run again.',
			};
		default:
			if (status === 500 && apiText && /login failed/i.test(apiText)) {
				return {
					message: `Dreamina could not log in to the account (500)${said}`,
					description:
						'Check Email and Password: they are the Dreamina account’s own (dreamina.capcut.com), not useapi.net’s. Check Region too, then run again. Nothing was added.',
				};
			}
			if (status >= 500) {
				return {
					message: `The Dreamina API failed (${status}) when trying to ${ctx.action}${said}`,
					description: ctx.createsJob
						? 'The service had an upstream error. The job may or may not have been created, so the node did not resend it: look at Dreamina → Job → List Executing before running again.'
						: 'The service had an upstream error. Try again in a few minutes.',
				};
			}
			return {
				message: `Dreamina answered ${status} when trying to ${ctx.action}${said}`,
				description: 'Check the node’s parameters and the credential’s Base URL.',
			};
	}
}

/** The one mapping from a documented HTTP error to what the user reads. */
export function apiError(
	node: INode,
	status: number,
	body: unknown,
	ctx: RequestContext,
): NodeApiError {
	const apiText = errorText(body);
	const { message, description } = explain(status, apiText, ctx);
	const error = new NodeApiError(node, { error: apiText ?? '', status } as JsonObject, {
		message,
		description: withJob(description, ctx),
		httpCode: String(status),
		itemIndex: ctx.itemIndex,
	});
	if (ctx.jobid) error.context.jobid = ctx.jobid;
	// A job-creating request the API failed on (5xx, not 596) may have created the job.
	if (ctx.createsJob && status >= 500 && status !== 596) error.context.outcome = 'unknown';
	return error;
}

/**
 * The API answered with a redirect. It is not followed: the request carries the API token, which
 * goes to the Base URL's origin and nowhere else.
 */
export function redirectError(
	node: INode,
	status: number,
	location: string | undefined,
	baseUrl: string,
	ctx: RequestContext,
): NodeApiError {
	let target = 'an address it did not give';
	let elsewhere = true;
	try {
		const url = new URL(location ?? '', baseUrl);
		elsewhere = url.origin !== new URL(baseUrl).origin;
		target = elsewhere ? `another host (${url.origin})` : `${url.pathname} on the same host`;
	} catch {
		// no usable Location: the message says so
	}
	const error = new NodeApiError(node, { status } as JsonObject, {
		message: `The Dreamina API answered with a redirect (${status}) to ${target} when trying to ${ctx.action}`,
		description: withJob(
			`The node does not follow redirects: the API token is sent only to the credential’s Base URL${elsewhere ? ', never to another host' : ''}. Check the Base URL (it must be the API’s own address, e.g. https://api.useapi.net/v1/dreamina).${ctx.createsJob ? ' Nothing was created by the redirect; check Dreamina → Job → List Executing before running again.' : ''}`,
			ctx,
		),
		httpCode: String(status),
		itemIndex: ctx.itemIndex,
	});
	if (ctx.jobid) error.context.jobid = ctx.jobid;
	return error;
}

/** A job record the API answered for another jobid than the one asked for: it is not taken. */
export function foreignRecordError(node: INode, answered: unknown, ctx: RequestContext) {
	const error = new NodeApiError(node, { error: 'unexpected job record' } as JsonObject, {
		message: `The Dreamina API answered a record of another job (${typeof answered === 'string' ? answered : 'no jobid'}) when trying to ${ctx.action}`,
		description: withJob(
			'The record was not used. Check the credential’s Base URL points at the Dreamina API, then run again.',
			ctx,
		),
		itemIndex: ctx.itemIndex,
	});
	if (ctx.jobid) error.context.jobid = ctx.jobid;
	return error;
}

/** Codes that mean the request never reached the API (nothing can have been created). */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'the server refused the connection',
	ECONNRESET: 'the connection was dropped',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	EPIPE: 'the connection was dropped',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
};

/** Reads the system error code from an error or any of its causes. */
export function networkCodeOf(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		if (typeof current.message === 'string') {
			if (/socket hang up/i.test(current.message)) return 'ECONNRESET';
			const inMessage = /\b(E[A-Z]{4,})\b/.exec(current.message);
			if (inMessage && NETWORK_CODES[inMessage[1]]) return inMessage[1];
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

export function networkError(
	node: INode,
	code: string | undefined,
	ctx: RequestContext,
	/** false for requests sent once (POSTs such as uploads) */
	retried = true,
): NodeApiError {
	const what = (code && NETWORK_CODES[code]) ?? 'the request did not get an answer';
	const description = ctx.createsJob
		? 'The job may or may not have been created, so the node did not send it again (that could spend credits twice). Check Dreamina → Job → List Executing, or the account’s history, before running again.'
		: `Check the credential’s Base URL and that this n8n instance can reach the API${retried ? '; the node already retried.' : ', then run again (this request is sent only once).'}`;
	const error = new NodeApiError(node, { networkError: code ?? 'unknown' } as JsonObject, {
		// The system code goes in the description: NodeApiError replaces messages that contain one.
		message: `Could not reach the Dreamina API to ${ctx.action}: ${what}`,
		description: withJob(`${code ? `(${code}) ` : ''}${description}`, ctx),
		itemIndex: ctx.itemIndex,
	});
	if (ctx.jobid) error.context.jobid = ctx.jobid;
	if (ctx.createsJob && !(code && NOT_SENT_CODES.includes(code))) error.context.outcome = 'unknown';
	return error;
}

/** A job that ended with status "failed" (content filter, timeout, …). */
export function failedJobError(node: INode, job: JobRecord, itemIndex?: number): NodeApiError {
	const code = typeof job.code === 'number' ? job.code : Number(job.code);
	const known = FAILED_JOB_CODES[code];
	const meaning = known?.meaning ?? job.errorDetails ?? job.error ?? 'unknown reason';
	const detail = [job.error, job.errorDetails].filter(Boolean).join(' / ');
	const error = new NodeApiError(node, { error: detail, code } as JsonObject, {
		message:
			`Dreamina ${job.type ?? ''} job failed: ${meaning} (code ${Number.isNaN(code) ? '?' : code})`.replace(
				'  ',
				' ',
			),
		description: withJob(
			`${known?.hint ?? 'Check the prompt and references, then submit again.'}${detail ? ` API said: ${detail}.` : ''}`,
			{ action: '', jobid: job.jobid },
		),
		httpCode: Number.isNaN(code) ? undefined : String(code),
		itemIndex,
	});
	error.context.jobid = job.jobid;
	return error;
}

export function waitTimeoutError(node: INode, jobid: string, minutes: number, itemIndex?: number) {
	const error = new NodeOperationError(
		node,
		`The job was still running after ${minutes} minute${minutes === 1 ? '' : 's'} (the node’s Timeout)`,
		{
			itemIndex,
			description: `The job keeps running on Dreamina and its result is not lost: read it later with the Dreamina Get Job node (or raise Timeout). Job ID: ${jobid}`,
		},
	);
	error.context.jobid = jobid;
	return error;
}

export interface ValidationIssue {
	/** API parameter name, e.g. "frame_2_duration" */
	parameter: string;
	rule: string;
	/** the node parameter it comes from when that is not the API name, e.g. "options.pageSize" */
	path?: string;
}

export class RequestValidationError extends Error {
	constructor(readonly issues: ValidationIssue[]) {
		super(issues.map((i) => `${i.parameter}: ${i.rule}`).join('; '));
		this.name = 'RequestValidationError';
	}
}

/** A request stopped before it was sent; `nameField` names each API field as the node shows it. */
export function validationError(
	node: INode,
	issues: ValidationIssue[],
	itemIndex: number | undefined,
	nameField: FieldNamer = String,
) {
	const [first, ...rest] = issues;
	const also = rest.map((i) => `${nameField(i.parameter)}: ${i.rule}`).join('; ');
	return new NodeOperationError(node, `${nameField(first.parameter)}: ${first.rule}`, {
		itemIndex,
		description:
			(also ? `Also: ${also}. ` : '') + 'Nothing was sent to Dreamina, so no credits were used.',
	});
}

/** An expression gave a value of the wrong type (an object for the Account, text for a number, …). */
export function parameterTypeError(
	node: INode,
	error: ParameterTypeError,
	itemIndex: number,
	label: string,
) {
	return new NodeOperationError(node, `${label}: ${error.message}`, {
		itemIndex,
		description: `Check the expression in ${label} (item ${itemIndex + 1}): it must give ${error.expected}. Nothing was sent to Dreamina, so no credits were used.`,
	});
}

export function downloadError(node: INode, status: number, fileName: string, ctx: RequestContext) {
	const error = new NodeApiError(node, { status } as JsonObject, {
		message: `Could not download the result ${fileName} (HTTP ${status})`,
		description: withJob(
			status === 403 || status === 404 || status === 410
				? 'The result link has probably expired. Read the job again (Dreamina Get Job) for fresh links, or turn off Download Result.'
				: 'The file host failed; the node retried. Run again later, or turn off Download Result and use the URLs in the output.',
			ctx,
		),
		httpCode: String(status),
		itemIndex: ctx.itemIndex,
	});
	if (ctx.jobid) error.context.jobid = ctx.jobid;
	return error;
}

/** A result file that did not arrive whole, or is not what it claims (an error page sent with 200). */
export function resultFileError(
	node: INode,
	fileName: string,
	reason: string,
	retried: boolean,
	ctx: RequestContext,
	code?: string,
) {
	const error = new NodeApiError(node, { downloadError: reason } as JsonObject, {
		message: `Could not download the result ${fileName}: ${reason}`,
		description: withJob(
			`${code ? `(${code}) ` : ''}The job is done and its result is not lost${retried ? '; the node retried' : ''}. Run again later (Dreamina Get Job reads the job with fresh links), or turn off Download Result and use the URLs in the output.`,
			ctx,
		),
		itemIndex: ctx.itemIndex,
	});
	if (ctx.jobid) error.context.jobid = ctx.jobid;
	return error;
}

/** An ID that would change the request's path (`..`, `/`, empty) if it were put into it. */
export function invalidPathSegmentError(node: INode, segment: string, ctx: RequestContext) {
	return new NodeOperationError(
		node,
		`Could not ${ctx.action}: "${segment}" is not a valid ID (it would change the address the request goes to)`,
		{
			itemIndex: ctx.itemIndex,
			description:
				'Check the IDs given to the node (Account, Job ID, Asset ID): map them from an earlier Dreamina node, or pick them from the list. Nothing was sent.',
		},
	);
}

/** Replaces the secrets in a text: every text the package puts out goes through one. */
export type SecretMask = (text: string) => string;

export const MASKED = '***';
/** A `secret=` URL parameter's value, up to where the URL ends in a text (or in JSON). */
const SECRET_PARAMETER = new RegExp(`([?&]${SECRET_QUERY_PARAMETER}=)[^&#\\s"'<>)\\\\]*`, 'gi');
/** Shorter values are not masked: they would turn common words into *** (tokens are far longer). */
const MIN_MASKED_LENGTH = 6;

/**
 * A mask for these secrets (the API token, the Callback Secret) and for any `secret=` URL
 * parameter, whatever put them into a text: an API error that repeats what it was sent, a URL.
 */
export function secretMask(secrets: Array<string | undefined>): SecretMask {
	const values = [
		...new Set(secrets.map((s) => s?.trim() ?? '').filter((s) => s.length >= MIN_MASKED_LENGTH)),
	].sort((a, b) => b.length - a.length);
	return (text) =>
		values.reduce(
			(out, value) => out.split(value).join(MASKED),
			text.replace(SECRET_PARAMETER, `$1${MASKED}`),
		);
}

/** JSON data with the mask applied to every string in it (a copy when anything changed). */
export function maskedJson<T>(value: T, mask: SecretMask): T {
	if (value === undefined || value === null) return value;
	const text = JSON.stringify(value);
	if (text === undefined) return value;
	const masked = mask(text);
	return masked === text ? value : (JSON.parse(masked) as T);
}

/** The error with the mask applied to everything n8n shows or stores of it. */
export function maskedError<E extends NodeApiError | NodeOperationError>(
	error: E,
	mask: SecretMask,
): E {
	error.message = mask(error.message);
	if (error.description) error.description = mask(error.description);
	if (error.stack) error.stack = mask(error.stack);
	if (Array.isArray(error.messages)) error.messages = error.messages.map(mask);
	error.context = maskedJson(error.context, mask);
	if (error.errorResponse) error.errorResponse = maskedJson(error.errorResponse, mask);
	if (error.cause instanceof Error) error.cause.message = mask(error.cause.message);
	return error;
}

/** A Job ID field that is empty or not shaped like a Dreamina jobid (`…v-u…`, `…i-u…`, `…I-u…`). */
export function invalidJobIdError(
	node: INode,
	jobid: string,
	itemIndex: number,
	consequence: string,
) {
	return new NodeOperationError(
		node,
		jobid ? `Job ID: "${jobid}" is not a Dreamina job ID` : 'Job ID: is required',
		{
			itemIndex,
			description: `Dreamina job IDs look like j0223140530123456789v-u12345-US:user@example.com-bot:dreamina (v video, V video upscale, F interpolation, i image, I image upscale). Map the jobid field of an earlier Dreamina node. ${consequence}`,
		},
	);
}
