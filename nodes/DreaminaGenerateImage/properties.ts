import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_IMAGE_MODEL,
	IMAGE_LIMITS,
	IMAGE_MODELS,
	IMAGE_RATIOS,
	IMAGE_RESOLUTIONS,
} from '../shared/capabilities';
import { accountLocator, accountOptionsField } from '../shared/fields/account';
import { jobOptionsV1, jobOptionsV2 } from '../shared/fields/jobOptions';
import { modelLocator } from '../shared/fields/model';
import { referenceRowValues } from '../shared/fields/reference';
import { onlyInVersions } from '../shared/fields/versions';
import { waitFieldsV1, waitForCompletionField } from '../shared/fields/waiting';

/** Generate Image's fields: version 1 as in 0.1.0, version 2 with files from the input item. */
export const DEFAULT_TIMEOUT_MINUTES = 15;

const referenceLimits = [...new Set(IMAGE_MODELS.map((model) => model.maxRefs))]
	.sort((a, b) => b - a)
	.map((max) => `${max} (${IMAGE_MODELS.filter((m) => m.maxRefs === max).map((m) => m.name).join(', ')})`)
	.join(', ');

const promptField: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	placeholder: 'A stunning aurora borealis over a frozen lake at midnight',
	description: `What to draw (up to ${IMAGE_LIMITS.promptMaxChars} characters). Seedream 4.x/5.0 may leave it empty when reference images are given.`,
};

const modelOptionsV1: INodeProperties = {
	displayName: 'Model Name or ID',
	name: 'model',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getImageModels', loadOptionsDependsOn: ['account'] },
	default: DEFAULT_IMAGE_MODEL,
	description:
		'The image models the chosen account offers, with their limits. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const referenceImages = (values: INodeProperties[]): INodeProperties => ({
	displayName: 'Reference Images',
	name: 'referenceImages',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true, maxAllowedFields: IMAGE_LIMITS.maxRefs },
	placeholder: 'Add Reference Image',
	default: {},
	description: `Up to ${referenceLimits}`,
	options: [{ name: 'image', displayName: 'Image', values }],
});

const referencesV1 = referenceImages([
	{
		displayName: 'assetRef',
		name: 'assetRef',
		type: 'string',
		default: '',
		description:
			'An image assetRef from Dreamina Upload Asset or a finished image job (map its assetRef field)',
	},
]);

const ratioField: INodeProperties = {
	displayName: 'Aspect Ratio',
	name: 'ratio',
	type: 'options',
	options: [
		{ name: 'Model Default', value: '', description: 'Auto where the model supports it, else 1:1' },
		...IMAGE_RATIOS.map((ratio) => ({ name: ratio === 'auto' ? 'Auto' : ratio, value: ratio })),
	],
	default: '',
};

const resolutionV1: INodeProperties = {
	displayName: 'Resolution Name or ID',
	name: 'resolution',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getImageResolutions', loadOptionsDependsOn: ['model'] },
	default: '',
	description:
		'What the chosen model supports. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const resolutionV2: INodeProperties = {
	displayName: 'Resolution',
	name: 'resolution',
	type: 'options',
	options: [
		{ name: 'Model Default', value: '', description: '2k for Seedream 4.x/5.0, 1k for the others' },
		...IMAGE_RESOLUTIONS.map((resolution) => ({
			name: resolution,
			value: resolution,
			description: IMAGE_MODELS.filter((m) => m.resolutions.includes(resolution))
				.map((m) => m.name)
				.join(', '),
		})),
	],
	default: '',
	description: 'Each option lists the models that take it',
};

const DEFAULT_IMAGE_STRENGTH = IMAGE_LIMITS.imageStrength.default;

const strengthField: INodeProperties = {
	displayName: 'Image Strength',
	name: 'imageStrength',
	type: 'number',
	typeOptions: {
		minValue: IMAGE_LIMITS.imageStrength.min,
		maxValue: IMAGE_LIMITS.imageStrength.max,
		numberPrecision: 2,
	},
	default: DEFAULT_IMAGE_STRENGTH,
	description: 'How strongly the reference images shape the result (0–1); only sent with reference images',
};

const V1 = [1];
const V2 = [2];

export const imageProperties: INodeProperties[] = [
	...onlyInVersions(V1, [accountOptionsField(true)]),
	...onlyInVersions(V2, [accountLocator(true)]),
	promptField,
	...onlyInVersions(V1, [modelOptionsV1, referencesV1]),
	...onlyInVersions(V2, [
		modelLocator('image', ['account.value'], DEFAULT_IMAGE_MODEL),
		referenceImages(referenceRowValues('image')),
	]),
	ratioField,
	...onlyInVersions(V1, [resolutionV1]),
	...onlyInVersions(V2, [resolutionV2]),
	strengthField,
	...onlyInVersions(V1, [...waitFieldsV1(DEFAULT_TIMEOUT_MINUTES, true), jobOptionsV1()]),
	...onlyInVersions(V2, [
		waitForCompletionField(true, 2),
		jobOptionsV2(DEFAULT_TIMEOUT_MINUTES, { modelChecks: true }),
	]),
];
