// @ts-check
'use strict';
/**
 * GET/HEAD /files/{name}: result files, no auth. Streamed (a video of any size is never held in
 * memory), with `Range` support; a rendered file is served once its render is done. An afterHandling `drop` fault sends half the body, then cuts.
 */
const fs = require('node:fs');
const { Readable } = require('node:stream');

const { mp4Header, paddedStream } = require('../media');
const { pngBytes } = require('../files');
const { holdReply, reply } = require('../http');

/** @typedef {import('../http').Ctx} Ctx */

/**
 * A servable file: its type, size, and a reader of a byte range [start, end).
 * @typedef {object} Source
 * @property {string} type
 * @property {number} total
 * @property {(start: number, end: number) => Readable} open
 */

/**
 * The synthetic file.
 * @param {Ctx} ctx
 * @param {string} name
 * @param {import('../state').FileSpec} spec
 * @returns {Source}
 */
function syntheticSource(ctx, name, spec) {
	if (spec.kind === 'png') {
		const buf = pngBytes(ctx.s, name);
		return {
			type: 'image/png',
			total: buf.length,
			open: (start, end) => Readable.from([buf.subarray(start, end)]),
		};
	}
	const total = spec.bytes;
	const header = mp4Header({ ...spec, totalBytes: total });
	return {
		type: 'video/mp4',
		total,
		open: (start, end) => paddedStream(header, total, start, end),
	};
}

/**
 * The rendered file when the spec asks for one and rendering works, else the synthetic file.
 * @param {Ctx} ctx
 * @param {string} name
 * @returns {Promise<Source | undefined>}
 */
async function sourceOf(ctx, name) {
	const spec = ctx.s.files.get(name);
	if (!spec) return undefined;
	const rendered = spec.render ? await ctx.s.renderer.file(spec.render) : undefined;
	if (!rendered) return syntheticSource(ctx, name, spec);
	return {
		type: spec.kind === 'png' ? 'image/png' : 'video/mp4',
		total: rendered.size,
		open: (start, end) => fs.createReadStream(rendered.path, { start, end: end - 1 }),
	};
}

/**
 * The byte range asked for: null when none (whole file), 'invalid' when unsatisfiable.
 * @param {string | undefined} header
 * @param {number} total
 * @returns {{ start: number; end: number } | null | 'invalid'}
 */
function parseRange(header, total) {
	if (typeof header !== 'string') return null;
	const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!m || (m[1] === '' && m[2] === '')) return null;
	let start;
	let end = total; // exclusive
	if (m[1] === '') start = Math.max(0, total - Number(m[2]));
	else {
		start = Number(m[1]);
		if (m[2] !== '') end = Math.min(total, Number(m[2]) + 1);
	}
	if (start >= total || start >= end) return 'invalid';
	return { start, end };
}

/**
 * @param {Ctx} ctx
 * @param {string} method
 * @param {string} name
 */
async function serveFile(ctx, method, name) {
	const { res, rec, fault } = ctx;
	const src = method === 'GET' || method === 'HEAD' ? await sourceOf(ctx, name) : undefined;
	if (!src) return reply(ctx, 404, { error: 'File not found' });
	if (fault?.afterHandling && !fault.drop && fault.status !== undefined) return reply(ctx, 0, null); // replaced by the fault's status
	if (!(await holdReply(ctx))) return;
	const range = parseRange(ctx.req.headers.range, src.total);
	if (range === 'invalid') {
		rec.status = 416;
		res.writeHead(416, { 'Content-Range': `bytes */${src.total}` });
		res.end();
		return;
	}
	const { start, end } = range ?? { start: 0, end: src.total };
	/** @type {Record<string, string | number>} */
	const headers = {
		'Content-Type': src.type,
		'Accept-Ranges': 'bytes',
		'Content-Length': end - start,
	};
	if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${src.total}`;
	rec.status = range ? 206 : 200;
	res.writeHead(rec.status, headers);
	if (method === 'HEAD') return void res.end();
	const cut = fault?.afterHandling && fault.drop;
	const stream = src.open(start, cut ? start + Math.floor((end - start) / 2) : end);
	stream.on('error', () => res.destroy()); // e.g. a rendered file removed by reset()
	if (!cut) return void stream.pipe(res);
	stream.pipe(res, { end: false });
	stream.on('end', () => setImmediate(() => ctx.req.socket.destroy()));
	rec.status = undefined;
}

module.exports = { serveFile };
