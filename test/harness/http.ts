/**
 * Express-like request/response objects for delivering an HTTP call to a node's `webhook()` in-process.
 * The request is a readable stream of the raw body with the properties n8n's webhook layer sets
 * (`headers`, `query`, `params`, `body`, `rawBody`, `contentType`, `encoding`, `readRawBody()`);
 * the response is a writable stream that records status, headers and body.
 */
import { parse as parseQueryString } from 'node:querystring';
import { PassThrough, Writable } from 'node:stream';

export interface FakeRequestInit {
	method: string;
	path: string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	params?: Record<string, string>;
	body?: unknown;
	rawBody?: Buffer;
	host?: string;
}

export type FakeRequest = PassThrough & {
	method: string;
	url: string;
	originalUrl: string;
	path: string;
	baseUrl: string;
	host: string;
	hostname: string;
	protocol: string;
	ip: string;
	headers: Record<string, string>;
	query: Record<string, string>;
	params: Record<string, string>;
	body: unknown;
	rawBody: Buffer;
	contentType?: string;
	encoding: BufferEncoding;
	_body: boolean;
	readRawBody(): Promise<void>;
	get(name: string): string | undefined;
	header(name: string): string | undefined;
	is(type: string): string | false;
};

function contentTypeOf(headers: Record<string, string>): {
	contentType?: string;
	encoding: BufferEncoding;
} {
	const raw = headers['content-type'];
	if (!raw) return { encoding: 'utf-8' };
	const [type, ...params] = raw.split(';').map((p) => p.trim());
	let encoding: BufferEncoding = 'utf-8';
	for (const param of params) {
		const [key, value] = param.split('=');
		if (key?.toLowerCase() === 'charset' && value && Buffer.isEncoding(value.toLowerCase())) {
			encoding = value.toLowerCase() as BufferEncoding;
		}
	}
	return { contentType: type.toLowerCase(), encoding };
}

export class UnprocessableBodyError extends Error {
	readonly httpStatusCode = 422;
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

/**
 * Parses the raw body into `req.body` the way n8n's `parseBody` does for webhook requests:
 * JSON, form-urlencoded and text/plain; other content types leave the body unparsed ({}).
 * (XML is left as text — n8n would parse it with xml2js.)
 */
function parseBody(req: FakeRequest): void {
	const { rawBody, contentType, encoding } = req;
	if (!rawBody.length) return;
	try {
		if (contentType === 'application/json') {
			req.body = JSON.parse(rawBody.toString(encoding));
		} else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = {
				...parseQueryString(rawBody.toString(encoding), undefined, undefined, { maxKeys: 1000 }),
			};
		} else if (
			contentType === 'text/plain' ||
			contentType?.endsWith('/xml') ||
			contentType?.endsWith('+xml')
		) {
			req.body = rawBody.toString(encoding);
		}
	} catch (error) {
		throw new UnprocessableBodyError('Failed to parse request body', (error as Error).message);
	}
}

export function createRequest(init: FakeRequestInit): FakeRequest {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(init.headers ?? {})) headers[key.toLowerCase()] = value;

	let rawBody: Buffer;
	if (init.rawBody !== undefined) {
		rawBody = init.rawBody;
	} else if (init.body === undefined) {
		rawBody = Buffer.alloc(0);
	} else if (Buffer.isBuffer(init.body)) {
		rawBody = init.body;
	} else if (typeof init.body === 'string') {
		rawBody = Buffer.from(init.body);
		headers['content-type'] ??= 'text/plain';
	} else {
		rawBody = Buffer.from(JSON.stringify(init.body));
		headers['content-type'] ??= 'application/json';
	}
	headers['content-length'] ??= String(rawBody.length);
	headers.host ??= init.host ?? 'localhost:5678';

	const query = { ...(init.query ?? {}) };
	const search = new URLSearchParams(query).toString();
	const path = init.path.startsWith('/') ? init.path : `/${init.path}`;
	const url = search ? `${path}?${search}` : path;
	const { contentType, encoding } = contentTypeOf(headers);

	const stream = new PassThrough();
	stream.end(rawBody);
	const req = Object.assign(stream, {
		method: init.method.toUpperCase(),
		url,
		originalUrl: url,
		path,
		baseUrl: '',
		host: headers.host,
		hostname: headers.host.split(':')[0],
		protocol: 'http',
		ip: '127.0.0.1',
		headers,
		query,
		params: { ...(init.params ?? {}) },
		body: {} as unknown,
		rawBody,
		contentType,
		encoding,
		_body: true,
		async readRawBody() {},
		get(name: string) {
			return headers[name.toLowerCase()];
		},
		header(name: string) {
			return headers[name.toLowerCase()];
		},
		is(type: string) {
			if (!contentType) return false;
			if (type === contentType || contentType.endsWith(`/${type}`) || contentType.includes(type)) {
				return contentType;
			}
			return false;
		},
	}) as FakeRequest;

	if (
		init.body !== undefined &&
		init.rawBody === undefined &&
		typeof init.body === 'object' &&
		!Buffer.isBuffer(init.body)
	) {
		req.body = init.body; // given as parsed JSON
	} else {
		parseBody(req);
	}
	return req;
}

/** Writable that records what a node (or the webhook layer) answers. */
export class FakeResponse extends Writable {
	statusCode = 200;

	statusMessage = '';

	private readonly headerMap = new Map<string, string | string[]>();

	private readonly chunks: Buffer[] = [];

	private sent = false;

	locals: Record<string, unknown> = {};

	constructor() {
		super({ decodeStrings: true });
	}

	override _write(
		chunk: Buffer,
		_encoding: BufferEncoding,
		callback: (error?: Error | null) => void,
	) {
		this.sent = true;
		this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
		callback();
	}

