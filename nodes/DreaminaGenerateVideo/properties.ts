import type { INodeProperties } from 'n8n-workflow';

import {
	describeDurations,
	VIDEO_LIMITS,
	VIDEO_MODELS,
	VIDEO_RATIOS,
	VIDEO_RESOLUTIONS,
} from '../shared/capabilities';
import { accountLocator, accountOptionsField } from '../shared/fields/account';
import { jobOptionsV1, jobOptionsV2 } from '../shared/fields/jobOptions';
import { modelLocator } from '../shared/fields/model';
import { referenceRowValues, singleReferenceFields } from '../shared/fields/reference';
import { onlyInVersions } from '../shared/fields/versions';
import { waitFieldsV1, waitForCompletionField } from '../shared/fields/waiting';
import type { OmniKind, VideoMode } from '../shared/videoInputModes';
import { modesWhere, OMNI_KINDS, VIDEO_INPUT_MODES, VIDEO_MODES } from '../shared/videoInputModes';

/**
 * Generate Video's fields, each shown for the input modes that use it (shared/videoInputModes.ts).
 * Version 1 keeps 0.1.0's fields; version 2 takes files from the input item, has resource locators
 * and keeps secondary settings under Options.
 */
export const DEFAULT_TIMEOUT_MINUTES = 30;
const OMNI_MAX: Record<OmniKind, number> = {
	image: VIDEO_LIMITS.omni.maxImages,
	video: VIDEO_LIMITS.omni.maxVideos,
	audio: VIDEO_LIMITS.omni.maxAudios,
};
const KIND_LABEL: Record<OmniKind, string> = { image: 'Image', video: 'Video', audio: 'Audio' };

const modelsFor = (mode: VideoMode) =>
	VIDEO_MODELS.filter((model) => model.modes.includes(mode)).map((model) => model.name);

export const inputModeField: INodeProperties = {
	displayName: 'Input Mode',
	name: 'inputMode',
	type: 'options',
	noDataExpression: true,
	options: VIDEO_MODES.map((mode) => ({
		name: VIDEO_INPUT_MODES[mode].label,
		value: mode,
		description:
			mode === 'multi_frame' || mode === 'omni'
				? `${VIDEO_INPUT_MODES[mode].description} (${modelsFor(mode).join(', ')})`
				: VIDEO_INPUT_MODES[mode].description,
	})).sort((a, b) => a.name.localeCompare(b.name)),
	default: 'prompt',
};

/** One Prompt field per rule (required / optional), shown for the modes with that rule. */
const promptFields: INodeProperties[] = (['required', 'optional'] as const).flatMap((rule) =>
	modesWhere((mode) => mode.prompt === rule).map((mode) => ({
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string' as const,
		typeOptions: { rows: 4 },
		default: '',
		required: rule === 'required',
		placeholder: VIDEO_INPUT_MODES[mode].promptPlaceholder,
		description: `${VIDEO_INPUT_MODES[mode].promptDescription} (up to ${VIDEO_LIMITS.promptMaxChars} characters)`,
		displayOptions: { show: { inputMode: [mode] } },
	})),
);

const ratioField: INodeProperties = {
	displayName: 'Aspect Ratio',
	name: 'ratio',
	type: 'options',
	options: [
		{ name: 'Default (16:9)', value: '' },
		...VIDEO_RATIOS.map((ratio) => ({ name: ratio, value: ratio })),
	],
	default: '',
	description: 'With frame images the video takes the images’ ratio, so this is only asked without them',
	displayOptions: { show: { inputMode: modesWhere((mode) => mode.ratio) } },
};

const frameModes = (field: 'firstFrame' | 'endFrame') =>
	modesWhere((mode) => mode.frames.some((frame) => frame.field === field));
const keyframeModes = modesWhere((mode) => mode.keyframes);
const omniModes = modesWhere((mode) => mode.omni);
const durationModes = modesWhere((mode) => mode.duration);
const FRAMES = [...new Map(VIDEO_MODES.flatMap((m) => VIDEO_INPUT_MODES[m].frames).map((f) => [f.field, f])).values()];

