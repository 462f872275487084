import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Dreamina account's own login (dreamina.capcut.com), used once by Dreamina → Account → Add to
 * put the account on the useapi.net token. Kept as a credential so the password is encrypted at
 * rest and never part of a workflow, its history or an execution.
 */
export class DreaminaAccountApi implements ICredentialType {
	name = 'dreaminaAccountApi';

	displayName = 'Dreamina Account API';

	icon: Icon = {
		light: 'file:../nodes/shared/dreamina.svg',
		dark: 'file:../nodes/shared/dreamina.dark.svg',
	};

	documentationUrl = 'https://useapi.net/docs/start-here/setup-dreamina';

	properties: INodeProperties[] = [
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
			description: 'Password of the Dreamina account; sent to useapi.net when the account is added',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Canada (CA)', value: 'CA' },
				{ name: 'United States (US)', value: 'US' },
			],
			default: 'US',
			description:
				'The region the Dreamina account was created in; it becomes the start of the account ID (REGION:email)',
		},
	];
}
