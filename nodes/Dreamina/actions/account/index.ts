import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as remove from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';

export const operations = { add: add.add, delete: remove.remove, get: get.get, list: list.list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description:
					'Add a Dreamina account with its email and password, or refresh an expired session',
				action: 'Add an account',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Remove an account from the API token',
				action: 'Delete an account',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an account with its credits, session expiry and available models',
				action: 'Get an account',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the accounts configured on the API token',
				action: 'List accounts',
			},
		],
		default: 'list',
	},
	...list.description,
	...get.description,
	...add.description,
	...remove.description,
];
