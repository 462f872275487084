import { DEFAULT_CAPACITY_WAIT_MINUTES, DEFAULT_OUTPUT_FIELD } from '../fields/waiting';
import type { WaitMode } from '../fields/waiting';
import type { ItemParameters } from '../parameters';

export type { WaitMode };

export interface WaitSettings {
	mode: WaitMode;
	timeoutMinutes: number;
	download: boolean;
	binaryProperty: string;
	poll: { firstCheckSeconds?: number; maxIntervalSeconds?: number };
	/** how long a 429 "All accounts at capacity" is retried (it created nothing) */
	capacityWaitMinutes: number;
}

const WAIT_MODES: WaitMode[] = ['none', 'poll', 'callback'];

/**
 * Where each setting lives: top-level fields in version 1, the Options collection in version 2.
 * The capacity wait is an option in both (it was hidden before: 0.1.0 retried a 429 through the
 * whole timeout, up to an hour in Don't Wait mode).
 */
const PATHS = {
	1: {
		timeoutMinutes: 'timeoutMinutes',
		downloadResult: 'downloadResult',
		outputField: 'binaryPropertyName',
		firstCheckSeconds: 'polling.firstCheckSeconds',
		maxIntervalSeconds: 'polling.maxIntervalSeconds',
	},
	2: {
		timeoutMinutes: 'options.timeoutMinutes',
		downloadResult: 'options.downloadResult',
		outputField: 'options.binaryPropertyOutput',
		firstCheckSeconds: 'options.firstCheckSeconds',
		maxIntervalSeconds: 'options.maxIntervalSeconds',
	},
};

/** The waiting settings of a node run (read from the first item: one mode for all items). */
export function readWaitSettings(
	params: ItemParameters,
	defaultTimeoutMinutes: number,
	{ capacity }: { capacity: boolean } = { capacity: true },
): WaitSettings {
	const paths = params.version === 1 ? PATHS[1] : PATHS[2];
	const chosen = params.choice('waitForCompletion', WAIT_MODES, 'poll');
	// An agent's tool call has no resume URL to wait on and can't take binary results.
	const mode = params.asTool && chosen === 'callback' ? 'poll' : chosen;
	const waiting = mode !== 'none';
	return {
		mode,
		timeoutMinutes: waiting
			? (params.number(paths.timeoutMinutes) ?? defaultTimeoutMinutes)
			: defaultTimeoutMinutes,
		download: waiting && !params.asTool && params.boolean(paths.downloadResult, true),
		binaryProperty: (waiting && params.text(paths.outputField)) || DEFAULT_OUTPUT_FIELD,
		poll:
			mode === 'poll'
				? {
						firstCheckSeconds: params.number(paths.firstCheckSeconds),
						maxIntervalSeconds: params.number(paths.maxIntervalSeconds),
					}
				: {},
		capacityWaitMinutes: capacity
			? (params.number('options.capacityWaitMinutes') ?? DEFAULT_CAPACITY_WAIT_MINUTES)
			: 0,
	};
}
