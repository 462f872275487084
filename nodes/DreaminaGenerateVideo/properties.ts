import type { INodeProperties } from 'n8n-workflow';

import type { VideoMode } from '../shared/capabilities';
import { VIDEO_LIMITS, VIDEO_RATIOS } from '../shared/capabilities';
import { accountProperty, jobOptionsProperty, waitProperties } from '../shared/descriptions';

const assetRefHint = 'An assetRef from Dreamina Upload Asset (map its assetRef field)';

const referenceList = (kind: 'image' | 'video' | 'audio', max: number) => ({
	name: kind,
	displayName: `${kind[0].toUpperCase()}${kind.slice(1)}s`,
	values: [
		{
			displayName: 'assetRef',
			name: 'assetRef',
			type: 'string' as const,
			default: '',
			description: `A ${kind} assetRef; the first is @${kind}1 in the prompt, the second @${kind}2, … (up to ${max})`,
		},
	],
});

/** The prompt field: one per group of input modes, because whether it is required differs. */
const promptFor = (
	modes: VideoMode[],
	field: Pick<INodeProperties, 'description' | 'placeholder' | 'required'>,
): INodeProperties => ({
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	...field,
	displayOptions: { show: { inputMode: modes } },
});

export const videoProperties: INodeProperties[] = [
	accountProperty(true),
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'First and Last Frame',
				value: 'end_frame',
				description: 'The video moves from one image to another (same aspect ratio)',
			},
			{ name: 'First Frame', value: 'first_frame', description: 'The video starts from an image' },
			{
				name: 'Multi-Frame',
				value: 'multi_frame',
				description:
					'2–10 keyframe images, each with its own prompt and duration (seedance-1.0-mini/fast)',
			},
			{
				name: 'Omni Reference',
				value: 'omni',
				description:
					'Images, videos and audio referenced in the prompt as @image1, @video1, @audio1 (seedance-2.0 / 2.0-fast)',
			},
			{ name: 'Text to Video', value: 'prompt', description: 'A video from a prompt only' },
		],
		default: 'prompt',
	},
	{
		displayName: 'Model Name or ID',
		name: 'model',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getVideoModels',
			loadOptionsDependsOn: ['account', 'inputMode'],
		},
		default: '',
		description:
			'The models the chosen account offers for this input mode, with their durations and resolutions. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	promptFor(['prompt'], {
		required: true,
		placeholder: 'A serene mountain landscape at sunset, camera slowly panning right',
		description: `What happens in the video (up to ${VIDEO_LIMITS.promptMaxChars} characters)`,
	}),
	promptFor(['first_frame', 'end_frame'], {
		description: `Optional: how the scene moves (up to ${VIDEO_LIMITS.promptMaxChars} characters)`,
	}),
	promptFor(['omni'], {
		required: true,
		placeholder: '@image1 dancing while @audio1 plays',
		description:
			'Mention every reference: @image1… for images, @video1… for videos, @audio1… for audio, in the order they are listed below',
	}),
	{
		displayName: 'First Frame (assetRef)',
		name: 'firstFrameRef',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.assetRef }}',
		description: `The image the video starts from. ${assetRefHint}.`,
		displayOptions: { show: { inputMode: ['first_frame', 'end_frame'] } },
	},
	{
		displayName: 'Last Frame (assetRef)',
		name: 'endFrameRef',
		type: 'string',
		default: '',
		required: true,
		description: `The image the video ends on; same aspect ratio as the first frame. ${assetRefHint}.`,
		displayOptions: { show: { inputMode: ['end_frame'] } },
	},
	{
		displayName: 'Keyframes',
		name: 'keyframes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Keyframe',
		default: {},
		description:
			'2–10 keyframes in order, all images of one aspect ratio. The video lasts as long as the durations of all keyframes but the last together, which must be a duration the model takes (5 or 10 s).',
		displayOptions: { show: { inputMode: ['multi_frame'] } },
		options: [
			{
				name: 'keyframe',
				displayName: 'Keyframe',
				values: [
					{
						displayName: 'Image (assetRef)',
						name: 'imageRef',
						type: 'string',
						default: '',
						description: assetRefHint,
					},
					{
						displayName: 'Prompt',
						name: 'prompt',
						type: 'string',
						default: '',
						description: 'What happens from this keyframe to the next',
					},
					{
						displayName: 'Duration (Seconds)',
						name: 'duration',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 6 },
						default: 5,
						description: 'Seconds from this keyframe to the next (1–6)',
					},
				],
			},
		],
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Reference',
		default: {},
		description:
			'Up to 9 images, 3 videos (15.4 s together) and 3 audio clips (15 s together), 12 in all',
		displayOptions: { show: { inputMode: ['omni'] } },
		options: [
			referenceList('image', VIDEO_LIMITS.omni.maxImages),
			referenceList('video', VIDEO_LIMITS.omni.maxVideos),
			referenceList('audio', VIDEO_LIMITS.omni.maxAudios),
		],
	},
	{
		displayName: 'Duration Name or ID',
		name: 'duration',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getVideoDurations', loadOptionsDependsOn: ['model'] },
		default: '',
		description:
			'Video length in seconds; the list shows what the chosen model takes. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { hide: { inputMode: ['multi_frame'] } },
	},
	{
		displayName: 'Aspect Ratio',
		name: 'ratio',
		type: 'options',
		options: [
			{ name: 'Default (16:9)', value: '' },
			...VIDEO_RATIOS.map((ratio) => ({ name: ratio, value: ratio })),
		],
		default: '',
		description:
			'With frame images the video takes the images’ ratio, so this is only asked without them',
		displayOptions: { show: { inputMode: ['prompt', 'omni'] } },
	},
	{
		displayName: 'Resolution Name or ID',
		name: 'resolution',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getVideoResolutions', loadOptionsDependsOn: ['model'] },
		default: '',
		description:
			'Output resolution; the list shows what the chosen model supports. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...waitProperties(30),
	jobOptionsProperty(),
];
