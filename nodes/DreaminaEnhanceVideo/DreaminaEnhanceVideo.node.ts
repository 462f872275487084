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
import type { EnhanceOperation } from './properties';
import {
	DEFAULT_TIMEOUT_MINUTES,
	ENHANCE_PATHS,
	enhanceProperties,
	operationField,
} from './properties';
import { enhanceRequestIssues, readEnhanceRequest, sourceIssues } from './request';

export class DreaminaEnhanceVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Enhance Video',
		name: 'dreaminaEnhanceVideo',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: optionSubtitle(operationField),
		description:
			'Finish a Seedance 2.5 draft in 1080p or 4K, upscale a video, or interpolate it to 30 or 60 fps',
		defaults: { name: 'Dreamina Enhance Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: enhanceProperties,
	};

	methods = { listSearch };

	/** Wait for Callback: the API's callbacks resume the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as EnhanceOperation;
		return await executeGeneration(this, {
			kind: 'video',
			path: ENHANCE_PATHS[operation],
			properties: enhanceProperties,
			defaultTimeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
			read: (params) => readEnhanceRequest(operation, params),
			issues: (_draft, body) => enhanceRequestIssues(body),
			precheck: (ctx, body, itemIndex, claimed) =>
				sourceIssues(operation, ctx, body, itemIndex, claimed),
		});
	}
}
