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
export const get = operation({
	read: (params) => ({ account: readAccountId(params) }),
	async execute({ account }, itemIndex) {
		const details = await apiRequest<IDataObject>(this, {
			method: 'GET',
			path: ['accounts', account],
			context: { action: 'read the account', account, itemIndex },
		});
		return toItems(this, details, itemIndex);
	},
});
