import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { UPSCALE } from '../shared/capabilities';
import {
	compact,
	jobOptionsProperty,
	readJobOptions,
	waitProperties,
} from '../shared/descriptions';
import { CALLBACK_WEBHOOKS, resumeFromCallback } from '../shared/callbackWait';
import { executeGeneration } from '../shared/generation';
import { upscaleRequestSchema } from '../shared/schemas';

export class DreaminaUpscaleImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Upscale Image',
		name: 'dreaminaUpscaleImage',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "to " + $parameter["upscaleResolution"] }}',
		description: 'Upscale one image of a finished Dreamina image job to 2K, 4K or 8K',
		defaults: { name: 'Dreamina Upscale Image' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: [
			{
				displayName: 'Source Job ID',
				name: 'jobid',
				type: 'string',
				default: '',
				required: true,
				placeholder: '={{ $json.jobid }}',
				description: 'The jobid of a completed Dreamina image job (from Generate Image or Get Job)',
			},
			{
				displayName: 'Image Index',
				name: 'imageIndex',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: UPSCALE.maxImageIndex },
				default: 0,
				description: 'Which of the job’s images to upscale: 0 is the first, up to 3',
			},
			{
				displayName: 'Upscale Resolution',
				name: 'upscaleResolution',
				type: 'options',
				options: UPSCALE.resolutions.map((resolution) => ({
					name: resolution.toUpperCase(),
					value: resolution,
				})),
				default: '4k',
			},
			{
				displayName: 'Original Image Strength',
				name: 'originalImageStrength',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.65,
				description: 'How much of the original image to keep (0–1)',
			},
			{
				displayName: 'Detail Strength',
				name: 'detailStrength',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.5,
				description: 'How much detail to add (0–1)',
			},
			...waitProperties(15),
			jobOptionsProperty(),
		],
	};

	/** Wait for Callback: the API's callback resumes the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration(this, {
			kind: 'upscale',
			path: ['images', 'upscale'],
			buildRequest: (ctx, i) =>
				compact({
					jobid: String(ctx.getNodeParameter('jobid', i, '')).trim(),
					imageIndex: ctx.getNodeParameter('imageIndex', i, 0) as number,
					upscaleResolution: ctx.getNodeParameter('upscaleResolution', i, '') as string,
					originalImageStrength: ctx.getNodeParameter('originalImageStrength', i) as number,
					detailStrength: ctx.getNodeParameter('detailStrength', i) as number,
					...readJobOptions(ctx, i),
				}),
			schemaFor: () => upscaleRequestSchema,
		});
	}
}
