// @ts-check
'use strict';
/** Small helpers: random ids like the API's, a seeded generator, timing and formatting. */
const { randomInt } = require('node:crypto');

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * @param {number} n
 * @param {string} [alphabet]
 */
const randStr = (n, alphabet = ALNUM) =>
	Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** Digits without a leading zero, like the API's numeric ids. @param {number} n */
const randDigits = (n) => String(randomInt(1, 10)) + randStr(n - 1, '0123456789');

/** @param {number} n */
const hex = (n) => randStr(n, '0123456789abcdef');

/**
 * Resolves after `ms` milliseconds (TypeScript tests may not use timers themselves).
 * @param {number} ms
 * @returns {Promise<void>}
 */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {number} n
 * @param {number} [width]
 */
const pad = (n, width = 2) => String(n).padStart(width, '0');

/** @param {string} s */
function safeDecode(s) {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** @param {number} bytes */
const mb = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)}MB`;

/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** A 32-bit FNV-1a hash of a string (stable seeds and colours). @param {string} s */
function hash32(s) {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

/**
 * A deterministic generator of numbers in [0, 1) (mulberry32): the same seed gives the same
 * sequence, so spread job durations are reproducible.
 * @param {number} seed
 * @returns {() => number}
 */
function seededRandom(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A deep copy of JSON data (job records are handed out as snapshots).
 * @template T
 * @param {T} value
 * @returns {T}
 */
const snapshot = (value) => JSON.parse(JSON.stringify(value));

module.exports = {
	randStr,
	randDigits,
	hex,
	delay,
	pad,
	safeDecode,
	mb,
	secs,
	hash32,
	seededRandom,
	snapshot,
};
