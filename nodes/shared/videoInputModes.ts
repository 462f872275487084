/**
 * The input modes of POST /videos, described once. The node's fields (DreaminaGenerateVideo/properties.ts),
 * the request it sends (DreaminaGenerateVideo/request.ts), the shape each mode must have
 * (DreaminaGenerateVideo/schema.ts), the model limits (capabilities.ts) and the node's subtitle all read this.
 * The API derives the mode from the fields sent; the node asks for it so it can show only that mode's fields.
 */
export type VideoMode =
	| 'prompt'
	| 'first_frame'
	| 'end_frame'
	| 'multi_frame'
	| 'omni'
	| 'video_edit';

/** A reference that holds one image (first frame, last frame). */
export interface FrameReference {
	/** the API's field */
	apiName: 'firstFrameRef' | 'endFrameRef';
	/** the node's field prefix: firstFrame → firstFrameSource, firstFrameBinaryProperty, firstFrameRef */
	field: 'firstFrame' | 'endFrame';
	label: string;
	description: string;
	/** the binary field a new node reads by default */
	defaultBinaryProperty: string;
}

export interface VideoInputMode {
	label: string;
	description: string;
	/** whether the top-level prompt is required, optional, or not sent (keyframes carry their own) */
	prompt: 'required' | 'optional' | 'none';
	promptDescription?: string;
	promptPlaceholder?: string;
	/** whether an aspect ratio is sent: with frame images the video takes the images' ratio */
	ratio: boolean;
	/** whether a top-level duration is sent: keyframe durations make up a multi-frame video */
	duration: boolean;
	frames: FrameReference[];
	keyframes: boolean;
	omni: boolean;
	/** the video to re-cut (`editVideoRef`): the result takes its aspect ratio */
	editVideo?: EditVideoReference;
}

/** The uploaded video an edit re-cuts (glama.ai dreamina_create_video `editVideoRef`, 2026-11). */
export interface EditVideoReference {
	apiName: 'editVideoRef';
	field: 'editVideo';
	label: string;
	description: string;
	defaultBinaryProperty: string;
}

const FIRST_FRAME: FrameReference = {
	apiName: 'firstFrameRef',
	field: 'firstFrame',
	label: 'First Frame',
	description: 'The image the video starts from',
	defaultBinaryProperty: 'data',
};

const LAST_FRAME: FrameReference = {
	apiName: 'endFrameRef',
	field: 'endFrame',
	label: 'Last Frame',
	description: 'The image the video ends on; same aspect ratio as the first frame',
	defaultBinaryProperty: 'data_1',
};

const EDIT_VIDEO: EditVideoReference = {
	apiName: 'editVideoRef',
	field: 'editVideo',
	label: 'Video to Edit',
	description: 'The video to re-cut; the result keeps its aspect ratio',
	defaultBinaryProperty: 'data',
};

export const VIDEO_INPUT_MODES: Record<VideoMode, VideoInputMode> = {
	prompt: {
		label: 'Text to Video',
		description: 'A video from a prompt only',
		prompt: 'required',
		promptPlaceholder: 'A serene mountain landscape at sunset, camera slowly panning right',
		promptDescription: 'What happens in the video',
		ratio: true,
		duration: true,
		frames: [],
		keyframes: false,
		omni: false,
	},
	first_frame: {
		label: 'First Frame',
		description: 'The video starts from an image',
		prompt: 'optional',
		promptDescription: 'Optional: how the scene moves',
		ratio: false,
		duration: true,
		frames: [FIRST_FRAME],
		keyframes: false,
		omni: false,
	},
	end_frame: {
		label: 'First and Last Frame',
		description: 'The video moves from one image to another (same aspect ratio)',
		prompt: 'optional',
		promptDescription: 'Optional: how the scene moves',
		ratio: false,
		duration: true,
		frames: [FIRST_FRAME, LAST_FRAME],
		keyframes: false,
		omni: false,
	},
	multi_frame: {
		label: 'Multi-Frame',
		description: '2–10 keyframe images, each with its own prompt and duration',
		prompt: 'none',
		ratio: false,
		duration: false,
		frames: [],
		keyframes: true,
		omni: false,
	},
	omni: {
		label: 'Omni Reference',
		description: 'Images, videos and audio referenced in the prompt as @image1, @video1, @audio1',
		prompt: 'required',
		promptPlaceholder: '@image1 dancing while @audio1 plays',
		promptDescription:
			'Mention every reference: @image1… for images, @video1… for videos, @audio1… for audio, in the order they are listed below',
		ratio: true,
		duration: true,
		frames: [],
		keyframes: false,
		omni: true,
	},
	video_edit: {
		label: 'Video Edit',
		description: 'Re-cut an uploaded video as the prompt says',
		// Whether the API requires a prompt for an edit is not documented: it decides.
		prompt: 'optional',
		promptPlaceholder: 'Make it night, keep the camera move',
		promptDescription: 'What to change in the video',
		ratio: false,
		duration: true,
		frames: [],
		keyframes: false,
		omni: false,
		editVideo: EDIT_VIDEO,
	},
};

export const VIDEO_MODES = Object.keys(VIDEO_INPUT_MODES) as VideoMode[];

/** The modes for which `test` holds, e.g. the modes that send a ratio. */
export function modesWhere(test: (mode: VideoInputMode) => boolean): VideoMode[] {
	return VIDEO_MODES.filter((mode) => test(VIDEO_INPUT_MODES[mode]));
}

/** The kinds of omni reference, in the order the API numbers them. */
export const OMNI_KINDS = ['image', 'video', 'audio'] as const;
export type OmniKind = (typeof OMNI_KINDS)[number];
