// @ts-check
'use strict';
/**
 * Result files (videos, covers, images): registered by name when a job completes or history is
 * seeded, generated when first requested. Served by routes/files.js under `/files/<name>`.
 */
const { makePng } = require('./media');

/** @typedef {import('./state').State} State */
/** @typedef {import('./state').FileSpec} FileSpec */

const PREVIEW_LONG_SIDE = 64;

/**
 * The served picture's size: the job's aspect ratio, small (the job JSON reports the nominal size).
 * @param {number} w
 * @param {number} h
 * @param {number} [longSide]
 */
function previewDims(w, h, longSide = PREVIEW_LONG_SIDE) {
	const f = longSide / Math.max(w, h, 1);
	return { width: Math.max(1, Math.round(w * f)), height: Math.max(1, Math.round(h * f)) };
}

/**
 * @param {State} s
 * @param {string} name
 */
const fileUrl = (s, name) => `${s.origin}/files/${name}`;

/**
 * Register a PNG of the given nominal size; returns its byte length (assetRefs carry it).
 * @param {State} s
 * @param {string} name
 * @param {{ width: number; height: number }} nominal
 * @param {number} seed colour variant
 */
function addPng(s, name, nominal, seed) {
	const pv = previewDims(nominal.width, nominal.height);
	s.files.set(name, { kind: 'png', width: pv.width, height: pv.height, seed });
	return pngBytes(s, name).length;
}

/**
 * @param {State} s
 * @param {string} name
 * @param {{ width: number; height: number; durationMs: number }} video
 */
function addMp4(s, name, video) {
	s.files.set(name, { kind: 'mp4', bytes: s.opts.videoBytes, ...video });
}

/**
 * The bytes of a registered PNG (made once, then cached).
 * @param {State} s
 * @param {string} name
 * @returns {Buffer}
 */
function pngBytes(s, name) {
	const spec = s.files.get(name);
	if (!spec || spec.kind !== 'png') throw new Error(`no png ${name}`);
	spec.cached ??= makePng(spec.width, spec.height, spec.seed);
	return spec.cached;
}

module.exports = { previewDims, fileUrl, addPng, addMp4, pngBytes };