const keyframeDescription = `${VIDEO_LIMITS.multiFrame.minFrames}–${VIDEO_LIMITS.multiFrame.maxFrames} keyframes in order, all images of one aspect ratio. The video lasts as long as the durations of all keyframes but the last together, which must be a duration the model takes (5 or 10 s).`;

const keyframePromptValue: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	default: '',
	description: 'What happens from this keyframe to the next',
};

const DEFAULT_KEYFRAME_SECONDS = VIDEO_LIMITS.multiFrame.defaultDuration;

const keyframeDurationValue: INodeProperties = {
	displayName: 'Duration (Seconds)',
	name: 'duration',
	type: 'number',
	typeOptions: {
		minValue: VIDEO_LIMITS.multiFrame.minDuration,
		maxValue: VIDEO_LIMITS.multiFrame.maxDuration,
	},
	default: DEFAULT_KEYFRAME_SECONDS,
	description: `Seconds from this keyframe to the next (${VIDEO_LIMITS.multiFrame.minDuration}–${VIDEO_LIMITS.multiFrame.maxDuration})`,
};

// ── Fields of one version ──────────────────────────────────────────────────────────────────
const assetRefHint = 'An assetRef from Dreamina Upload Asset (map its assetRef field)';

const modelOptionsV1: INodeProperties = {
	displayName: 'Model Name or ID',
	name: 'model',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getVideoModels', loadOptionsDependsOn: ['account', 'inputMode'] },
	default: '',
	description:
		'The models the chosen account offers for this input mode, with their durations and resolutions. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const framesV1 = FRAMES.map(
	(frame): INodeProperties => ({
		displayName: `${frame.label} (assetRef)`,
		name: frame.apiName,
		type: 'string',
		default: '',
		required: true,
		placeholder: frame.field === 'firstFrame' ? '={{ $json.assetRef }}' : undefined,
		description: `${frame.description}. ${assetRefHint}.`,
		displayOptions: { show: { inputMode: frameModes(frame.field) } },
	}),
);

const framesV2 = FRAMES.flatMap((frame) =>
	singleReferenceFields({
		prefix: frame.field,
		refName: frame.apiName,
		label: frame.label,
		description: frame.description,
		kind: 'image',
		defaultBinaryProperty: frame.defaultBinaryProperty,
		show: { inputMode: frameModes(frame.field) },
	}),
);

const keyframes = (values: INodeProperties[]): INodeProperties => ({
	displayName: 'Keyframes',
	name: 'keyframes',
	type: 'fixedCollection',
	typeOptions: {
		multipleValues: true,
		sortable: true,
		maxAllowedFields: VIDEO_LIMITS.multiFrame.maxFrames,
	},
	placeholder: 'Add Keyframe',
	default: {},
	description: keyframeDescription,
	displayOptions: { show: { inputMode: keyframeModes } },
	options: [{ name: 'keyframe', displayName: 'Keyframe', values }],
});

const keyframesV1 = keyframes([
	{ displayName: 'Image (assetRef)', name: 'imageRef', type: 'string', default: '', description: assetRefHint },
	keyframePromptValue,
	keyframeDurationValue,
]);

const keyframesV2 = keyframes([
	...referenceRowValues('image', 'imageRef'),
	keyframePromptValue,
	keyframeDurationValue,
]);

const referencesV1: INodeProperties = {
	displayName: 'References',
	name: 'references',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Reference',
	default: {},
	description: `Up to ${OMNI_MAX.image} images, ${OMNI_MAX.video} videos (${VIDEO_LIMITS.omni.maxTotalVideoMs / 1000} s together) and ${OMNI_MAX.audio} audio clips (${VIDEO_LIMITS.omni.maxTotalAudioMs / 1000} s together), ${VIDEO_LIMITS.omni.maxMaterials} in all`,
	displayOptions: { show: { inputMode: omniModes } },
	options: OMNI_KINDS.map((kind) => ({
		name: kind,
		displayName: `${KIND_LABEL[kind]}s`,
		values: [
			{
				displayName: 'assetRef',
				name: 'assetRef',
				type: 'string' as const,
				default: '',
				description: `A ${kind} assetRef; the first is @${kind}1 in the prompt, the second @${kind}2, … (up to ${OMNI_MAX[kind]})`,
			},
		],
	})),
};

