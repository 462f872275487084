import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidJobIdError } from '../../../shared/errors';
import { jobIdLocator } from '../../../shared/fields/jobId';
import { accountOfJob, jobKindOf } from '../../../shared/jobs/records';
import { apiRequest } from '../../../shared/transport';
import { operation } from '../operation';
import { toItems } from '../output';

const jobDescription =
	'The jobid of a running video or image job (from a Dreamina node, a callback, or Job → List Executing). A job still running becomes failed with "Cancelled by user".';

const properties: INodeProperties[] = [
	jobIdLocator(jobDescription, { searchListMethod: 'searchExecutingJobs' }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['cancel'] } },
	properties,
);

/** DELETE /scheduler/{jobid} → `{ jobid, removed }`. */
export const cancel = operation({
	read(params, itemIndex) {
		const jobid = params.text('jobid') ?? '';
		if (!jobKindOf(jobid)) {
			throw invalidJobIdError(this.getNode(), jobid, itemIndex, 'Nothing was cancelled.');
		}
		return { jobid };
	},
	async execute({ jobid }, itemIndex) {
		const result = await apiRequest<IDataObject>(this, {
			method: 'DELETE',
			path: ['scheduler', jobid],
			context: { action: 'cancel the job', jobid, account: accountOfJob(jobid), itemIndex },
		});
		return toItems(this, result, itemIndex);
	},
});
