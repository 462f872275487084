import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_IMAGE_MODEL,
	IMAGE_LIMITS,
	IMAGE_MODELS,
	IMAGE_RATIOS,
	IMAGE_RESOLUTIONS,
} from '../shared/capabilities';
import { accountLocator } from '../shared/fields/account';
import { jobOptions } from '../shared/fields/jobOptions';
import { modelLocator } from '../shared/fields/model';
import { referenceRowValues } from '../shared/fields/reference';
import { waitForCompletionField } from '../shared/fields/waiting';

export const DEFAULT_TIMEOUT_MINUTES = 15;

const referenceLimits = [...new Set(IMAGE_MODELS.map((model) => model.maxRefs))]
	.sort((a, b) => b - a)
	.map(
		(max) =>
			`${max} (${IMAGE_MODELS.filter((m) => m.maxRefs === max)
				.map((m) => m.name)
				.join(', ')})`,
	)
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

const resolutionField: INodeProperties = {
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
	description:
		'How strongly the reference images shape the result (0–1); only sent with reference images',
};

/** Generate Image's fields, in the order the editor shows them. */
export const imageProperties: INodeProperties[] = [
	accountLocator(true),
	promptField,
	modelLocator('image', ['account.value'], DEFAULT_IMAGE_MODEL),
	referenceImages(referenceRowValues('image')),
	ratioField,
	resolutionField,
	strengthField,
	waitForCompletionField(true),
	jobOptions(DEFAULT_TIMEOUT_MINUTES, { modelChecks: true }),
];
