import { createHash, timingSafeEqual } from 'node:crypto';

import { MIN_CALLBACK_SECRET_LENGTH } from '../../credentials/DreaminaApi.credentials';

/**
 * The secret a callback URL must carry (nodes/shared/callbackSecret.ts) is the Callback Secret of
 * the trigger's Dreamina API credential.
 */
export const MIN_SECRET_LENGTH = MIN_CALLBACK_SECRET_LENGTH;
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

/** The secret as error messages name it. */
export const SECRET_LABEL = 'Callback Secret (Dreamina API credential)';

/** Why a configured secret can't be used, or undefined when it is fine. */
export function secretProblem(secret: string, label: string = SECRET_LABEL): string | undefined {
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

/**
 * The keys in this process's memory, per trigger (workflow id + node id). Check and record run
 * without an await in between, so concurrent deliveries of one callback start one execution. The
 * list does not survive a restart and is not shared between n8n processes; nothing is written to
 * n8n's database per callback.
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
