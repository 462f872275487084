import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from '../shared/methods/listSearch';
import { addAccountSchema } from '../shared/schemas/account';
import { schemaIssues } from '../shared/schemas/common';
import * as account from './actions/account';
import * as asset from './actions/asset';
import * as job from './actions/job';
import { router } from './actions/router';

const properties: INodeProperties[] = [
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
];

export class Dreamina implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina',
		name: 'dreamina',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Manage Dreamina accounts, generation history and running jobs on useapi.net',
		defaults: { name: 'Dreamina' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'dreaminaApi', required: true },
			{
				name: 'dreaminaAccountApi',
				required: true,
				testedBy: 'dreaminaAccountLogin',
				displayOptions: { show: { resource: ['account'], operation: ['add'] } },
			},
		],
		properties,
	};

	methods = {
		listSearch,
		credentialTest: {
			/**
			 * The login can only be tried by adding the account (Account → Add), which changes the
			 * token's accounts, so saving the credential checks what can be checked without that.
			 */
			async dreaminaAccountLogin(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const issues = schemaIssues(addAccountSchema, { ...credential.data });
				return issues.length
					? { status: 'Error', message: issues.map((i) => `${i.parameter}: ${i.rule}`).join('; ') }
					: {
							status: 'OK',
							message:
								'Email, password and region look right; Dreamina checks the login when the account is added (Dreamina → Account → Add)',
						};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, properties);
	}
}
