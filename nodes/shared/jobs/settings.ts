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

/** The waiting settings of a node run (read from the first item: one mode for all items). */
export function readWaitSettings(
	params: ItemParameters,
	defaultTimeoutMinutes: number,
	{ capacity }: { capacity: boolean } = { capacity: true },
): WaitSettings {
	const chosen = params.choice('waitForCompletion', WAIT_MODES, 'poll');
	// An agent's tool call has no resume URL to wait on and can't take binary results.
	const mode = params.asTool && chosen === 'callback' ? 'poll' : chosen;
	const waiting = mode !== 'none';
	return {
		mode,
		timeoutMinutes: waiting
			? (params.number('options.timeoutMinutes') ?? defaultTimeoutMinutes)
			: defaultTimeoutMinutes,
		download: waiting && !params.asTool && params.boolean('options.downloadResult', true),
		binaryProperty:
			(waiting && params.text('options.binaryPropertyOutput')) || DEFAULT_OUTPUT_FIELD,
		poll:
			mode === 'poll'
				? {
						firstCheckSeconds: params.number('options.firstCheckSeconds'),
						maxIntervalSeconds: params.number('options.maxIntervalSeconds'),
					}
				: {},
		capacityWaitMinutes: capacity
			? (params.number('options.capacityWaitMinutes') ?? DEFAULT_CAPACITY_WAIT_MINUTES)
			: 0,
	};
}
