import type { INodeProperties } from 'n8n-workflow';

import { ACCOUNT_LIMITS } from '../capabilities';
import { optionsCollection } from './options';
import { capacityWaitField, waitOptions } from './waiting';

const { maxJobs } = ACCOUNT_LIMITS;
const DEFAULT_MAX_JOBS = maxJobs.default;

/** Max Jobs: an account setting (Account → Add) that a job-creating request may override. */
export function maxJobsField(description: string): INodeProperties {
	return {
		displayName: 'Max Jobs',
		name: 'maxJobs',
		type: 'number',
		typeOptions: { minValue: maxJobs.min, maxValue: maxJobs.max },
		default: DEFAULT_MAX_JOBS,
		description: `${description} (${maxJobs.min}–${maxJobs.max}; Dreamina’s default is ${maxJobs.default})`,
	};
}

const requestMaxJobs = maxJobsField(
	'Override how many jobs the account runs at once for this request. Also caps how many items this node submits at once',
);

const replyRefField: INodeProperties = {
	displayName: 'Reply Reference',
	name: 'replyRef',
	type: 'string',
	default: '',
	description: 'Your own reference, sent back in the callback to the Reply URL (e.g. a row ID)',
};

const notWithCallback = { show: { '/waitForCompletion': ['none', 'poll'] } };

const replyUrlField: INodeProperties = {
	displayName: 'Reply URL',
	name: 'replyUrl',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com/webhook/…/dreamina',
	description:
		'URL the API posts the job record to when the job is submitted and when it finishes: e.g. a Dreamina Trigger’s Production URL, to handle results in another workflow',
	displayOptions: notWithCallback,
};

const callbackSecretField: INodeProperties = {
	displayName: 'Add Callback Secret to Reply URL',
	name: 'addCallbackSecret',
	type: 'boolean',
	default: true,
	description:
		'Whether to append the credential’s Callback Secret to the Reply URL as ?secret=…, as a Dreamina Trigger expects. Turn off when the Reply URL is not a Dreamina Trigger.',
	displayOptions: notWithCallback,
};

const skipModelChecksField: INodeProperties = {
	displayName: 'Skip Model Limit Checks',
	name: 'skipModelChecks',
	type: 'boolean',
	default: false,
	description:
		'Whether to send requests that the documented model limits (durations, resolutions, input modes, models offered) would refuse, for when Dreamina has changed before these docs. Dreamina then decides; a refused request creates no job and costs nothing. Rules about numbering, placeholders, counts and sizes still apply.',
};

/** Everything secondary of a job-creating node, waiting settings included. */
export function jobOptions(
	defaultTimeoutMinutes: number,
	{ modelChecks }: { modelChecks: boolean },
): INodeProperties {
	return optionsCollection([
		...waitOptions(defaultTimeoutMinutes, true),
		capacityWaitField,
		requestMaxJobs,
		replyUrlField,
		callbackSecretField,
		replyRefField,
		...(modelChecks ? [skipModelChecksField] : []),
	]);
}

/** Options of Get Job (waiting only: a job's Reply URL is fixed when it is submitted). */
export function readJobOptions(defaultTimeoutMinutes: number): INodeProperties {
	return optionsCollection(waitOptions(defaultTimeoutMinutes, false));
}
