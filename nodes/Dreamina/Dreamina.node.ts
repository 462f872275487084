import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { loadOptions } from '../shared/methods/loadOptions';
import * as account from './actions/account';
import * as asset from './actions/asset';
import * as job from './actions/job';
import { router } from './actions/router';

export class Dreamina implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina',
		name: 'dreamina',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Manage Dreamina accounts, generation history and running jobs on useapi.net',
		defaults: { name: 'Dreamina' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Account',
						value: 'account',
						description: 'Dreamina accounts configured on the API token',
					},
					{
						name: 'Asset',
						value: 'asset',
						description: 'Images and videos in an account’s generation history',
					},
					{ name: 'Job', value: 'job', description: 'Video and image jobs still running' },
				],
				default: 'account',
			},
			...account.description,
			...asset.description,
			...job.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
