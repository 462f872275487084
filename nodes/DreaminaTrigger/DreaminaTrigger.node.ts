import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { handleCallback } from './callback';
import { MIN_SECRET_LENGTH, secretProblem } from './security';

const URL_HOW_TO =
	'Set the Reply URL of the Dreamina nodes (the API’s replyUrl) to this node’s Production URL followed by ?secret= and the Secret below, e.g. https://n8n.example.com/webhook/1f0c…/dreamina?secret=YOUR_SECRET. Callbacks without it are refused (401). The Production URL is shown above, under Webhook URLs.';

export class DreaminaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Trigger',
		name: 'dreaminaTrigger',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "on " + ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when a Dreamina video, image or upscale job is submitted, completes or fails',
		defaults: { name: 'Dreamina Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'dreaminaApi',
				required: true,
				displayOptions: { show: { verifyWithApi: [true] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'dreamina',
			},
		],
		triggerPanel: {
			header: 'Send a Dreamina callback to this URL',
			executionsHelp: {
				inactive:
					'While building, use the Test URL + ?secret=… as the Reply URL and click "Listen for test event". Activate the workflow and use the Production URL + ?secret=… for real jobs.',
				active:
					'The workflow runs for every Dreamina callback sent to the Production URL + ?secret=… (the Reply URL of your Dreamina nodes).',
			},
			activationHint:
				'Once activated, the workflow runs for each callback sent to the Production URL with ?secret=… — put that URL into the Reply URL of the Dreamina nodes.',
		},
		properties: [
			{
				displayName: URL_HOW_TO,
				name: 'replyUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				placeholder: 'e.g. 3kq9Vb2mXw7pLr4TzY8sNc1d',
				hint: 'The Reply URL ends with ?secret= followed by this value',
				description: `Any long random string you choose (at least ${MIN_SECRET_LENGTH} characters: letters, digits, . _ ~ -). A callback is accepted only when its URL carries it as ?secret=…. To keep it in one place for several workflows, store it in an n8n Variable and use {{ $vars.NAME }} here and in the Reply URL. Changing it refuses callbacks of jobs already submitted with the old URL.`,
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Job Completed',
						value: 'completed',
						description: 'The job finished with its video or images',
					},
					{
						name: 'Job Failed',
						value: 'failed',
						description:
							'The job failed (content filter, timeout, session expired, …); the record has error and code',
					},
					{
						name: 'Job Submitted',
						value: 'submitted',
						description: 'The job was created (the API calls back once on submission too)',
					},
				],
				default: ['completed'],
				required: true,
				description: 'Which callbacks start the workflow; the others are acknowledged and ignored',
			},
			{
				displayName: 'Job Types',
				name: 'jobTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Image', value: 'image' },
					{ name: 'Upscale', value: 'upscale' },
					{ name: 'Video', value: 'video' },
				],
				default: [],
				description: 'Which kinds of job start the workflow. Leave empty for all.',
			},
			{
				displayName: 'Verify With API',
				name: 'verifyWithApi',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the job from the Dreamina API with the credential and output that record instead of the posted one. Callbacks are not signed: with this off, anyone who has the URL with its secret can start the workflow with any content, and results are not downloaded.',
			},
			{
				displayName: 'Download Result',
				name: 'downloadResult',
				type: 'boolean',
				default: true,
				description:
					'Whether to put the finished video or images into binary data (streamed) for completed jobs',
				displayOptions: { show: { verifyWithApi: [true] } },
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'Several images go to data, data_1, data_2, …',
				description: 'The binary field the result goes to',
				displayOptions: { show: { verifyWithApi: [true], downloadResult: [true] } },
			},
		],
	};

	webhookMethods = {
		default: {
			// Nothing is registered with the API (the Reply URL is set per job), so activation only
			// checks that the Secret is usable: a bad one fails activation instead of every callback.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = secretProblem(String(this.getNodeParameter('secret', '') ?? ''));
				if (problem) {
					throw new NodeOperationError(this.getNode(), problem, {
						description:
							'Set Secret to a long random string, e.g. 24 letters and digits, and use the same value after ?secret= in the Reply URL.',
					});
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCallback(this);
	}
}
