import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { invalidJobIdError } from '../shared/errors';
import { readJobOptions } from '../shared/fields/jobOptions';
import { jobIdLocator } from '../shared/fields/jobId';
import { waitForCompletionField } from '../shared/fields/waiting';
import { planItems, readRunSetting, runPlans } from '../shared/itemRunner';
import { listSearch } from '../shared/methods/listSearch';
import { ItemParameters } from '../shared/parameters';
import { jobKindOf } from '../shared/jobs/records';
import { createdAt, finishJob, jobWatcher, readJob } from '../shared/jobs/runJobs';
import { readWaitSettings } from '../shared/jobs/settings';
import { optionSubtitle } from '../shared/subtitles';

const DEFAULT_TIMEOUT_MINUTES = 60;
const jobDescription =
	'The jobid from a Dreamina node or callback. Its kind (video, image, upscale) is read from the ID itself.';

// No callback wait: a job's Reply URL is fixed when it is submitted.
const waitField = waitForCompletionField(false);

const properties: INodeProperties[] = [
	jobIdLocator(jobDescription),
	waitField,
	readJobOptions(DEFAULT_TIMEOUT_MINUTES),
];

export class DreaminaGetJob implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Get Job',
		name: 'dreaminaGetJob',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: optionSubtitle(waitField),
		description:
			'Read any Dreamina job (video, video upscale, interpolation, full quality, image, image upscale), optionally wait for it and download its result',
		defaults: { name: 'Dreamina Get Job' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const node = this.getNode();
		const settings = readRunSetting(this, properties, () =>
			readWaitSettings(new ItemParameters(this, 0), DEFAULT_TIMEOUT_MINUTES, { capacity: false }),
		);
		const plans = await planItems(
			this,
			(itemIndex) => {
				const jobid = new ItemParameters(this, itemIndex).text('jobid') ?? '';
				const kind = jobKindOf(jobid);
				if (!kind) throw invalidJobIdError(node, jobid, itemIndex, 'Nothing was read.');
				return { jobid, kind };
			},
			properties,
		);
		const stop = new AbortController();
		const watcher = jobWatcher(this, stop.signal);
		try {
			const output = await runPlans(this, plans, {
				concurrency: Math.min(plans.length, 10),
				run: async ({ jobid, kind }, itemIndex, signal) => {
					const job = await readJob(this, jobid, kind, itemIndex, signal);
					return [
						await finishJob(this, job, kind, {
							settings,
							watcher,
							itemIndex,
							signal,
							startedAt: createdAt(job) ?? Date.now(),
							failIfFailed: settings.mode === 'poll',
						}),
					];
				},
			});
			return [output];
		} finally {
			stop.abort();
		}
	}
}
