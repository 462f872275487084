import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { accountOfJob, jobKindOf } from '../../../shared/jobs';
import { apiRequest } from '../../../shared/transport';
import { toItems } from '../items';

const properties: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.jobid }}',
		description:
			'The jobid of a running video or image job (from a Dreamina node, a callback, or Job → List Executing). A job still running becomes failed with "Cancelled by user".',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['cancel'] } }, properties);

/** DELETE /scheduler/{jobid} → `{ jobid, removed }`. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const jobid = String(this.getNodeParameter('jobid', itemIndex, '') ?? '').trim();
	if (!jobKindOf(jobid)) {
		throw new NodeOperationError(
			this.getNode(),
			jobid ? `Job ID: "${jobid}" is not a Dreamina job ID` : 'Job ID: is required',
			{
				itemIndex,
				description:
					'Dreamina job IDs look like j0223140530123456789v-u12345-US:user@example.com-bot:dreamina. Map the jobid field of an earlier Dreamina node. Nothing was cancelled.',
			},
		);
	}
	const result = await apiRequest<IDataObject>(this, {
		method: 'DELETE',
		path: ['scheduler', jobid],
		context: { action: 'cancel the job', jobid, account: accountOfJob(jobid), itemIndex },
	});
	return toItems(this, result, itemIndex);
}
