import type { INodeProperties } from 'n8n-workflow';

import { UPSCALE } from '../shared/capabilities';
import { jobOptionsV1, jobOptionsV2 } from '../shared/fields/jobOptions';
import { jobIdLocator, jobIdTextField } from '../shared/fields/jobId';
import { onlyInVersions } from '../shared/fields/versions';
import { waitFieldsV1, waitForCompletionField } from '../shared/fields/waiting';

export const DEFAULT_TIMEOUT_MINUTES = 15;

const jobDescription = 'The jobid of a completed Dreamina image job (from Generate Image or Get Job)';

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
	...onlyInVersions([1], [jobIdTextField('Source Job ID', jobDescription)]),
	...onlyInVersions([2], [jobIdLocator(jobDescription, { searchListMethod: 'searchImageJobs' })]),
	...imageFields,
	...onlyInVersions([1], [...waitFieldsV1(DEFAULT_TIMEOUT_MINUTES, true), jobOptionsV1()]),
	...onlyInVersions([2], [
		waitForCompletionField(true, 2),
		jobOptionsV2(DEFAULT_TIMEOUT_MINUTES, { modelChecks: false }),
	]),
];
