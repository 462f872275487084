import type {
	BinaryHelperFunctions,
	FunctionsBase,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	RequestHelperFunctions,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../../credentials/DreaminaApi.credentials';
import type { RequestContext } from './errors';
import {
	apiError,
	invalidPathSegmentError,
	networkCodeOf,
	networkError,
	redirectError,
} from './errors';
import { sleep } from './sleep';

export const CREDENTIAL_TYPE = 'dreaminaApi';

/** A readable stream of file bytes (typed through n8n's helpers: node code may not import node:stream). */
export type BinaryStream = Awaited<ReturnType<BinaryHelperFunctions['getBinaryStream']>>;

/** Any n8n context that can call the API: execute, load options, webhook, trigger, hooks. */
export type ApiContext = Pick<FunctionsBase, 'getCredentials' | 'getNode'> & {
	helpers: Pick<RequestHelperFunctions, 'httpRequestWithAuthentication'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
};

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path segments after the base URL; each is percent-encoded (accounts and jobids hold `:` and `@`). */
	path: Array<string | number>;
	qs?: IDataObject;
	/** JSON object, or raw bytes for uploads (a function, so a stream is opened only when it is sent) */
	body?: IDataObject | (() => Buffer | BinaryStream | Promise<Buffer | BinaryStream>);
	contentType?: string;
	contentLength?: number;
	context: RequestContext;
	/** POSTs that create a job: how long to keep retrying "All accounts at capacity" (429). */
	capacityWaitMs?: number;
	/** give up on an answer after this long (a POST then counts as sent: its outcome is unknown) */
	timeoutMs?: number;
	/** `once`: no retries at all (dropdowns answer fast and say when they fell back) */
	attempts?: 'once';
	/** called each time the request goes out (a job-creating POST's send window starts here) */
	onSend?: () => void;
}

/** A job-creating POST gets this long for its answer; then the job is looked for (jobs/submit.ts). */
export const CREATE_TIMEOUT_MS = 60_000;
/** Any other request: no byte for this long and it is given up (a read is then retried). */
export const ANSWER_TIMEOUT_MS = 120_000;

/** Delays between retries of GET/DELETE (network errors, 5xx, 429). */
export const READ_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
/** First delay after a 429 on a POST; grows to CAPACITY_MAX_DELAY_MS. */
const CAPACITY_FIRST_DELAY_MS = 3000;
const CAPACITY_MAX_DELAY_MS = 30_000;

/**
 * Whether a value may be one path segment: an ID of `..` would reach the API root, and `/`, `\`
 * or control characters in an ID are never right (servers may decode `%2F`).
 */
export function isSafePathSegment(segment: string | number): boolean {
	const text = String(segment);
	if (['', '.', '..'].includes(text.trim())) return false;
	return ![...text].some(
		(c) => c === '/' || c === '\\' || c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127,
	);
}

export function apiPath(segments: Array<string | number>): string {
	return '/' + segments.map((s) => encodeURIComponent(String(s))).join('/');
}

export async function baseUrlOf(ctx: ApiContext): Promise<string> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	return (credentials.baseUrl?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

function isCapacityError(status: number): boolean {
	return status === 429;
}

function retriableRead(status: number): boolean {
	return status === 429 || (status >= 500 && status !== 596 && status < 600);
}

/**
 * The one way nodes call the Dreamina API. Retry policy — a user's credits are at stake:
 * - GET and DELETE are retried on network errors, 5xx (not 596, which needs the user) and 429, with backoff.
 * - A POST is retried only on 429 "All accounts at capacity", which created nothing. Any other failure of a
 *   POST (including a dropped connection) is reported, never resent: the job may exist already.
 */
export async function apiRequest<T = IDataObject>(
	ctx: ApiContext,
	request: ApiRequest,
): Promise<T> {
	const unsafe = request.path.find((segment) => !isSafePathSegment(segment));
	if (unsafe !== undefined) {
		throw invalidPathSegmentError(ctx.getNode(), String(unsafe), request.context);
	}
	const baseUrl = await baseUrlOf(ctx);
	const isRead = request.method === 'GET' || request.method === 'DELETE';
	const signal = ctx.getExecutionCancelSignal?.();
	const startedAt = Date.now();
	let attempt = 0;

	for (;;) {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: baseUrl + apiPath(request.path),
			qs: request.qs,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout:
				request.timeoutMs ?? (request.context.createsJob ? CREATE_TIMEOUT_MS : ANSWER_TIMEOUT_MS),
			// The token goes to the Base URL's origin only: a redirect is answered as an error, not
			// followed (n8n-workflow follows by default and keeps the credential on another host).
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		if (typeof request.body === 'function') {
			options.body = (await request.body()) as unknown as IDataObject;
			options.json = false;
			options.headers = {
				'Content-Type': request.contentType ?? 'application/octet-stream',
				...(request.contentLength !== undefined ? { 'Content-Length': request.contentLength } : {}),
				Accept: 'application/json',
			};
		} else if (request.body) {
			options.body = request.body;
		}

		const retries = request.attempts === 'once' ? 0 : READ_RETRY_DELAYS_MS.length;
		let response: IN8nHttpFullResponse;
		request.onSend?.();
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx as never,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const code = networkCodeOf(error);
			if (isRead && !signal?.aborted && attempt < retries) {
				await sleep(READ_RETRY_DELAYS_MS[attempt++], signal);
				continue;
			}
			throw networkError(ctx.getNode(), code, request.context, isRead && retries > 0);
		}

		const status = response.statusCode;
		if (status >= 200 && status < 300) return parseBody(response.body) as T;
		if (status >= 300 && status < 400) {
			const location = response.headers?.location;
			throw redirectError(
				ctx.getNode(),
				status,
				typeof location === 'string' ? location : undefined,
				baseUrl,
				request.context,
			);
		}

		if (isRead && retriableRead(status) && attempt < retries) {
			await sleep(READ_RETRY_DELAYS_MS[attempt++], signal);
			continue;
		}
		if (!isRead && isCapacityError(status) && typeof request.body !== 'function') {
			const waited = Date.now() - startedAt;
			const delay = Math.min(CAPACITY_FIRST_DELAY_MS * 2 ** attempt++, CAPACITY_MAX_DELAY_MS);
			if (waited + delay <= (request.capacityWaitMs ?? 0)) {
				await sleep(delay, signal);
				continue;
			}
		}
		throw apiError(ctx.getNode(), status, parseBody(response.body), request.context);
	}
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body;
}
