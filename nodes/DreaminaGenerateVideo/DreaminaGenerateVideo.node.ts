import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGeneration } from '../shared/generation';
import { loadOptions } from '../shared/methods/loadOptions';
import { unexpectedVideoKey, videoRequestSchemas } from '../shared/schemas';
import type { VideoMode } from '../shared/capabilities';
import { videoProperties } from './properties';
import { buildVideoRequest, readVideoParameters } from './request';

const inputMode = (ctx: IExecuteFunctions, i: number) => ctx.getNodeParameter('inputMode', i) as VideoMode;

export class DreaminaGenerateVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Generate Video',
		name: 'dreaminaGenerateVideo',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ {"prompt":"Text to Video","first_frame":"First Frame","end_frame":"First and Last Frame","multi_frame":"Multi-Frame","omni":"Omni Reference"}[$parameter["inputMode"]] }}',
		description: 'Create videos with Seedance (and Sora 2) from text, frames, keyframes or omni references',
		defaults: { name: 'Dreamina Generate Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties: videoProperties,
	};

	methods = { loadOptions };

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
