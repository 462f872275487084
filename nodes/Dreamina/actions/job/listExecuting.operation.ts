import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';
import { redactSecret } from '../../../shared/callbackSecret';
import { operation } from '../operation';
import { toItems } from '../output';

const properties: INodeProperties[] = [
	{
		displayName:
			'Outputs one item per video or image job still running, with its account, jobid, model and elapsedSeconds',
		name: 'notice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['listExecuting'] } },
	properties,
);

interface SchedulerAnswer {
	executing?: Record<string, IDataObject[]>;
	total?: number;
}

/** GET /scheduler: executing jobs grouped by account, flattened to one item per job. */
export const listExecuting = operation({
	read: () => ({}),
	async execute(_args, itemIndex) {
		const answer = await apiRequest<SchedulerAnswer>(this, {
			method: 'GET',
			path: ['scheduler'],
			context: { action: 'list the executing jobs', itemIndex },
		});
		const jobs = Object.entries(answer.executing ?? {}).flatMap(([account, list]) =>
			(Array.isArray(list) ? list : []).map((job) => ({
				account,
				...job,
				...redactedReplyUrl(job),
			})),
		);
		return toItems(this, jobs, itemIndex);
	},
});

/** A job's Reply URL as the node puts it out: a callback secret is never passed on. */
function redactedReplyUrl(job: IDataObject): IDataObject {
	return typeof job.replyUrl === 'string' ? { replyUrl: redactSecret(job.replyUrl) } : {};
}
