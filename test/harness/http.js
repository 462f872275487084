// @ts-check
'use strict';
/**
 * Express-like request/response objects for delivering an HTTP call to a node's `webhook()` in-process.
 * The request is a readable stream of the raw body with the properties n8n's webhook layer sets
 * (`headers`, `query`, `params`, `body`, `rawBody`, `contentType`, `encoding`, `readRawBody()`);
 * the response is a writable stream that records status, headers and body.
 */
const { parse: parseQueryString } = require('node:querystring');
const { PassThrough, Writable } = require('node:stream');

/**
 * @typedef {object} FakeRequestInit
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} [headers]
 * @property {Record<string, string>} [query]
 * @property {Record<string, string>} [params]
 * @property {unknown} [body]
 * @property {Buffer} [rawBody]
 * @property {string} [host]
 */

/**
 * @typedef {PassThrough & { method: string; url: string; originalUrl: string; path: string; baseUrl: string; host: string; hostname: string; protocol: string; ip: string; headers: Record<string, string>; query: Record<string, string>; params: Record<string, string>; body: unknown; rawBody: Buffer; contentType?: string; encoding: BufferEncoding; _body: boolean; readRawBody(): Promise<void>; get(name: string): string | undefined; header(name: string): string | undefined; is(type: string): string | false; }} FakeRequest
 */

/**
 * @param {Record<string, string>} headers
 * @returns {{ contentType?: string; encoding: BufferEncoding; }}
 */
function contentTypeOf(headers) {
	const raw = headers['content-type'];
	if (!raw) return { encoding: 'utf-8' };
	const [type, ...params] = raw.split(';').map((p) => p.trim());
	/** @type {BufferEncoding} */ let encoding = 'utf-8';
	for (const param of params) {
		const [key, value] = param.split('=');
		if (key?.toLowerCase() === 'charset' && value && Buffer.isEncoding(value.toLowerCase())) {
			encoding = /** @type {BufferEncoding} */ (value.toLowerCase());
		}
	}
	return { contentType: type.toLowerCase(), encoding };
}

class UnprocessableBodyError extends Error {
	/** @readonly */ httpStatusCode = 422;
	/** @type {string | undefined} @readonly */
	hint;
	/**
	 * @param {string} message
	 * @param {string} [hint]
	 */
	constructor(message, hint) {
		super(message);
		this.hint = hint;
	}
}

/**
 * Parses the raw body into `req.body` the way n8n's `parseBody` does for webhook requests:
 * JSON, form-urlencoded and text/plain; other content types leave the body unparsed ({}).
 * (XML is left as text — n8n would parse it with xml2js.)
 * @param {FakeRequest} req
 * @returns {void}
 */
function parseBody(req) {
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
		throw new UnprocessableBodyError(
			'Failed to parse request body',
			/** @type {Error} */ (error).message,
		);
	}
}

/**
 * @param {FakeRequestInit} init
 * @returns {FakeRequest}
 */
