import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { IMAGE_LIMITS, IMAGE_RATIOS } from '../shared/capabilities';
import { accountProperty, jobOptionsProperty, waitProperties } from '../shared/descriptions';
import { CALLBACK_WEBHOOKS, resumeFromCallback } from '../shared/callbackWait';
import { executeGeneration } from '../shared/generation';
import { loadOptions } from '../shared/methods/loadOptions';
import { imageRequestSchema } from '../shared/schemas';
import { buildImageRequest, readImageParameters } from './request';

export class DreaminaGenerateImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Generate Image',
		name: 'dreaminaGenerateImage',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] || "Seedream" }}',
		description:
			'Create up to 4 images with Seedream or Nano Banana, from a prompt and up to 6 reference images',
		defaults: { name: 'Dreamina Generate Image' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: [
			accountProperty(true),
			{
				displayName: 'Prompt',
				name: 'prompt',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: 'A stunning aurora borealis over a frozen lake at midnight',
				description: `What to draw (up to ${IMAGE_LIMITS.promptMaxChars} characters). Seedream 4.x/5.0 may leave it empty when reference images are given.`,
			},
			{
				displayName: 'Model Name or ID',
				name: 'model',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getImageModels', loadOptionsDependsOn: ['account'] },
				default: 'seedream-4.0',
				description:
					'The image models the chosen account offers, with their limits. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Reference Images',
				name: 'referenceImages',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Reference Image',
				default: {},
				description: 'Up to 6 images (Seedream 4.x/5.0), 3 (Nano Banana) or 1 (Seedream 3.0)',
				options: [
					{
						name: 'image',
						displayName: 'Image',
						values: [
							{
								displayName: 'assetRef',
								name: 'assetRef',
								type: 'string',
								default: '',
								description:
									'An image assetRef from Dreamina Upload Asset or a finished image job (map its assetRef field)',
							},
						],
					},
				],
			},
			{
				displayName: 'Aspect Ratio',
				name: 'ratio',
				type: 'options',
				options: [
					{
						name: 'Model Default',
						value: '',
						description: 'Auto where the model supports it, else 1:1',
					},
					...IMAGE_RATIOS.map((ratio) => ({
						name: ratio === 'auto' ? 'Auto' : ratio,
						value: ratio,
					})),
				],
				default: '',
			},
			{
				displayName: 'Resolution Name or ID',
				name: 'resolution',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getImageResolutions', loadOptionsDependsOn: ['model'] },
				default: '',
				description:
					'What the chosen model supports. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Image Strength',
				name: 'imageStrength',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.5,
				description:
					'How strongly the reference images shape the result (0–1); only sent with reference images',
			},
			...waitProperties(15),
			jobOptionsProperty(),
		],
	};

	methods = { loadOptions };

	/** Wait for Callback: the API's callback resumes the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration(this, {
			kind: 'image',
			path: ['images'],
			buildRequest: (ctx, i) => buildImageRequest(readImageParameters(ctx, i)),
			schemaFor: () => imageRequestSchema,
		});
	}
}
