// @ts-check
'use strict';
/**
 * Result files (videos, covers, images): registered by name when a job completes or history is
 * seeded, generated when first requested, served by routes/files.js under `/files/<name>`.
 * Synthetic files (a small gradient PNG, an MP4 container of `videoBytes` with an empty track) are
 * the default; with ffmpeg they are rendered (render.js) unless `videoBytes` is set for videos.
 */
const { makePng } = require('./media');

/** @typedef {import('./state').State} State */
/** @typedef {import('./state').FileSpec} FileSpec */
/** @typedef {import('./render').RenderSpec} RenderSpec */
/** @typedef {{ title: string; details: string }} Caption what a rendered file shows */

const PREVIEW_LONG_SIDE = 64;
const DEFAULT_VIDEO_BYTES = 256 * 1024;

/**
 * Whether result files made now are rendered: asked for (default yes) and ffmpeg found.
 * @param {State} s
 */
// Off unless asked: tests want small, fast, exact files; the CLI (demo, npm run emulator) asks.
const rendering = (s) => (s.opts.render ?? false) && s.renderer.available;

/**
 * The synthetic picture's size: the job's aspect ratio, small (the job JSON reports the nominal size).
 * @param {number} w
 * @param {number} h
 */
function previewDims(w, h) {
	const f = PREVIEW_LONG_SIDE / Math.max(w, h, 1);
	return { width: Math.max(1, Math.round(w * f)), height: Math.max(1, Math.round(h * f)) };
}

/**
 * @param {State} s
 * @param {string} name
 */
const fileUrl = (s, name) => `${s.origin}/files/${name}`;

/**
 * Register a PNG of the given nominal size; returns the synthetic file's byte length (assetRefs
 * carry it; like the nominal width and height, it describes the result, not the preview served).
 * @param {State} s
 * @param {string} name
 * @param {{ width: number; height: number }} nominal
 * @param {number} seed colour variant
 * @param {Caption} caption
 */
function addPng(s, name, nominal, seed, caption) {
	const pv = previewDims(nominal.width, nominal.height);
	/** @type {FileSpec} */
	const spec = { kind: 'png', width: pv.width, height: pv.height, seed };
	if (rendering(s)) spec.render = { key: name, kind: 'image', ...nominal, ...caption };
	s.files.set(name, spec);
	return pngBytes(s, name).length;
}

/**
 * @param {State} s
 * @param {string} name
 * @param {{ width: number; height: number; durationMs: number; hasAudio?: boolean }} video
 * @param {Caption} caption
 */
function addMp4(s, name, video, caption) {
	const { width, height, durationMs } = video;
	/** @type {FileSpec} */
	const spec = {
		kind: 'mp4',
		bytes: s.opts.videoBytes ?? DEFAULT_VIDEO_BYTES,
		width,
		height,
		durationMs,
	};
	if (s.opts.videoBytes === undefined && rendering(s)) {
		const durationS = Math.round(durationMs / 1000);
		spec.render = {
			key: name,
			kind: 'video',
			width,
			height,
			durationS,
			hasAudio: video.hasAudio,
			...caption,
		};
	}
	s.files.set(name, spec);
}

/**
 * Synthetic PNGs by size and colour, shared by all emulators of the process: every start seeds 75
 * history pictures of the same few kinds, and startup stays fast. Bounded (they are small).
 * @type {Map<string, Buffer>}
 */
const PNG_CACHE = new Map();
const PNG_CACHE_MAX = 2000;

/**
 * The bytes of a registered synthetic PNG.
 * @param {State} s
 * @param {string} name
 * @returns {Buffer}
 */
function pngBytes(s, name) {
	const spec = s.files.get(name);
	if (!spec || spec.kind !== 'png') throw new Error(`no png ${name}`);
	if (spec.cached) return spec.cached;
	const key = `${spec.width}x${spec.height}:${spec.seed}`;
	let png = PNG_CACHE.get(key);
	if (!png) {
		png = makePng(spec.width, spec.height, spec.seed);
		if (PNG_CACHE.size < PNG_CACHE_MAX) PNG_CACHE.set(key, png);
	}
	spec.cached = png;
	return png;
}

module.exports = { DEFAULT_VIDEO_BYTES, rendering, previewDims, fileUrl, addPng, addMp4, pngBytes };
