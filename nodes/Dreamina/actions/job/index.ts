import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as listExecuting from './listExecuting.operation';

export const operations = { cancel: cancel.cancel, listExecuting: listExecuting.listExecuting };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a running job; it becomes failed with "Cancelled by user"',
				action: 'Cancel a job',
			},
			{
				name: 'List Executing',
				value: 'listExecuting',
				description: 'List the video and image jobs still running, on every account',
				action: 'List executing jobs',
			},
		],
		default: 'listExecuting',
	},
	...listExecuting.description,
	...cancel.description,
];
