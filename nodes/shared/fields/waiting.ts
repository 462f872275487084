import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** How long a job-creating request keeps retrying "All accounts at capacity" (429) by default. */
export const DEFAULT_CAPACITY_WAIT_MINUTES = 10;
export const DEFAULT_OUTPUT_FIELD = 'data';

export type WaitMode = 'none' | 'poll' | 'callback';

function waitModeOptions(callback: boolean): INodePropertyOptions[] {
	return [
		...(callback
			? [
					{
						name: 'Wait for Callback',
						value: 'callback',
						description:
							'The execution waits without polling and without holding a worker until Dreamina has called back for every item’s job (n8n must be reachable from the internet: WEBHOOK_URL). At the timeout it outputs the jobs marked timedOut: true.',
					},
				]
			: []),
		{
			name: 'Poll Until Done',
			value: 'poll',
			description:
				'Check the jobs on a schedule that spends few requests, and output the finished results',
		},
		{
			name: "Don't Wait",
			value: 'none',
			description:
				'Output the job record right away (jobid, status, forecastCost); read it later with Get Job or a Dreamina Trigger',
		},
	];
}

export function waitForCompletionField(callback: boolean): INodeProperties {
	return {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'options',
		options: waitModeOptions(callback),
		default: 'poll',
	};
}

const waiting = (callback: boolean): WaitMode[] => (callback ? ['poll', 'callback'] : ['poll']);

function timeoutField(defaultMinutes: number): INodeProperties {
	return {
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1, maxValue: 120, numberPrecision: 1 },
		default: defaultMinutes,
		description:
			'Stop waiting after this long with an error that carries the jobid (the job keeps running on Dreamina). Dreamina itself fails jobs still running after 60 minutes.',
	};
}

const downloadField: INodeProperties = {
	displayName: 'Download Result',
	name: 'downloadResult',
	type: 'boolean',
	default: true,
	description:
		'Whether to put the finished video or images into binary data (streamed), ready for the next node',
};

const outputFieldHint = 'Several images go to data, data_1, data_2, …';

const firstCheckField: INodeProperties = {
	displayName: 'First Check After (Seconds)',
	name: 'firstCheckSeconds',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 1 },
	default: 0,
	description:
		'When to look at a job first. 0 uses the typical time: 45 s for videos, 15 s for images and upscales.',
};

const maxIntervalField: INodeProperties = {
	displayName: 'Max Interval (Seconds)',
	name: 'maxIntervalSeconds',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 1 },
	default: 0,
	description:
		'Longest pause between checks. 0 uses the default (30 s for videos, 20 s for images); checks come every 10 s at first, then at a fraction of the time already waited.',
};

export const capacityWaitField: INodeProperties = {
	displayName: 'Wait for Capacity (Minutes)',
	name: 'capacityWaitMinutes',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 60, numberPrecision: 1 },
	default: DEFAULT_CAPACITY_WAIT_MINUTES,
	description:
		'When every account is busy (429 "All accounts at capacity", which creates nothing), keep retrying the submission for up to this long; 0 fails at once',
};

/** The waiting settings, as options of the Options collection (n8n's video nodes do this). */
export function waitOptions(defaultTimeoutMinutes: number, callback: boolean): INodeProperties[] {
	const show = { '/waitForCompletion': waiting(callback) };
	return [
		{ ...timeoutField(defaultTimeoutMinutes), displayOptions: { show } },
		{ ...downloadField, displayOptions: { show } },
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyOutput',
			type: 'string',
			default: DEFAULT_OUTPUT_FIELD,
			hint: outputFieldHint,
			description: 'The binary field the result goes to when Download Result is on',
			displayOptions: { show },
		},
		{ ...firstCheckField, displayOptions: { show: { '/waitForCompletion': ['poll'] } } },
		{ ...maxIntervalField, displayOptions: { show: { '/waitForCompletion': ['poll'] } } },
	];
}
