import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_IMAGE_MODEL } from '../shared/capabilities';
import { executeGeneration } from '../shared/generation';
import { CALLBACK_WEBHOOKS, resumeFromCallback } from '../shared/jobs/callbackWait';
import { listSearch } from '../shared/methods/listSearch';
import { valueSubtitle } from '../shared/subtitles';
import { DEFAULT_TIMEOUT_MINUTES, imageProperties } from './properties';
import { imageRequestIssues, readImageRequest } from './request';

export class DreaminaGenerateImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Generate Image',
		name: 'dreaminaGenerateImage',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: valueSubtitle('model', DEFAULT_IMAGE_MODEL),
		description:
			'Create up to 4 images with Seedream or Nano Banana, from a prompt and up to 6 reference images',
		defaults: { name: 'Dreamina Generate Image' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: imageProperties,
	};

	methods = { listSearch };

	/** Wait for Callback: the API's callbacks resume the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration(this, {
			kind: 'image',
			path: ['images'],
			properties: imageProperties,
			defaultTimeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
			models: 'image',
			read: readImageRequest,
			issues: (_draft, body, facts, checkModel) => imageRequestIssues(body, facts, checkModel),
		});
	}
}
