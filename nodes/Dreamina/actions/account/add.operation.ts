import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxJobsField } from '../../../shared/fields/jobOptions';
import { optionsCollection } from '../../../shared/fields/options';
import { compact } from '../../../shared/objects';
import { addAccountSchema } from '../../../shared/schemas/account';
import { RequestValidationError } from '../../../shared/errors';
import { schemaIssues } from '../../../shared/schemas/common';
import { apiRequest } from '../../../shared/transport';
import { operation } from '../operation';
import { toItems } from '../output';

export const ACCOUNT_LOGIN_CREDENTIAL = 'dreaminaAccountApi';

/** The login comes from a credential, never from parameters (they are stored in the workflow). */
const loginNotice: INodeProperties = {
	displayName:
		'The account’s email, password and region come from the Dreamina Account credential chosen above (encrypted by n8n, never stored in the workflow)',
	name: 'loginNotice',
	type: 'notice',
	default: '',
};

const properties: INodeProperties[] = [
	loginNotice,
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
		const login = await this.getCredentials<Login>(ACCOUNT_LOGIN_CREDENTIAL, itemIndex);
		const body = compact({
			email: login.email?.trim(),
			password: login.password,
			region: login.region,
			maxJobs: params.number('options.maxJobs'),
		});
		const issues = schemaIssues(addAccountSchema, body).map((issue) =>
			issue.parameter === 'maxJobs'
				? { ...issue, path: 'options.maxJobs' }
				: { ...issue, rule: `${issue.rule} (in the Dreamina Account credential)` },
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
