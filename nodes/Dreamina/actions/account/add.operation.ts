import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { VIDEO_LIMITS } from '../../../shared/capabilities';
import { compact } from '../../../shared/descriptions';
import { addAccountSchema, validate } from '../../../shared/schemas';
import { apiRequest } from '../../../shared/transport';
import { toItems } from '../items';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		description: 'Email address of the Dreamina account (dreamina.capcut.com), not of useapi.net',
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'Password of the Dreamina account. It is sent to useapi.net once to log in and is not output.',
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'options',
		options: [
			{
				name: 'Canada (CA)',
				value: 'CA',
				description: 'All video models, including Seedance 2.0 and Sora 2',
			},
			{
				name: 'United States (US)',
				value: 'US',
				description: 'Seedance 1.5 Pro and 1.0 Mini video models',
			},
		],
		default: 'US',
		description:
			'The region the Dreamina account was created in; it becomes the start of the account ID (REGION:email)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Jobs',
				name: 'maxJobs',
				type: 'number',
				typeOptions: { minValue: VIDEO_LIMITS.maxJobs.min, maxValue: VIDEO_LIMITS.maxJobs.max },
				default: 10,
				description: 'How many jobs the account runs at once (1–50). The API’s default is 10.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['add'] } },
	properties,
);

/** POST /accounts: logs in to Dreamina and stores the account (re-adding refreshes an expired session). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body = validate(
		addAccountSchema,
		compact({
			email: String(this.getNodeParameter('email', itemIndex, '') ?? '').trim(),
			password: this.getNodeParameter('password', itemIndex, '') as string,
			region: this.getNodeParameter('region', itemIndex, '') as string,
			maxJobs: options.maxJobs as number | undefined,
		}),
	);
	const account = `${body.region}:${body.email}`;
	const added = await apiRequest<IDataObject>(this, {
		method: 'POST',
		path: ['accounts'],
		body: body as IDataObject,
		context: { action: `add the account ${account}`, account, itemIndex },
	});
	return toItems(this, added, itemIndex);
}
