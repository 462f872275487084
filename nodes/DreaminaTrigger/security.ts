import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { MIN_CALLBACK_SECRET_LENGTH } from '../../credentials/DreaminaApi.credentials';

/**
 * Version 1 of the trigger keeps the secret its URL must carry (nodes/shared/callbackSecret.ts) in
 * its Secret parameter; version 2 reads it from the Dreamina API credential (Callback Secret).
 */
export const MIN_SECRET_LENGTH = MIN_CALLBACK_SECRET_LENGTH;
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

/** Where each version keeps its secret, as error messages name it. */
export const SECRET_LABEL = {
	parameter: 'Secret',
	credential: 'Callback Secret (Dreamina API credential)',
} as const;

/** Why a configured secret can't be used, or undefined when it is fine. */
export function secretProblem(
	secret: string,
	label: string = SECRET_LABEL.parameter,
): string | undefined {
	if (secret.length < MIN_SECRET_LENGTH) {
		return `${label}: must be at least ${MIN_SECRET_LENGTH} characters (it is ${secret.length})`;
	}
	if (!URL_SAFE.test(secret)) {
		return `${label}: use only letters, digits and . _ ~ - (it goes into a URL as it is)`;
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

/**
 * Callbacks already turned into executions: the last SEEN_LIMIT per trigger. A redelivery is
 * expected within minutes, not 1000 jobs later.
 */
export const SEEN_LIMIT = 1000;

/** Version 1's static-data key: a short digest of `jobid:status` (static data is stored in the database). */
export function callbackKey(jobid: string, status: string): string {
	return createHash('sha256').update(`${jobid}:${status}`, 'utf8').digest('base64url').slice(0, 16);
}

/**
 * The keys in this process's memory, per trigger (workflow id + node id). Check and record run
 * without an await in between, so concurrent deliveries of one callback start one execution. The
 * list does not survive a restart and is not shared between n8n processes. Version 1 also records
 * the keys in static data (below), which n8n loads when a request starts and saves when it is
 * answered: overlapping requests overwrite each other's keys, and every call writes to the
 * database. Version 2 keeps only this list.
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
