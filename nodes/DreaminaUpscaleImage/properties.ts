import type { INodeProperties } from 'n8n-workflow';

import { UPSCALE } from '../shared/capabilities';
import { jobOptions } from '../shared/fields/jobOptions';
import { jobIdLocator } from '../shared/fields/jobId';
import { waitForCompletionField } from '../shared/fields/waiting';

export const DEFAULT_TIMEOUT_MINUTES = 15;

const jobDescription =
	'The jobid of a completed Dreamina image job (from Generate Image or Get Job)';

export const upscaleResolutionField: INodeProperties = {
	displayName: 'Upscale Resolution',
	name: 'upscaleResolution',
	type: 'options',
	options: UPSCALE.resolutions.map((resolution) => ({
		name: resolution.toUpperCase(),
		value: resolution,
	})),
	default: '4k',
};

const imageFields: INodeProperties[] = [
	{
		displayName: 'Image Index',
		name: 'imageIndex',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: UPSCALE.maxImageIndex },
		default: 0,
		description: `Which of the job’s images to upscale: 0 is the first, up to ${UPSCALE.maxImageIndex}`,
	},
	upscaleResolutionField,
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
];

export const upscaleProperties: INodeProperties[] = [
	jobIdLocator(jobDescription, { searchListMethod: 'searchImageJobs' }),
	...imageFields,
	waitForCompletionField(true),
	jobOptions(DEFAULT_TIMEOUT_MINUTES, { modelChecks: false }),
];
