import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';
import { operation } from '../operation';
import { toItems } from '../output';

const properties: INodeProperties[] = [
	{
		displayName:
			'Outputs one item per account configured on the API token: account, email, region, maxJobs, sessionExpires (and error when the account has a problem)',
		name: 'notice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['list'] } },
	properties,
);

/** GET /accounts: a map of account ID → summary (`{}` when none). */
export const list = operation({
	read: () => ({}),
	async execute(_args, itemIndex) {
		const accounts = await apiRequest<Record<string, IDataObject>>(this, {
			method: 'GET',
			path: ['accounts'],
			context: { action: 'list the accounts', itemIndex },
		});
		const records = Object.entries(accounts ?? {}).map(([id, summary]) => ({
			account: id,
			...summary,
		}));
		return toItems(this, records, itemIndex);
	},
});
