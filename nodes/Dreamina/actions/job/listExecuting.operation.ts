import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';
import { toItems } from '../items';

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
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const answer = await apiRequest<SchedulerAnswer>(this, {
		method: 'GET',
		path: ['scheduler'],
		context: { action: 'list the executing jobs', itemIndex },
	});
	const jobs = Object.entries(answer.executing ?? {}).flatMap(([account, list]) =>
		(Array.isArray(list) ? list : []).map((job) => ({ account, ...job })),
	);
	return toItems(this, jobs, itemIndex);
}
