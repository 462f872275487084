import type { INodeProperties } from 'n8n-workflow';

import { VIDEO_ENHANCEMENT } from '../shared/capabilities';
import { jobIdLocator } from '../shared/fields/jobId';
import { jobOptions } from '../shared/fields/jobOptions';
import { waitForCompletionField } from '../shared/fields/waiting';

/**
 * Dreamina Enhance Video: one node for what is done to a finished video (finish a draft in full
 * quality, upscale, interpolate), as the node panel's "enhance / upscale video" finds it.
 */
export const DEFAULT_TIMEOUT_MINUTES = 30;

export type EnhanceOperation = 'fullQuality' | 'upscale' | 'interpolate';

/** Each operation's endpoint (POST /videos/…). */
export const ENHANCE_PATHS: Record<EnhanceOperation, string[]> = {
	fullQuality: ['videos', 'full-quality'],
	upscale: ['videos', 'upscale'],
	interpolate: ['videos', 'interpolate'],
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Finish Draft in Full Quality',
			value: 'fullQuality',
			action: 'Finish a draft in full quality',
			description: `Make the ${VIDEO_ENHANCEMENT.draftModel} video in 1080p, or 4K on CA accounts: same prompt, references, length and ratio`,
		},
		{
			name: 'Interpolate',
			value: 'interpolate',
			action: 'Interpolate a video',
			description: 'Raise the frame rate from 24 to 30 or 60 fps (once per video, not a draft)',
		},
		{
			name: 'Upscale',
			value: 'upscale',
			action: 'Upscale a video',
			description: 'Double the width and height (once per video, not a draft)',
		},
	],
	default: 'fullQuality',
};

const show = (operation: EnhanceOperation) => ({ show: { operation: [operation] } });

export const enhanceProperties: INodeProperties[] = [
	operationField,
	jobIdLocator(
		'The jobid of a completed Dreamina video job (from Generate Video, Get Job or the Dreamina Trigger): a draft to finish, or a video to upscale or interpolate',
		{ searchListMethod: 'searchVideoJobs' },
	),
	{
		displayName: 'Resolution',
		name: 'resolution',
		type: 'options',
		options: VIDEO_ENHANCEMENT.fullQualityResolutions.map((resolution) => ({
			name: resolution === '4k' ? '4K (CA Accounts)' : resolution,
			value: resolution,
		})),
		default: '1080p',
		displayOptions: show('fullQuality'),
	},
	{
		displayName: 'Frame Rate',
		name: 'fps',
		type: 'options',
		options: VIDEO_ENHANCEMENT.interpolateFps.map((fps) => ({ name: `${fps} Fps`, value: fps })),
		default: 60,
		displayOptions: show('interpolate'),
	},
	waitForCompletionField(true),
	jobOptions(DEFAULT_TIMEOUT_MINUTES, { modelChecks: false }),
];
