// @ts-check
'use strict';
/**
 * Reading request parameters the way the API does: optional values with "Parameter NAME (value)
 * valid values: ..." errors, and the emulator's [fail:CODE] / [slow] triggers.
 */
const { bad } = require('../errors');

/** @typedef {Record<string, unknown>} Body */

/** @param {unknown} v */
const isEmpty = (v) => v === undefined || v === null || v === '';

/**
 * @param {Body} body
 * @param {string} name
 * @returns {string | undefined}
 */
function optString(body, name) {
	const v = body[name];
	if (isEmpty(v)) return undefined;
	if (typeof v !== 'string') throw bad(`Parameter ${name} must be a string`);
	return v;
}

/**
 * @param {Body} body
 * @param {string} name
 * @param {number} min
 * @param {number} max
 * @param {boolean} integer
 * @returns {number | undefined}
 */
function optNumber(body, name, min, max, integer) {
	const v = body[name];
	if (isEmpty(v)) return undefined;
	let n;
	if (typeof v === 'number') n = v;
	else if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) n = Number(v);
	else throw bad(`Parameter ${name} (${String(v)}) must be a number`);
	if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
		throw bad(`Parameter ${name} (${String(v)}) valid values: ${min}-${max}`);
	}
	return n;
}

/**
 * @param {Body} body
 * @param {string} name
 * @param {string[]} values
 * @returns {string | undefined}
 */
function optEnum(body, name, values) {
	const v = optString(body, name);
	if (v !== undefined && !values.includes(v))
		throw bad(`Parameter ${name} (${v}) valid values: ${values.join(', ')}`);
	return v;
}

/**
 * @param {Body} body
 * @param {string} name
 * @returns {string | undefined}
 */
function optUrl(body, name) {
	const v = optString(body, name);
	if (v === undefined) return undefined;
	let u;
	try {
		u = new URL(v);
	} catch {
		throw bad(`Parameter ${name} (${v}) must be a valid URL`);
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:')
		throw bad(`Parameter ${name} (${v}) must be an http(s) URL`);
	return v;
}

/**
 * @param {Body} body
 * @param {string} name
 * @param {number} max
 */
function optPrompt(body, name, max) {
	const v = optString(body, name);
	if (v !== undefined && v.length > max)
		throw bad(`Parameter ${name} exceeds maximum length of ${max} characters (${v.length})`);
	return v;
}

/**
 * @typedef {object} Triggers
 * @property {number} [failCode] `[fail:CODE]`: the job fails with CODE when it would complete
 * @property {boolean} slow `[slow]`: the job never completes on its own
 */

/**
 * Triggers looked for in prompts (incl. frame_N_prompt) and replyRef.
 * @param {Array<string | undefined>} texts
 * @returns {Triggers}
 */
function triggers(texts) {
	/** @type {number | undefined} */
	let failCode;
	let slow = false;
	for (const t of texts) {
		if (!t) continue;
		const m = /\[fail:(\d+)\]/.exec(t);
		if (m && failCode === undefined) failCode = Number(m[1]);
		if (t.includes('[slow]')) slow = true;
	}
	return { failCode, slow };
}

module.exports = { isEmpty, optString, optNumber, optEnum, optUrl, optPrompt, triggers };
