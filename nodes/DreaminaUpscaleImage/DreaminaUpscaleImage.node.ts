import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGeneration } from '../shared/generation';
import { CALLBACK_WEBHOOKS, resumeFromCallback } from '../shared/jobs/callbackWait';
import { listSearch } from '../shared/methods/listSearch';
import { optionSubtitle } from '../shared/subtitles';
import { DEFAULT_TIMEOUT_MINUTES, upscaleProperties, upscaleResolutionField } from './properties';
import { readUpscaleRequest, upscaleRequestIssues } from './request';

export class DreaminaUpscaleImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Upscale Image',
		name: 'dreaminaUpscaleImage',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: optionSubtitle(upscaleResolutionField),
		description: 'Upscale one image of a finished Dreamina image job to 2K, 4K or 8K',
		defaults: { name: 'Dreamina Upscale Image' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: upscaleProperties,
	};

	methods = { listSearch };

	/** Wait for Callback: the API's callbacks resume the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration(this, {
			kind: 'upscale',
			path: ['images', 'upscale'],
			properties: upscaleProperties,
			defaultTimeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
			read: readUpscaleRequest,
			issues: (_draft, body) => upscaleRequestIssues(body),
		});
	}
}
