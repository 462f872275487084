import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	itemZeroReader,
	jobIdProperty,
	readWaitSettings,
	waitProperties,
} from '../shared/descriptions';
import { invalidJobIdError } from '../shared/errors';
import type { JobPlan } from '../shared/jobRunner';
import { runJobs } from '../shared/jobRunner';
import { jobKindOf } from '../shared/jobs';

export class DreaminaGetJob implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Get Job',
		name: 'dreaminaGetJob',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["waitForCompletion"] === "poll" ? "wait for result" : "read status" }}',
		description:
			'Read a Dreamina video, image or upscale job, optionally wait for it and download its result',
		defaults: { name: 'Dreamina Get Job' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties: [
			jobIdProperty(
				'The jobid from a Dreamina node or callback. Its kind (video, image, upscale) is read from the ID itself.',
			),
			// No callback wait: a job's Reply URL is fixed when it is submitted.
			...waitProperties(60, { callback: false }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const plans: JobPlan[] = this.getInputData().map((_item, itemIndex) => {
			const jobid = String(this.getNodeParameter('jobid', itemIndex, '')).trim();
			if (jobKindOf(jobid)) return { itemIndex, jobid };
			return {
				itemIndex,
				invalid: invalidJobIdError(this.getNode(), jobid, itemIndex, 'Nothing was read.'),
			};
		});
		return [await runJobs(this, plans, readWaitSettings(itemZeroReader(this)))];
	}
}
