import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WaitSettings } from './jobRunner';

/** The account field every node has. `auto` adds "any account with capacity" where the API allows it. */
export function accountProperty(auto: boolean): INodeProperties {
	return {
		displayName: 'Account Name or ID',
		name: 'account',
		type: 'options',
		typeOptions: { loadOptionsMethod: auto ? 'getAccountsWithAuto' : 'getAccounts' },
		default: '',
		required: !auto,
		description: auto
			? 'The Dreamina account that runs the job. Auto lets the API pick any account with free capacity (or the account the assetRefs belong to). Choose from the list, or specify an ID (REGION:email) using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.'
			: 'The Dreamina account to use (REGION:email). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	};
}

/** A Job ID field, mapped from an earlier Dreamina node by default. */
export function jobIdProperty(description: string): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.jobid }}',
		description,
	};
}

/** Wait for Completion + Download Result, shared by the generation nodes and Get Job. */
export function waitProperties(
	defaultTimeoutMinutes: number,
	{ callback }: { callback: boolean } = { callback: true },
): INodeProperties[] {
	const waiting = callback ? ['poll', 'callback'] : ['poll'];
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'options',
			options: [
				...(callback
					? [
							{
								name: 'Wait for Callback (One Item)',
								value: 'callback',
								description:
									'The execution waits without polling until Dreamina calls back (n8n must be reachable from the internet: WEBHOOK_URL); one item per execution. At the timeout it outputs the job with timedOut: true.',
							},
						]
					: []),
				{
					name: 'Poll Until Done',
					value: 'poll',
					description:
						'Check the job on a schedule that spends few requests, and output the finished result',
				},
				{
					name: "Don't Wait",
					value: 'none',
					description:
						'Output the job record right away (jobid, status, forecastCost); read it later with Get Job or a Dreamina Trigger',
				},
			],
			default: 'poll',
		},
		{
			displayName: 'Timeout (Minutes)',
			name: 'timeoutMinutes',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 120, numberPrecision: 1 },
			default: defaultTimeoutMinutes,
			description:
				'Stop waiting after this long with an error that carries the jobid (the job keeps running on Dreamina). Dreamina itself fails jobs still running after 60 minutes.',
			displayOptions: { show: { waitForCompletion: waiting } },
		},
		{
			displayName: 'Download Result',
			name: 'downloadResult',
			type: 'boolean',
			default: true,
			description:
				'Whether to put the finished video or images into binary data (streamed), ready for the next node',
			displayOptions: { show: { waitForCompletion: waiting } },
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			hint: 'Several images go to data, data_1, data_2, …',
			description: 'The binary field the result goes to',
			displayOptions: { show: { waitForCompletion: waiting, downloadResult: [true] } },
		},
		{
			displayName: 'Polling',
			name: 'polling',
			type: 'collection',
			placeholder: 'Add Polling Setting',
			default: {},
			displayOptions: { show: { waitForCompletion: ['poll'] } },
			options: [
				{
					displayName: 'First Check After (Seconds)',
					name: 'firstCheckSeconds',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 1 },
					default: 0,
					description:
						'When to look at the job first. 0 uses the typical time: 45 s for videos, 15 s for images and upscales.',
				},
				{
					displayName: 'Max Interval (Seconds)',
					name: 'maxIntervalSeconds',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 1 },
					default: 0,
					description:
						'Longest pause between checks. 0 uses the default (30 s for videos, 20 s for images); checks come every 10 s at first, then at a fraction of the time already waited.',
				},
			],
		},
	];
}

/** Options every job-creating request takes. */
export function jobOptionsProperty(): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Jobs',
				name: 'maxJobs',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 10,
				description:
					'Override how many jobs the account runs at once for this request (1–50). Also caps how many items this node submits at once.',
			},
			{
				displayName: 'Reply Reference',
				name: 'replyRef',
				type: 'string',
				default: '',
				description:
					'Your own reference, sent back in the callback to the Reply URL (e.g. a row ID)',
			},
			{
				displayName: 'Reply URL',
				name: 'replyUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/dreamina?secret=…',
				description:
					'URL the API posts the job record to when the job is submitted and when it finishes. To handle results in another workflow, paste a Dreamina Trigger’s Production URL followed by ?secret= and the trigger’s Secret.',
			},
		],
	};
}

/** Reads a node parameter; execute contexts read item 0, webhook contexts have no item. */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

export function readWaitSettings(read: ParameterReader): WaitSettings {
	const mode = read('waitForCompletion', 'poll') as WaitSettings['mode'];
	const waiting = mode !== 'none';
	return {
		mode,
		timeoutMinutes: waiting ? (read('timeoutMinutes', 30) as number) : 60,
		download: waiting && (read('downloadResult', true) as boolean),
		binaryProperty: waiting ? (read('binaryPropertyName', 'data') as string) : 'data',
		poll: mode === 'poll' ? (read('polling', {}) as WaitSettings['poll']) : undefined,
	};
}

export const itemZeroReader =
	(ctx: IExecuteFunctions): ParameterReader =>
	(name, fallback) =>
		ctx.getNodeParameter(name, 0, fallback);

/** Options as the API takes them: empty ones left out. */
export function readJobOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return compact({
		replyUrl: options.replyUrl,
		replyRef: options.replyRef,
		maxJobs: options.maxJobs,
	});
}

/** Drops undefined, null and empty-string values: a field the user left empty is not sent. */
export function compact(object: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(object).filter(
			([, value]) => value !== undefined && value !== null && value !== '',
		),
	);
}