	get headersSent(): boolean {
		return this.sent;
	}

	get bodyBuffer(): Buffer {
		return Buffer.concat(this.chunks);
	}

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	sendStatus(code: number): this {
		this.statusCode = code;
		this.type('text/plain');
		this.end(String(code));
		return this;
	}

	setHeader(name: string, value: string | number | readonly string[]): this {
		this.headerMap.set(
			name.toLowerCase(),
			Array.isArray(value) ? [...(value as string[])] : String(value as string | number),
		);
		return this;
	}

	getHeader(name: string): string | string[] | undefined {
		return this.headerMap.get(name.toLowerCase());
	}

	getHeaders(): Record<string, string | string[]> {
		return Object.fromEntries(this.headerMap);
	}

	hasHeader(name: string): boolean {
		return this.headerMap.has(name.toLowerCase());
	}

	removeHeader(name: string): void {
		this.headerMap.delete(name.toLowerCase());
	}

	header(field: string | Record<string, string>, value?: string): this {
		if (typeof field === 'string') {
			if (value !== undefined) this.setHeader(field, value);
		} else {
			for (const [key, v] of Object.entries(field)) this.setHeader(key, v);
		}
		return this;
	}

	set(field: string | Record<string, string>, value?: string): this {
		return this.header(field, value);
	}

	get(name: string): string | string[] | undefined {
		return this.getHeader(name);
	}

	type(contentType: string): this {
		return this.setHeader('content-type', contentType);
	}

	contentType(contentType: string): this {
		return this.type(contentType);
	}

	writeHead(
		statusCode: number,
		headers?: Record<string, string> | string,
		maybeHeaders?: Record<string, string>,
	): this {
		this.statusCode = statusCode;
		const h = typeof headers === 'object' ? headers : maybeHeaders;
		if (h) this.header(h);
		this.sent = true;
		return this;
	}

	flushHeaders(): void {
		this.sent = true;
	}

	json(data: unknown): this {
		if (!this.hasHeader('content-type')) this.type('application/json; charset=utf-8');
		this.end(data === undefined ? '' : JSON.stringify(data));
		return this;
	}

	send(data?: unknown): this {
		if (data === undefined || data === null) {
			this.end();
		} else if (Buffer.isBuffer(data)) {
			if (!this.hasHeader('content-type')) this.type('application/octet-stream');
			this.end(data);
		} else if (typeof data === 'string') {
			if (!this.hasHeader('content-type')) this.type('text/html; charset=utf-8');
			this.end(data);
		} else if (typeof data === 'object') {
			return this.json(data);
		} else {
			this.end(String(data));
		}
		return this;
	}

	redirect(statusOrUrl: number | string, maybeUrl?: string): this {
		const status = typeof statusOrUrl === 'number' ? statusOrUrl : 302;
		const url = typeof statusOrUrl === 'string' ? statusOrUrl : (maybeUrl ?? '');
		this.status(status).setHeader('location', url);
		this.end();
		return this;
	}

	render(view: string): this {
		this.type('text/html; charset=utf-8');
		this.end(`<!-- ${view} -->`);
		return this;
	}

	override end(...args: unknown[]): this {
		this.sent = true;
		return (super.end as (...a: unknown[]) => this)(...args);
	}

	/** Resolves when the response was ended (or after `timeoutMs`, with false). */
	async waitForEnd(timeoutMs: number): Promise<boolean> {
		if (this.writableFinished) return true;
		return await new Promise<boolean>((resolve) => {
			const timer = setTimeout(() => resolve(false), timeoutMs);
			this.once('finish', () => {
				clearTimeout(timer);
				resolve(true);
			});
		});
	}

	/** Headers as a flat record (multi-value headers joined with ", "). */
	flatHeaders(): Record<string, string> {
		const out: Record<string, string> = {};
		for (const [key, value] of this.headerMap)
			out[key] = Array.isArray(value) ? value.join(', ') : value;
		return out;
	}

	/** The body as the caller would read it: parsed JSON, text, or a Buffer for binary. */
	decodedBody(): unknown {
		const raw = this.bodyBuffer;
		if (raw.length === 0) return undefined;
		const contentType = String(this.getHeader('content-type') ?? '').toLowerCase();
		if (contentType.includes('json')) {
			try {
				return JSON.parse(raw.toString('utf-8'));
			} catch {
				return raw.toString('utf-8');
			}
		}
		if (
			contentType === '' ||
			contentType.startsWith('text/') ||
			contentType.includes('xml') ||
			contentType.includes('javascript')
		) {
			return raw.toString('utf-8');
		}
		return raw;
	}
}

/** What n8n's `sendSuccessResponse(res, data, raw=true, code, headers)` writes. */
export function sendSuccess(
	res: FakeResponse,
	data: unknown,
	responseCode?: number,
	headers?: Record<string, string>,
): void {
	if (responseCode !== undefined) res.status(responseCode);
	if (headers) res.header(headers);
	if (Buffer.isBuffer(data)) {
		res.send(data);
	} else if (typeof data === 'string') {
		res.send(data);
	} else {
		res.json(data);
	}
}

/** What n8n's `sendErrorResponse(res, error)` writes. */
export function sendError(
	res: FakeResponse,
	error: { message?: string; httpStatusCode?: number; errorCode?: number; hint?: string },
): void {
	const status = error.httpStatusCode ?? 500;
	const body: Record<string, unknown> = {
		code: error.errorCode ?? (error.httpStatusCode ? error.httpStatusCode : 0),
		message: error.message ?? 'Unknown error',
	};
	if (error.hint) body.hint = error.hint;
	res.status(status).json(body);
}
