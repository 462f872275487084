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
import { modelOptions } from '../shared/methods/modelOptions';
import { uncheckedVideoModel } from '../shared/modelChecks';
import { optionSubtitle } from '../shared/subtitles';
import type { VideoMode } from '../shared/videoInputModes';
import { DEFAULT_TIMEOUT_MINUTES, inputModeField, videoProperties } from './properties';
import { readVideoRequest, videoRequestIssues } from './request';

export class DreaminaGenerateVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Generate Video',
		name: 'dreaminaGenerateVideo',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: optionSubtitle(inputModeField),
		description:
			'Create videos with Seedance 2.5 (drafts too), 2.0 and more from text, frames, keyframes, omni references or a video to edit',
		defaults: { name: 'Dreamina Generate Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: CALLBACK_WEBHOOKS,
		properties: videoProperties,
	};

	methods = { listSearch, loadOptions: modelOptions };

	/** Wait for Callback: the API's callbacks resume the waiting execution here. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration(this, {
			kind: 'video',
			path: ['videos'],
			properties: videoProperties,
			defaultTimeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
			models: 'video',
			read: readVideoRequest,
			issues: (draft, body, facts, checkModel) =>
				videoRequestIssues(draft.variant as VideoMode, body, facts, checkModel),
			uncheckedModel: uncheckedVideoModel,
		});
	}
}
