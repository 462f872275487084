import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readAccountId } from '../../../shared/fields/account';
import { apiRequest } from '../../../shared/transport';
import { operation } from '../operation';
import { toItems } from '../output';
import { accountFields } from './accountField';

const properties: INodeProperties[] = [
	...accountFields,
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
export const remove = operation({
	read: (params) => ({ account: readAccountId(params) }),
	async execute({ account }, itemIndex) {
		const result = await apiRequest<IDataObject>(this, {
			method: 'DELETE',
			path: ['accounts', account],
			context: { action: 'delete the account', account, itemIndex },
		});
		return toItems(this, result, itemIndex);
	},
});