/** Version 2: one list per kind, each capped at its documented maximum. */
const referencesV2 = OMNI_KINDS.map(
	(kind): INodeProperties => ({
		displayName: `${KIND_LABEL[kind]} References`,
		name: `${kind}References`,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true, maxAllowedFields: OMNI_MAX[kind] },
		placeholder: `Add ${KIND_LABEL[kind]}`,
		default: {},
		description: `Up to ${OMNI_MAX[kind]}; the first is @${kind}1 in the prompt, the second @${kind}2, …${kind === 'image' ? '' : ` (${(kind === 'video' ? VIDEO_LIMITS.omni.maxTotalVideoMs : VIDEO_LIMITS.omni.maxTotalAudioMs) / 1000} s together)`}. ${VIDEO_LIMITS.omni.maxMaterials} references in all.`,
		displayOptions: { show: { inputMode: omniModes } },
		options: [{ name: 'reference', displayName: KIND_LABEL[kind], values: referenceRowValues(kind) }],
	}),
);

const durationV1: INodeProperties = {
	displayName: 'Duration Name or ID',
	name: 'duration',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getVideoDurations', loadOptionsDependsOn: ['model'] },
	default: '',
	description:
		'Video length in seconds; the list shows what the chosen model takes. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	displayOptions: { show: { inputMode: durationModes } },
};

const ALL_DURATIONS = [...new Set(VIDEO_MODELS.flatMap((model) => model.durations))].sort(
	(a, b) => a - b,
);

/** Version 2: every documented duration, each saying which models take it (checked before sending). */
const durationV2: INodeProperties = {
	displayName: 'Duration (Seconds)',
	name: 'duration',
	type: 'options',
	options: [
		{ name: 'Model Default', value: '', description: 'What the model does by default (5 s; sora2: 4 s)' },
		...ALL_DURATIONS.map((seconds) => ({
			name: `${seconds}`,
			value: seconds,
			description: VIDEO_MODELS.filter((model) => model.durations.includes(seconds))
				.map((model) => model.name)
				.join(', '),
		})),
	],
	default: '',
	description: `Video length; each option lists the models that take it (${VIDEO_MODELS.map((m) => `${m.name} ${describeDurations(m.durations)} s`).join('; ')})`,
	displayOptions: { show: { inputMode: durationModes } },
};

const resolutionV1: INodeProperties = {
	displayName: 'Resolution Name or ID',
	name: 'resolution',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getVideoResolutions', loadOptionsDependsOn: ['model'] },
	default: '',
	description:
		'Output resolution; the list shows what the chosen model supports. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const resolutionV2: INodeProperties = {
	displayName: 'Resolution',
	name: 'resolution',
	type: 'options',
	options: [
		{ name: 'Model Default', value: '', description: '720p (1080p for seedance-1.0-pro)' },
		...VIDEO_RESOLUTIONS.map((resolution) => ({ name: resolution, value: resolution })),
	],
	default: '',
	description: 'Output resolution; the Model list shows what each model takes in the account’s region',
};

const V1 = [1];
const V2 = [2];

/** The node's fields in the order the editor shows them; shared fields serve both versions. */
export const videoProperties: INodeProperties[] = [
	...onlyInVersions(V1, [accountOptionsField(true)]),
	...onlyInVersions(V2, [accountLocator(true)]),
	inputModeField,
	...onlyInVersions(V1, [modelOptionsV1]),
	...onlyInVersions(V2, [modelLocator('video', ['account.value', 'inputMode'], '')]),
	...promptFields,
	...onlyInVersions(V1, [...framesV1, keyframesV1, referencesV1, durationV1]),
	...onlyInVersions(V2, [...framesV2, keyframesV2, ...referencesV2, durationV2]),
	ratioField,
	...onlyInVersions(V1, [resolutionV1, ...waitFieldsV1(DEFAULT_TIMEOUT_MINUTES, true), jobOptionsV1()]),
	...onlyInVersions(V2, [
		resolutionV2,
		waitForCompletionField(true, 2),
		jobOptionsV2(DEFAULT_TIMEOUT_MINUTES, { modelChecks: true }),
	]),
];
