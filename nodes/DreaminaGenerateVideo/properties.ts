import type { INodeProperties } from 'n8n-workflow';

import { VIDEO_LIMITS, VIDEO_MODELS } from '../shared/capabilities';
import { accountLocator } from '../shared/fields/account';
import { jobOptions } from '../shared/fields/jobOptions';
import { modelLocator } from '../shared/fields/model';
import { referenceRowValues, singleReferenceFields } from '../shared/fields/reference';
import { waitForCompletionField } from '../shared/fields/waiting';
import type { OmniKind, VideoMode } from '../shared/videoInputModes';
import { modesWhere, OMNI_KINDS, VIDEO_INPUT_MODES, VIDEO_MODES } from '../shared/videoInputModes';

/**
 * Generate Video's fields, each shown for the input modes that use it (shared/videoInputModes.ts).
 * References are files of the input item or assetRefs; secondary settings are under Options.
 */
export const DEFAULT_TIMEOUT_MINUTES = 30;
const OMNI_MAX: Record<OmniKind, number> = {
	image: VIDEO_LIMITS.omni.maxImages,
	video: VIDEO_LIMITS.omni.maxVideos,
	audio: VIDEO_LIMITS.omni.maxAudios,
};
const KIND_LABEL: Record<OmniKind, string> = { image: 'Image', video: 'Video', audio: 'Audio' };

/** The models that take a value, for an option's description. */
const modelsTaking = (takes: (model: (typeof VIDEO_MODELS)[number]) => boolean) =>
	VIDEO_MODELS.filter(takes)
		.map((model) => model.name)
		.join(', ');

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
			mode === 'multi_frame' || mode === 'omni' || mode === 'video_edit'
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
		description: `${VIDEO_INPUT_MODES[mode].promptDescription} (up to ${VIDEO_LIMITS.promptMaxChars} characters on ${modelsTaking((m) => m.promptMaxChars === VIDEO_LIMITS.promptMaxChars)}, ${Math.min(...VIDEO_MODELS.map((m) => m.promptMaxChars))} on the others)`,
		displayOptions: { show: { inputMode: [mode] } },
	})),
);

/** Duration, Aspect Ratio and Resolution list what the chosen model takes (shared/methods/modelOptions.ts). */
const FOLLOWS_MODEL = ['model.value', 'account.value'];

const ratioField: INodeProperties = {
	displayName: 'Aspect Ratio Name or ID',
	name: 'ratio',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'videoRatios', loadOptionsDependsOn: FOLLOWS_MODEL },
	default: '',
	description:
		'With frame images or a video to edit the video takes their ratio, so this is only asked without them. The ratios the chosen model takes. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	displayOptions: { show: { inputMode: modesWhere((mode) => mode.ratio) } },
};

const frameModes = (field: 'firstFrame' | 'endFrame') =>
	modesWhere((mode) => mode.frames.some((frame) => frame.field === field));
const keyframeModes = modesWhere((mode) => mode.keyframes);
const omniModes = modesWhere((mode) => mode.omni);
const durationModes = modesWhere((mode) => mode.duration);
const FRAMES = [
	...new Map(
		VIDEO_MODES.flatMap((m) => VIDEO_INPUT_MODES[m].frames).map((f) => [f.field, f]),
	).values(),
];

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

const EDIT_VIDEOS = VIDEO_MODES.flatMap((m) => VIDEO_INPUT_MODES[m].editVideo ?? []).slice(0, 1);
const editVideoFields = EDIT_VIDEOS.flatMap((edit) =>
	singleReferenceFields({
		prefix: edit.field,
		refName: edit.apiName,
		label: edit.label,
		description: edit.description,
		kind: 'video',
		defaultBinaryProperty: edit.defaultBinaryProperty,
		show: { inputMode: modesWhere((mode) => mode.editVideo !== undefined) },
	}),
);

const frameFields = FRAMES.flatMap((frame) =>
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

const keyframesField = keyframes([
	...referenceRowValues('image', 'imageRef'),
	keyframePromptValue,
	keyframeDurationValue,
]);

/** "seedance-2.5 30, seedance-2.0 9, …": each model's cap on a kind of reference, and in all. */
function omniCaps(kind: OmniKind): string {
	const key = ({ image: 'maxImages', video: 'maxVideos', audio: 'maxAudios' } as const)[kind];
	return VIDEO_MODELS.flatMap((m) =>
		m.omni
			? [
					`${m.name} ${m.omni[key]} of ${m.omni.maxMaterials} in all${
						kind !== 'image' && m.omni.maxTotalVideoMs
							? `, ${(kind === 'video' ? m.omni.maxTotalVideoMs : (m.omni.maxTotalAudioMs ?? 0)) / 1000} s together`
							: ''
					}`,
				]
			: [],
	).join('; ');
}

/** One list per kind, each as long as the largest model allows (each model's own cap is checked before sending). */
const referenceFields = OMNI_KINDS.map(
	(kind): INodeProperties => ({
		displayName: `${KIND_LABEL[kind]} References`,
		name: `${kind}References`,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true, maxAllowedFields: OMNI_MAX[kind] },
		placeholder: `Add ${KIND_LABEL[kind]}`,
		default: {},
		description: `Up to ${OMNI_MAX[kind]} (${omniCaps(kind)}); the first is @${kind}1 in the prompt, the second @${kind}2, …`,
		displayOptions: { show: { inputMode: omniModes } },
		options: [
			{ name: 'reference', displayName: KIND_LABEL[kind], values: referenceRowValues(kind) },
		],
	}),
);

const durationField: INodeProperties = {
	displayName: 'Duration (Seconds) Name or ID',
	name: 'duration',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'videoDurations', loadOptionsDependsOn: FOLLOWS_MODEL },
	default: '',
	description:
		'Video length: the durations the chosen model takes. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	displayOptions: { show: { inputMode: durationModes } },
};

const resolutionField: INodeProperties = {
	displayName: 'Resolution Name or ID',
	name: 'resolution',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'videoResolutions', loadOptionsDependsOn: FOLLOWS_MODEL },
	default: '',
	description:
		'Output resolution: what the chosen model takes in the account’s region. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** The node's fields in the order the editor shows them. */
export const videoProperties: INodeProperties[] = [
	accountLocator(true),
	inputModeField,
	modelLocator('video', ['account.value', 'inputMode'], ''),
	...promptFields,
	...frameFields,
	...editVideoFields,
	keyframesField,
	...referenceFields,
	durationField,
	ratioField,
	resolutionField,
	waitForCompletionField(true),
	jobOptions(DEFAULT_TIMEOUT_MINUTES, { modelChecks: true }),
];
