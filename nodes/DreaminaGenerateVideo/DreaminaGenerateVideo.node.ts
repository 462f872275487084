import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CALLBACK_WEBHOOKS, resumeFromCallback } from '../shared/callbackWait';
import { executeGeneration } from '../shared/generation';
import { loadOptions } from '../shared/methods/loadOptions';
import { unexpectedVideoKey, videoRequestSchemas } from '../shared/schemas';
import type { VideoMode } from '../shared/capabilities';
import { videoProperties } from './properties';
import { buildVideoRequest, readVideoParameters } from './request';

const inputMode = (ctx: IExecuteFunctions, i: number) =>
	ctx.getNodeParameter('inputMode', i) as VideoMode;

export class DreaminaGenerateVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Generate Video',
		name: 'dreaminaGenerateVideo',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"prompt":"Text to Video","first_frame":"First Frame","end_frame":"First and Last Frame","multi_frame":"Multi-Frame","omni":"Omni Reference"}[$parameter["inputMode"]] }}',
		description:
			'Create videos with Seedance (and Sora 2) from text, frames, keyframes or omni references',
		defaults: { name: 'Dreamina Generate Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: videoProperties,
	};

	methods = { loadOptions };

	/** Wait for Callback: the API's callback resumes the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration(this, {
			kind: 'video',
			path: ['videos'],
			buildRequest: (ctx, i) => buildVideoRequest(readVideoParameters(ctx, i)),
			schemaFor: (ctx, i) => videoRequestSchemas[inputMode(ctx, i)],
			unexpectedKey: (ctx, i, key) => unexpectedVideoKey(inputMode(ctx, i), key),
		});
	}
}
