import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accountProperty } from '../../../shared/descriptions';
import { apiRequest } from '../../../shared/transport';
import { accountParameter, toItems } from '../items';

const properties: INodeProperties[] = [
	accountProperty(false),
	{
		displayName:
			'Credits, session and models are read live from Dreamina (this also claims the daily free credits). When Dreamina does not answer, the account comes back without them.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['get'] } },
	properties,
);

/** GET /accounts/{account}: summary plus live `credits`, `session`, `models` (missing when upstream fails). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const account = accountParameter(this, itemIndex);
	const details = await apiRequest<IDataObject>(this, {
		method: 'GET',
		path: ['accounts', account],
		context: { action: 'read the account', account, itemIndex },
	});
	return toItems(this, details, itemIndex);
}
