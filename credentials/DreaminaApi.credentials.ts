import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://api.useapi.net/v1/dreamina';

/** The Callback Secret goes into URLs as it is: long enough not to be guessed, URL-safe characters only. */
export const MIN_CALLBACK_SECRET_LENGTH = 16;

export class DreaminaApi implements ICredentialType {
	name = 'dreaminaApi';

	displayName = 'Dreamina API';

	icon: Icon = {
		light: 'file:../nodes/shared/dreamina.svg',
		dark: 'file:../nodes/shared/dreamina.dark.svg',
	};

	documentationUrl = 'https://useapi.net/docs/start-here/setup-useapi';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your useapi.net API token (useapi.net → Account → API token)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Leave as is unless you reach the API through a proxy (or a test emulator): the Dreamina API root, without a trailing slash',
		},
		{
			displayName: 'Callback Secret',
			name: 'callbackSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: `A long random string (at least ${MIN_CALLBACK_SECRET_LENGTH} characters: letters, digits, . _ ~ -). Dreamina Trigger refuses callbacks whose URL lacks ?secret= followed by it; the generation nodes append it to their Reply URL. Leave empty if you use no Dreamina Trigger.`,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
			},
		},
	};

	// GET /accounts is cheap, needs a valid token and creates nothing.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/accounts',
			method: 'GET',
			// The token goes to the Base URL's origin only (n8n follows redirects and keeps it by default).
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API token was refused (401 Unauthorized). Copy the token again from your useapi.net account and paste it without spaces.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 402,
					message:
						'The token is valid but the useapi.net subscription has expired (402). Renew it at useapi.net.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Base URL does not point at the Dreamina API (404 on /accounts). Use https://api.useapi.net/v1/dreamina or your proxy’s equivalent.',
				},
			},
		],
	};
}
