// @ts-check
'use strict';
/** Injected faults: matching a request to the first fault that fits, and counting its uses. */

/** @typedef {import('./types').Fault} Fault */
/** @typedef {Fault & { remaining: number }} ActiveFault */

const PREFIX = '/v1/dreamina';

/**
 * @param {Fault} f
 * @returns {ActiveFault}
 */
function activate(f) {
	const times = f.times ?? 1;
	return { ...f, remaining: times <= 0 ? Infinity : times };
}

/**
 * A fault sent as JSON over the control API: `pathRegex` stands for a RegExp `path`.
 * @param {Record<string, unknown>} body
 * @returns {Fault}
 */
function faultFromJson(body) {
	const { pathRegex, ...rest } = body;
	const f = /** @type {Fault} */ (rest);
	if (typeof pathRegex === 'string' && pathRegex) f.path = new RegExp(pathRegex);
	return f;
}

/**
 * @param {ActiveFault} f
 * @param {string} method
 * @param {string} path decoded full path
 */
function matches(f, method, path) {
	if (f.method && f.method.toUpperCase() !== method) return false;
	if (f.path === undefined) return true;
	if (f.path instanceof RegExp) {
		f.path.lastIndex = 0;
		return f.path.test(path);
	}
	return f.path === path || `${PREFIX}${f.path.startsWith('/') ? '' : '/'}${f.path}` === path;
}

/**
 * The first matching fault, used up by one (removed when it runs out).
 * @param {ActiveFault[]} faults
 * @param {string} method
 * @param {string} path
 * @returns {ActiveFault | undefined}
 */
function takeFault(faults, method, path) {
	const idx = faults.findIndex((f) => matches(f, method, path));
	if (idx < 0) return undefined;
	const f = faults[idx];
	f.remaining -= 1;
	if (f.remaining <= 0) faults.splice(idx, 1);
	return f;
}

module.exports = { PREFIX, activate, faultFromJson, takeFault };
