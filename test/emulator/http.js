// @ts-check
'use strict';
/**
 * HTTP plumbing of the API routes: the request context, body reading (JSON, multipart,
 * urlencoded, or counted for raw uploads), auth, and JSON replies that honour an afterHandling fault.
 */
const { bad } = require('./errors');
const { delay } = require('./util');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./state').State} State */
/** @typedef {import('./types').RecordedRequest} RecordedRequest */
/** @typedef {import('./faults').ActiveFault} ActiveFault */
/** @typedef {import('./media').MediaProbe} MediaProbe */

/**
 * @typedef {object} Ctx
 * @property {State} s
 * @property {IncomingMessage} req
 * @property {ServerResponse} res
 * @property {RecordedRequest} rec
 * @property {ActiveFault} [fault] an afterHandling fault to apply to the reply
 */

const MAX_JSON_BODY = 20 * 1024 * 1024;

/**
 * @param {Buffer} buf
 * @param {string} contentType
 * @returns {Record<string, unknown>}
 */
function parseMultipart(buf, contentType) {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!m) throw bad('multipart/form-data without boundary');
	const boundary = `--${(m[1] ?? m[2]).trim()}`;
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const part of buf.toString('latin1').split(boundary)) {
		if (!part || part.startsWith('--')) continue;
		const sep = part.indexOf('\r\n\r\n');
		if (sep < 0) continue;
		const name = /name="([^"]*)"/i.exec(part.slice(0, sep))?.[1];
		if (name === undefined) continue;
		let value = part.slice(sep + 4);
		if (value.endsWith('\r\n')) value = value.slice(0, -2);
		out[name] = Buffer.from(value, 'latin1').toString('utf8');
	}
	return out;
}

/**
 * @param {Buffer} buf
 * @param {RecordedRequest} rec
 * @returns {Record<string, unknown>}
 */
function parseBody(buf, rec) {
	if (buf.length === 0) return {};
	const ct = (rec.contentType ?? '').toLowerCase();
	/** @type {unknown} */
	let body;
	if (ct.startsWith('multipart/form-data')) body = parseMultipart(buf, rec.contentType ?? '');
	else if (ct.startsWith('application/x-www-form-urlencoded'))
		body = Object.fromEntries(new URLSearchParams(buf.toString('utf8')));
	else {
		try {
			body = JSON.parse(buf.toString('utf8'));
		} catch {
			rec.body = buf.toString('utf8');
			throw bad('Invalid JSON body');
		}
	}
	rec.body = body;
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw bad('Request body must be a JSON object');
	return /** @type {Record<string, unknown>} */ (body);
}

/**
 * Read the request body. 'parse': buffer and parse it (recorded in rec.body); 'count': count and
 * discard, feeding the probe if given (uploads are never held in memory).
 * @param {Ctx} ctx
 * @param {'parse' | 'count'} mode
 * @param {MediaProbe} [probe]
 * @returns {Promise<Record<string, unknown>>}
 */
function readBody(ctx, mode, probe) {
	const { req, rec } = ctx;
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let kept = 0;
		req.on('data', (/** @type {Buffer} */ c) => {
			rec.bodyBytes += c.length;
			probe?.feed(c);
			if (mode === 'parse' && kept < MAX_JSON_BODY) {
				chunks.push(c);
				kept += c.length;
			}
		});
		req.on('error', reject);
		req.on('end', () => {
			if (mode === 'count') return resolve({});
			try {
				resolve(parseBody(Buffer.concat(chunks), rec));
			} catch (e) {
				reject(e);
			}
		});
	});
}

/**
 * @param {IncomingMessage} req
 * @param {string} token
 */
function authorized(req, token) {
	const h = req.headers.authorization;
	if (typeof h !== 'string') return false;
	const m = /^Bearer\s+(.+)$/i.exec(h.trim());
	return !!m && m[1].trim() === token;
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function writeJson(res, status, body) {
	const data = Buffer.from(JSON.stringify(body));
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': data.length,
	});
	res.end(data);
}

/**
 * @param {Ctx} ctx
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(ctx, status, body) {
	ctx.rec.status = status;
	writeJson(ctx.res, status, body);
}

/**
 * @param {ActiveFault} f
 */
const faultBody = (f) => f.body ?? { error: `Injected fault (${f.status})` };

/**
 * An afterHandling fault with delayMs holds the reply of a request that was handled (a job that
 * exists before the client gets its answer, perhaps after the client gave up). Resolves false when
 * the client has gone meanwhile.
 * @param {Ctx} ctx
 * @returns {Promise<boolean>}
 */
async function holdReply(ctx) {
	const f = ctx.fault;
	if (!f?.afterHandling || !f.delayMs) return true;
	await delay(f.delayMs);
	return !ctx.res.destroyed && !ctx.req.socket.destroyed;
}

/**
 * The reply of a handled request; an afterHandling fault delays, drops or replaces it.
 * @param {Ctx} ctx
 * @param {number} status
 * @param {unknown} body
 * @returns {Promise<void>}
 */
async function reply(ctx, status, body) {
	if (!(await holdReply(ctx))) return;
	const f = ctx.fault;
	if (f?.afterHandling) {
		if (f.drop) {
			ctx.req.socket.destroy();
			return;
		}
		if (f.status !== undefined) {
			sendJson(ctx, f.status, faultBody(f));
			return;
		}
	}
	sendJson(ctx, status, body);
}

module.exports = { readBody, authorized, writeJson, sendJson, faultBody, holdReply, reply };
