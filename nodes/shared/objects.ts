import type { IDataObject } from 'n8n-workflow';

/** Drops undefined, null and empty-string values: a field the user left empty is not sent. */
export function compact<T extends IDataObject>(object: T): T {
	return Object.fromEntries(
		Object.entries(object).filter(
			([, value]) => value !== undefined && value !== null && value !== '',
		),
	) as T;
}

/** `map[key]` only when `key` is the map's own (a status of "constructor" is not a prototype's). */
export function ownValue<T>(map: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** How much a JSON body from outside may hold before anything reads it (a job record is far smaller). */
export const BODY_LIMITS = { depth: 32, values: 20_000 };

/**
 * Why a parsed body is beyond BODY_LIMITS, or undefined when it is within them. Walked without
 * recursion: a body nested thousands deep must not overflow the stack of whoever reads it next.
 */
export function bodyLimitProblem(body: unknown): string | undefined {
	const stack: Array<[unknown, number]> = [[body, 1]];
	let values = 0;
	while (stack.length) {
		const [value, depth] = stack.pop()!;
		if (++values > BODY_LIMITS.values) return `more than ${BODY_LIMITS.values} values`;
		if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
		if (depth > BODY_LIMITS.depth) return `nested deeper than ${BODY_LIMITS.depth} levels`;
		for (const child of Object.values(value)) stack.push([child, depth + 1]);
	}
	return undefined;
}
