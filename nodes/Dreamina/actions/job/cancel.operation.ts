import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { jobIdProperty } from '../../../shared/descriptions';
import { invalidJobIdError } from '../../../shared/errors';
import { accountOfJob, jobKindOf } from '../../../shared/jobs';
import { apiRequest } from '../../../shared/transport';
import { toItems } from '../items';

const properties: INodeProperties[] = [
	jobIdProperty(
		'The jobid of a running video or image job (from a Dreamina node, a callback, or Job → List Executing). A job still running becomes failed with "Cancelled by user".',
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['cancel'] } },
	properties,
);

/** DELETE /scheduler/{jobid} → `{ jobid, removed }`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const jobid = String(this.getNodeParameter('jobid', itemIndex, '') ?? '').trim();
	if (!jobKindOf(jobid)) {
		throw invalidJobIdError(this.getNode(), jobid, itemIndex, 'Nothing was cancelled.');
	}
	const result = await apiRequest<IDataObject>(this, {
		method: 'DELETE',
		path: ['scheduler', jobid],
		context: { action: 'cancel the job', jobid, account: accountOfJob(jobid), itemIndex },
	});
	return toItems(this, result, itemIndex);
}
