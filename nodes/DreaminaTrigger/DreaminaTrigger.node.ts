import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/transport';
import { handleCallback } from './callback';
import { CREDENTIAL_CACHE_MS, type TriggerCredentials } from './credentialCache';
import { SEEN_LIMIT, secretProblem } from './security';
import { callbackSecretOf } from '../shared/callbackSecret';

const URL_HOW_TO =
	'Set the Reply URL of the Dreamina nodes (Options › Reply URL) to this node’s Production URL, shown above under Webhook URLs. The nodes add ?secret=… from the Callback Secret of their Dreamina API credential, so select the same credential here. Callbacks without it are refused (401).';

const DUPLICATES_AND_CHANGES = `A repeated callback (same job, same status) starts one execution while this n8n process runs (it remembers the last ${SEEN_LIMIT} per trigger). After a restart of n8n, or when the repeat reaches another webhook process (queue mode), it can start another one: use the item’s dedupeKey (jobid:status) downstream, e.g. upsert by it. A changed API token or Callback Secret applies within ${CREDENTIAL_CACHE_MS / 1000} seconds.`;

const VERIFY_DESCRIPTION =
	'Whether to read the job from the Dreamina API with the credential and output that record instead of the posted one. Callbacks are not signed: with this off, anyone who has the URL with its secret can start the workflow with any content, and results are not downloaded.';

/**
 * The secret is the credential's Callback Secret (never in the workflow), the callback is answered
 * before the result is downloaded, duplicates are remembered in memory only, and nothing is written
 * to n8n's database per call.
 */
export class DreaminaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Trigger',
		name: 'dreaminaTrigger',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['trigger'],
		version: 2,
		subtitle: '={{ "on " + ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when a Dreamina job (video, video upscale or interpolation, full quality, image, image upscale) is submitted, completes or fails',
		defaults: { name: 'Dreamina Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: true,
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
			header: 'Use this URL as the Reply URL of your Dreamina nodes',
			executionsHelp: {
				inactive:
					'While building, put the Test URL into the Reply URL of a Dreamina node and click "Listen for test event". Activate the workflow and use the Production URL for real jobs. The Dreamina nodes add ?secret=… from their credential.',
				active:
					'The workflow runs for every Dreamina callback sent to the Production URL (the Reply URL of your Dreamina nodes).',
			},
			activationHint:
				'Once activated, the workflow runs for each callback sent to the Production URL: put that URL into the Reply URL of the Dreamina nodes.',
		},
		properties: [
			{
				displayName: URL_HOW_TO,
				name: 'replyUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: DUPLICATES_AND_CHANGES,
				name: 'duplicatesNotice',
				type: 'notice',
				default: '',
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
					{ name: 'Image Upscale', value: 'upscale' },
					{
						name: 'Video',
						value: 'video',
						description:
							'Every job of GET /videos: generations, video upscales, interpolations, drafts finished in full quality',
					},
				],
				default: [],
				description: 'Which kinds of job start the workflow. Leave empty for all.',
			},
			{
				displayName: 'Verify With API',
				name: 'verifyJob',
				type: 'boolean',
				default: true,
				description: VERIFY_DESCRIPTION,
			},
			{
				displayName: 'Download Result',
				name: 'downloadResult',
				type: 'boolean',
				default: true,
				description:
					'Whether to put the finished video or images into binary data (streamed) for completed jobs',
				displayOptions: { hide: { verifyJob: [false] } },
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'Several images go to data, data_1, data_2, …',
				description: 'The binary field the result goes to',
				displayOptions: {
					hide: { verifyJob: [false], downloadResult: [false] },
				},
			},
		],
	};

	webhookMethods = {
		default: {
			// Nothing is registered with the API (the Reply URL is set per job), so activation only
			// checks that the secret is usable: a bad one fails activation instead of every callback.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				let credentials: TriggerCredentials;
				try {
					credentials = await this.getCredentials<TriggerCredentials>(CREDENTIAL_TYPE);
				} catch (error) {
					throw new NodeOperationError(
						this.getNode(),
						`Dreamina Trigger needs a Dreamina API credential with a Callback Secret: ${(error as Error).message}`,
						{ description: 'Select a Dreamina API credential in this trigger and activate again.' },
					);
				}
				const problem = secretProblem(callbackSecretOf(credentials));
				if (problem) {
					throw new NodeOperationError(this.getNode(), problem, {
						description:
							'Open the Dreamina API credential selected in this trigger, set Callback Secret to a long random string (e.g. 24 letters and digits), save it and activate again. Dreamina nodes using the same credential add it to their Reply URL.',
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
