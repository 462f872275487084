import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxJobsField } from '../../../shared/fields/jobOptions';
import { optionsCollection } from '../../../shared/fields/options';
import { onlyInVersions } from '../../../shared/fields/versions';
import { compact } from '../../../shared/objects';
import { addAccountSchema } from '../../../shared/schemas/account';
import { RequestValidationError } from '../../../shared/errors';
import { schemaIssues } from '../../../shared/schemas/common';
import { apiRequest } from '../../../shared/transport';
import { operation } from '../operation';
import { toItems } from '../output';

export const ACCOUNT_LOGIN_CREDENTIAL = 'dreaminaAccountApi';

const regionField: INodeProperties = {
	displayName: 'Region',
	name: 'region',
	type: 'options',
	options: [
		{ name: 'Canada (CA)', value: 'CA', description: 'Every video model, including Sora 2' },
		{ name: 'United States (US)', value: 'US', description: 'Seedance 2.0, 1.5 Pro and 1.0 Mini' },
	],
	default: 'US',
	description:
		'The region the Dreamina account was created in; it becomes the start of the account ID (REGION:email)',
};

/** Version 1 took the login as parameters (stored in the workflow); version 2 takes a credential. */
const loginV1: INodeProperties[] = [
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
	regionField,
];

const loginV2: INodeProperties = {
	displayName:
		'The account’s email, password and region come from the Dreamina Account credential chosen above (encrypted by n8n, never stored in the workflow)',
	name: 'loginNotice',
	type: 'notice',
	default: '',
};

const properties: INodeProperties[] = [
	...onlyInVersions([1], loginV1),
	...onlyInVersions([2], [loginV2]),
	optionsCollection([maxJobsField('How many jobs the account runs at once')]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['add'] } },
	properties,
);

interface Login {
	email?: string;
	password?: string;
	region?: string;
}

/** POST /accounts: logs in to Dreamina and stores the account (re-adding refreshes an expired session). */
export const add = operation({
	async read(params, itemIndex) {
		const fromCredential = params.version !== 1;
		const login = fromCredential
			? await this.getCredentials<Login>(ACCOUNT_LOGIN_CREDENTIAL, itemIndex)
			: { email: params.text('email'), password: params.exactText('password'), region: params.text('region') };
		const body = compact({
			email: login.email?.trim(),
			password: login.password,
			region: login.region,
			maxJobs: params.number('options.maxJobs'),
		});
		const issues = schemaIssues(addAccountSchema, body).map((issue) =>
			issue.parameter === 'maxJobs'
				? { ...issue, path: 'options.maxJobs' }
				: fromCredential
					? { ...issue, rule: `${issue.rule} (in the Dreamina Account credential)` }
					: issue,
		);
		if (issues.length) throw new RequestValidationError(issues);
		return addAccountSchema.parse(body);
	},
	async execute(body, itemIndex) {
		const account = `${body.region}:${body.email}`;
		const added = await apiRequest<IDataObject>(this, {
			method: 'POST',
			path: ['accounts'],
			body: body as IDataObject,
			context: { action: `add the account ${account}`, account, itemIndex },
		});
		return toItems(this, added, itemIndex);
	},
});