function createRequest(init) {
	/** @type {Record<string, string>} */ const headers = {};
	for (const [key, value] of Object.entries(init.headers ?? {})) headers[key.toLowerCase()] = value;

	/** @type {Buffer} */ let rawBody;
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
	const req = /** @type {FakeRequest} */ (
		Object.assign(stream, {
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
			body: /** @type {unknown} */ ({}),
			rawBody,
			contentType,
			encoding,
			_body: true,
			async readRawBody() {},
			/** @param {string} name */ get(name) {
				return headers[name.toLowerCase()];
			},
			/** @param {string} name */ header(name) {
				return headers[name.toLowerCase()];
			},
			/** @param {string} type */ is(type) {
				if (!contentType) return false;
				if (
					type === contentType ||
					contentType.endsWith(`/${type}`) ||
					contentType.includes(type)
				) {
					return contentType;
				}
				return false;
			},
		})
	);

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
class FakeResponse extends Writable {
	statusCode = 200;

	statusMessage = '';

	/** @private @readonly */ headerMap = /** @type {Map<string, string | string[]>} */ (new Map());

	/** @type {Buffer[]} @private @readonly */ chunks = [];

	/** @private */ sent = false;

	/** @type {Record<string, unknown>} */ locals = {};

	constructor() {
		super({ decodeStrings: true });
	}

	/**
	 * @param {Buffer} chunk
	 * @param {BufferEncoding} _encoding
	 * @param {(error?: Error | null) => void} callback
	 */
	_write(chunk, _encoding, callback) {
		this.sent = true;
		this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
		callback();
	}

	/** @returns {boolean} */ get headersSent() {
		return this.sent;
	}

	/** @returns {Buffer} */ get bodyBuffer() {
		return Buffer.concat(this.chunks);
	}

	/**
	 * @param {number} code
	 * @returns {this}
	 */
	status(code) {
		this.statusCode = code;
		return this;
	}

	/**
	 * @param {number} code
	 * @returns {this}
	 */
	sendStatus(code) {
		this.statusCode = code;
		this.type('text/plain');
		this.end(String(code));
		return this;
	}

	/**
	 * @param {string} name
	 * @param {string | number | readonly string[]} value
	 * @returns {this}
	 */
	setHeader(name, value) {
		this.headerMap.set(
			name.toLowerCase(),
			Array.isArray(value)
				? [.../** @type {string[]} */ (value)]
				: String(/** @type {string | number} */ (value)),
		);
		return this;
	}

	/**
	 * @param {string} name
	 * @returns {string | string[] | undefined}
	 */
	getHeader(name) {
		return this.headerMap.get(name.toLowerCase());
	}

	/** @returns {Record<string, string | string[]>} */ getHeaders() {
		return Object.fromEntries(this.headerMap);
	}

	/**
	 * @param {string} name
	 * @returns {boolean}
	 */
	hasHeader(name) {
		return this.headerMap.has(name.toLowerCase());
	}

	/**
	 * @param {string} name
	 * @returns {void}
	 */
	removeHeader(name) {
		this.headerMap.delete(name.toLowerCase());
	}

	/**
	 * @param {string | Record<string, string>} field
	 * @param {string} [value]
	 * @returns {this}
	 */
	header(field, value) {
		if (typeof field === 'string') {
			if (value !== undefined) this.setHeader(field, value);
		} else {
			for (const [key, v] of Object.entries(field)) this.setHeader(key, v);
		}
		return this;
	}

	/**
	 * @param {string | Record<string, string>} field
	 * @param {string} [value]
	 * @returns {this}
	 */
	set(field, value) {
		return this.header(field, value);
	}

	/**
	 * @param {string} name
	 * @returns {string | string[] | undefined}
	 */
	get(name) {
		return this.getHeader(name);
	}

	/**
	 * @param {string} contentType
	 * @returns {this}
	 */
	type(contentType) {
		return this.setHeader('content-type', contentType);
	}

	/**
	 * @param {string} contentType
	 * @returns {this}
	 */
	contentType(contentType) {
		return this.type(contentType);
	}

	/**
	 * @param {number} statusCode
	 * @param {Record<string, string> | string} [headers]
	 * @param {Record<string, string>} [maybeHeaders]
	 * @returns {this}
	 */
	writeHead(statusCode, headers, maybeHeaders) {
		this.statusCode = statusCode;
		const h = typeof headers === 'object' ? headers : maybeHeaders;
		if (h) this.header(h);
		this.sent = true;
		return this;
	}

	/** @returns {void} */ flushHeaders() {
		this.sent = true;
	}

	/**
	 * @param {unknown} data
	 * @returns {this}
	 */
	json(data) {
		if (!this.hasHeader('content-type')) this.type('application/json; charset=utf-8');
		this.end(data === undefined ? '' : JSON.stringify(data));
		return this;
	}

	/**
	 * @param {unknown} [data]
	 * @returns {this}
	 */
	send(data) {
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

	/**
	 * @param {number | string} statusOrUrl
	 * @param {string} [maybeUrl]
	 * @returns {this}
	 */
	redirect(statusOrUrl, maybeUrl) {
		const status = typeof statusOrUrl === 'number' ? statusOrUrl : 302;
		const url = typeof statusOrUrl === 'string' ? statusOrUrl : (maybeUrl ?? '');
		this.status(status).setHeader('location', url);
		this.end();
		return this;
	}

	/**
	 * @param {string} view
	 * @returns {this}
	 */
	render(view) {
		this.type('text/html; charset=utf-8');
		this.end(`<!-- ${view} -->`);
		return this;
	}

	/**
	 * @param {...unknown} args
	 * @returns {this}
	 */
	end(...args) {
		this.sent = true;
		return /** @type {(...a: unknown[]) => this} */ (super.end)(...args);
	}

	/**
	 * Resolves when the response was ended (or after `timeoutMs`, with false).
	 * @param {number} timeoutMs
	 * @returns {Promise<boolean>}
	 */
	async waitForEnd(timeoutMs) {
		if (this.writableFinished) return true;
		return await /** @type {Promise<boolean>} */ (
			new Promise((resolve) => {
				const timer = setTimeout(() => resolve(false), timeoutMs);
				this.once('finish', () => {
					clearTimeout(timer);
					resolve(true);
				});
			})
		);
	}

	/**
	 * Headers as a flat record (multi-value headers joined with ", ").
	 * @returns {Record<string, string>}
	 */
	flatHeaders() {
		/** @type {Record<string, string>} */ const out = {};
		for (const [key, value] of this.headerMap)
			out[key] = Array.isArray(value) ? value.join(', ') : value;
		return out;
	}

	/**
	 * The body as the caller would read it: parsed JSON, text, or a Buffer for binary.
	 * @returns {unknown}
	 */
	decodedBody() {
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

/**
 * What n8n's `sendSuccessResponse(res, data, raw=true, code, headers)` writes.
 * @param {FakeResponse} res
 * @param {unknown} data
 * @param {number} [responseCode]
 * @param {Record<string, string>} [headers]
 * @returns {void}
 */
function sendSuccess(res, data, responseCode, headers) {
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

/**
 * What n8n's `sendErrorResponse(res, error)` writes.
 * @param {FakeResponse} res
 * @param {{ message?: string; httpStatusCode?: number; errorCode?: number; hint?: string }} error
 * @returns {void}
 */
function sendError(res, error) {
	const status = error.httpStatusCode ?? 500;
	/** @type {Record<string, unknown>} */ const body = {
		code: error.errorCode ?? (error.httpStatusCode ? error.httpStatusCode : 0),
		message: error.message ?? 'Unknown error',
	};
	if (error.hint) body.hint = error.hint;
	res.status(status).json(body);
}

module.exports = { UnprocessableBodyError, createRequest, FakeResponse, sendSuccess, sendError };
