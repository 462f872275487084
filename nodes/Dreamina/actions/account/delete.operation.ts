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
			'Removes the account from the API token (its executing-job entries too). Add it again with its email and password to use it later.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['delete'] } },
	properties,
);

/** DELETE /accounts/{account} → `{ account, deleted, remaining }`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const account = accountParameter(this, itemIndex);
	const result = await apiRequest<IDataObject>(this, {
		method: 'DELETE',
		path: ['accounts', account],
		context: { action: 'delete the account', account, itemIndex },
	});
	return toItems(this, result, itemIndex);
}
