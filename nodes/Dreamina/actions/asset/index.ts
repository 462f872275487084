import type { INodeProperties } from 'n8n-workflow';

import * as remove from './delete.operation';
import * as list from './list.operation';

export const operations = { delete: remove.remove, list: list.list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an image or video from an account’s generation history',
				action: 'Delete an asset',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List an account’s generation history (images and videos), newest first',
				action: 'List assets',
			},
		],
		default: 'list',
	},
	...list.description,
	...remove.description,
];
