import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The API only POSTs to a plain `replyUrl` and does not sign its callbacks, so the URL itself
 * carries the proof: `<Production URL>?secret=<Secret>`. The Secret is a parameter the user sets
 * (visible, so it can be pasted into the Reply URL of any workflow, and rotated by changing it).
 */
export const SECRET_QUERY_PARAMETER = 'secret';
export const MIN_SECRET_LENGTH = 16;
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

/** Why a configured Secret can't be used, or undefined when it is fine. */
export function secretProblem(secret: string): string | undefined {
	if (secret.length < MIN_SECRET_LENGTH) {
		return `Secret: must be at least ${MIN_SECRET_LENGTH} characters (it is ${secret.length})`;
	}
	if (!URL_SAFE.test(secret)) {
		return 'Secret: use only letters, digits and . _ ~ - (it goes into a URL as it is)';
	}
	return undefined;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares in constant time: both sides are hashed first, so the comparison is between two
 * 32-byte digests whatever the lengths of the strings, and no length is revealed.
 */
export function secretMatches(provided: unknown, expected: string): boolean {
	if (typeof provided !== 'string' || provided.length === 0 || expected.length === 0) return false;
	return timingSafeEqual(digest(provided), digest(expected));
}

/** `…?secret=abc&x=1` → `…?secret=***&x=1`: the emitted record must not carry the Secret on. */
export function redactSecret(url: string): string {
	return url.replace(/([?&]secret=)[^&#]*/gi, '$1***');
}

/**
 * Callbacks already turned into executions, as short digests of `jobid:status`, oldest first, kept
 * in the node's static data. Bounded: a redelivery is expected within minutes, not 1000 jobs later.
 */
export const SEEN_LIMIT = 1000;

export function callbackKey(jobid: string, status: string): string {
	return createHash('sha256').update(`${jobid}:${status}`, 'utf8').digest('base64url').slice(0, 16);
}

/**
 * The same list in this process's memory, per trigger (workflow id + node id). Static data is
 * loaded when a request starts and saved when it is answered, so overlapping requests overwrite
 * each other's keys; this in-memory copy has none of that (check and record run without an await in
 * between), and it catches concurrent duplicates. It does not survive a restart and is not shared
 * between n8n processes: static data covers those.
 */
const recentByTrigger = new Map<string, Set<string>>();
const MAX_TRIGGERS = 500;

export function rememberInProcess(trigger: string, key: string, limit = SEEN_LIMIT): boolean {
	let keys = recentByTrigger.get(trigger);
	if (!keys) {
		keys = new Set<string>();
		recentByTrigger.set(trigger, keys);
		if (recentByTrigger.size > MAX_TRIGGERS)
			recentByTrigger.delete(recentByTrigger.keys().next().value as string);
	}
	if (keys.has(key)) return false;
	keys.add(key);
	if (keys.size > limit) keys.delete(keys.values().next().value as string);
	return true;
}

/** Records the key; false when it was there already (a duplicate delivery). */
export function rememberCallback(store: IDataObject, key: string, limit = SEEN_LIMIT): boolean {
	const seen = Array.isArray(store.seen)
		? (store.seen as unknown[]).filter((k): k is string => typeof k === 'string')
		: [];
	if (seen.includes(key)) return false;
	seen.push(key);
	// Assigned anew (not pushed in place) so n8n's observable static data is marked changed and saved.
	store.seen = seen.slice(-limit);
	return true;
}
