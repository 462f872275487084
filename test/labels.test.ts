/**
 * Issue 10.3: every API field a message can name resolves to the label the editor shows.
 *
 * Part 1 reads full requests (every row a list takes) with the nodes' own readers
 * (request.ts of each node) and names each field with `fieldNamer` over the node's properties and
 * the sources the draft recorded — the same call generation.ts makes — for every input mode and
 * no API field falls back to its raw name. The parameters are completed with their
 * defaults by n8n's NodeHelpers.getNodeParameters, as n8n does before a node runs.
 * The messages users read through n8n carry these labels: test/generation.test.ts (validation),
 * test/typed-parameters.test.ts and test/live-models.test.ts (API 400 after Skip Model Limit Checks).
 */
import type {
	IExecuteFunctions,
	INode,
	INodeParameters,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { z } from 'zod';

import { DreaminaGenerateImage } from '../nodes/DreaminaGenerateImage/DreaminaGenerateImage.node';
import { imageProperties } from '../nodes/DreaminaGenerateImage/properties';
import { readImageRequest } from '../nodes/DreaminaGenerateImage/request';
import { imageRequestSchema } from '../nodes/DreaminaGenerateImage/schema';
import { DreaminaGenerateVideo } from '../nodes/DreaminaGenerateVideo/DreaminaGenerateVideo.node';
import { videoProperties } from '../nodes/DreaminaGenerateVideo/properties';
import { readVideoRequest } from '../nodes/DreaminaGenerateVideo/request';
import { videoRequestSchemas } from '../nodes/DreaminaGenerateVideo/schema';
import { DreaminaUpscaleImage } from '../nodes/DreaminaUpscaleImage/DreaminaUpscaleImage.node';
import { upscaleProperties } from '../nodes/DreaminaUpscaleImage/properties';
import { readUpscaleRequest } from '../nodes/DreaminaUpscaleImage/request';
import { upscaleRequestSchema } from '../nodes/DreaminaUpscaleImage/schema';
import { VIDEO_LIMITS } from '../nodes/shared/capabilities';
import type { RequestDraft } from '../nodes/shared/draft';
import { fieldNamer, propertyLabel } from '../nodes/shared/labels';
import { ItemParameters } from '../nodes/shared/parameters';
import type { VideoMode } from '../nodes/shared/videoInputModes';
import { OMNI_KINDS, VIDEO_MODES } from '../nodes/shared/videoInputModes';

const CA = 'CA:ca-user@example.com';
const REF = `${CA}-image:w1024:h576:s1000-uri:history-1`;
const VIDEO_REF = `${CA}-video:w1280:h720:s1000:d5000-uri:history-2`;
const AUDIO_REF = `${CA}-audio:s1000:d5000-uri:history-3`;
type Source = 'assetRef' | 'binary';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

/** One item's parameters as n8n hands them to execute(): defaults filled in, paths resolved. */
function itemParameters(
	description: INodeTypeDescription,
	parameters: Record<string, unknown>,
): ItemParameters {
	const node: INode = {
		id: 'label-test',
		name: 'Node',
		type: `n8n-nodes-dreamina.${description.name}`,
		typeVersion: 2,
		position: [0, 0],
		parameters: parameters as INodeParameters,
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			node.parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const read = (path: string): unknown => {
		let value: unknown = node.parameters;
		for (const key of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
			if (value === null || typeof value !== 'object') return null;
			value = (value as Record<string, unknown>)[key];
		}
		return value === undefined ? null : value;
	};
	const ctx = {
		getNode: () => node,
		getInputData: () => [{ json: {} }],
		getNodeParameter: (path: string) => read(path),
	};
	return new ItemParameters(ctx as unknown as IExecuteFunctions, 0);
}

function schemaKeys(schema: z.ZodTypeAny): string[] {
	const inner = schema instanceof z.ZodEffects ? schema.innerType() : schema;
	return Object.keys((inner as z.ZodObject<z.ZodRawShape>).shape);
}

const options = {
	maxJobs: 2,
	replyRef: 'row-7',
	replyUrl: 'https://n8n.example.com/webhook/dreamina',
	timeoutMinutes: 5,
};

/** The most rows each omni list takes (the largest model's caps). */
const OMNI_ROWS = {
	image: VIDEO_LIMITS.omni.maxImages,
	video: VIDEO_LIMITS.omni.maxVideos,
	audio: VIDEO_LIMITS.omni.maxAudios,
};

/** A Generate Video request with everything the mode takes, every list full. */
function fullVideo(mode: VideoMode, source: Source): Record<string, unknown> {
	const refRow = (assetRef: string, binary: string) =>
		source === 'binary' ? { source, binaryPropertyName: binary } : { source, assetRef };
	const n = (count: number) => Array.from({ length: count }, (_, i) => i);
	const prompt =
		mode === 'omni'
			? OMNI_KINDS.flatMap((kind) => n(OMNI_ROWS[kind]).map((i) => `@${kind}${i + 1}`)).join(' ')
			: 'p';
	return {
		account: rl(CA),
		inputMode: mode,
		model: rl('seedance-2.0'),
		prompt,
		firstFrameSource: source,
		firstFrameRef: REF,
		endFrameSource: source,
		endFrameRef: REF,
		keyframes: {
			keyframe: n(10).map((i) =>
				source === 'binary'
					? { source, binaryPropertyName: `k${i}`, prompt: 'k', duration: 2 }
					: { source, imageRef: REF, prompt: 'k', duration: 2 },
			),
		},
		imageReferences: { reference: n(OMNI_ROWS.image).map((i) => refRow(REF, `i${i}`)) },
		videoReferences: { reference: n(OMNI_ROWS.video).map((i) => refRow(VIDEO_REF, `v${i}`)) },
		audioReferences: { reference: n(OMNI_ROWS.audio).map((i) => refRow(AUDIO_REF, `a${i}`)) },
		duration: 5,
		ratio: '16:9',
		resolution: '720p',
		options,
	};
}

function fullImage(source: Source): Record<string, unknown> {
	const rows = Array.from({ length: 6 }, (_, i) =>
		source === 'binary' ? { source, binaryPropertyName: `r${i}` } : { source, assetRef: REF },
	);
	return {
		account: rl(CA),
		prompt: 'p',
		model: rl('seedream-4.5'),
		referenceImages: { image: rows },
		ratio: '1:1',
		resolution: '2k',
		imageStrength: 0.5,
		options,
	};
}

function fullUpscale(): Record<string, unknown> {
	const jobid = 'j0223140530123456789i-u12345-CA:ca-user@example.com-bot:dreamina';
	return {
		jobid: rl(jobid),
		imageIndex: 1,
		upscaleResolution: '4k',
		originalImageStrength: 0.6,
		detailStrength: 0.4,
		options,
	};
}

/** Every API field of the draft (sent, or recorded as where a message would point) with its name. */
function namedFields(properties: INodeProperties[], draft: RequestDraft): Record<string, string> {
	const name = fieldNamer(properties, draft.sources);
	const fields = new Set([...Object.keys(draft.body), ...Object.keys(draft.sources)]);
	return Object.fromEntries([...fields].map((field) => [field, name(field)]));
}

function expectAllLabelled(named: Record<string, string>) {
	const raw = Object.entries(named).filter(([field, label]) => label === field);
	expect(raw.map(([field]) => field)).toEqual([]);
	for (const [field, label] of Object.entries(named)) {
		expect(label.endsWith(` (${field})`)).toBe(true);
	}
}

const video = new DreaminaGenerateVideo().description;
const image = new DreaminaGenerateImage().description;
const upscale = new DreaminaUpscaleImage().description;

describe('Generate Video: every field of every mode is named by its label', () => {
	const cases = VIDEO_MODES.flatMap((mode) =>
		(['assetRef', 'binary'] as const).map((source) => ({ mode, source })),
	);

	it.each(cases)('$mode, references from $source', ({ mode, source }) => {
		const draft = readVideoRequest(itemParameters(video, fullVideo(mode, source)));
		const named = namedFields(videoProperties, draft);
		expectAllLabelled(named);
		// every field the mode's schema knows is one the draft can name
		const missing = schemaKeys(videoRequestSchemas[mode]).filter((key) => !(key in named));
		expect(missing).toEqual([]);
	});

	it('names rows and values as the editor shows them', () => {
		const named = namedFields(
			videoProperties,
			readVideoRequest(itemParameters(video, fullVideo('multi_frame', 'assetRef'))),
		);
		expect(named).toMatchObject({
			account: 'Account (account)',
			model: 'Model (model)',
			frame_2_duration: 'Keyframes › Keyframe 2 › Duration (Seconds) (frame_2_duration)',
			frame_2_prompt: 'Keyframes › Keyframe 2 › Prompt (frame_2_prompt)',
			frame_10_imageRef: 'Keyframes › Keyframe 10 › Asset Ref (frame_10_imageRef)',
			// "needs another keyframe" points at the row to add
			frame_11_imageRef: 'Keyframes › Keyframe 11 › Asset Ref (frame_11_imageRef)',
			resolution: 'Resolution (resolution)',
			maxJobs: 'Options › Max Jobs (maxJobs)',
			replyUrl: 'Options › Reply URL (replyUrl)',
			replyRef: 'Options › Reply Reference (replyRef)',
		});
		const omni = namedFields(
			videoProperties,
			readVideoRequest(itemParameters(video, fullVideo('omni', 'assetRef'))),
		);
		expect(omni).toMatchObject({
			prompt: 'Prompt (prompt)',
			omni_9_imageRef: 'Image References › Image 9 › Asset Ref (omni_9_imageRef)',
			omni_2_videoRef: 'Video References › Video 2 › Asset Ref (omni_2_videoRef)',
			omni_2_audioRef: 'Audio References › Audio 2 › Asset Ref (omni_2_audioRef)',
			duration: 'Duration (Seconds) (duration)',
			ratio: 'Aspect Ratio (ratio)',
		});
		const binaryOmni = namedFields(
			videoProperties,
			readVideoRequest(itemParameters(video, fullVideo('omni', 'binary'))),
		);
		expect(binaryOmni.omni_2_audioRef).toBe(
			'Audio References › Audio 2 › Input Binary Field (omni_2_audioRef)',
		);
		const frames = namedFields(
			videoProperties,
			readVideoRequest(itemParameters(video, fullVideo('end_frame', 'assetRef'))),
		);
		expect(frames).toMatchObject({
			firstFrameRef: 'First Frame Asset Ref (firstFrameRef)',
			endFrameRef: 'Last Frame Asset Ref (endFrameRef)',
		});
		const binaryFrames = namedFields(
			videoProperties,
			readVideoRequest(itemParameters(video, fullVideo('end_frame', 'binary'))),
		);
		expect(binaryFrames).toMatchObject({
			firstFrameRef: 'First Frame Binary Field (firstFrameRef)',
			endFrameRef: 'Last Frame Binary Field (endFrameRef)',
		});
	});
});

describe('Generate Image and Upscale Image: every field is named by its label', () => {
	it.each(['assetRef', 'binary'] as const)('Generate Image, references from %s', (source) => {
		const draft = readImageRequest(itemParameters(image, fullImage(source)));
		const named = namedFields(imageProperties, draft);
		expectAllLabelled(named);
		expect(schemaKeys(imageRequestSchema).filter((key) => !(key in named))).toEqual([]);
		expect(named.imageStrength).toBe('Image Strength (imageStrength)');
		expect(named.imageRef_6).toBe(
			source === 'binary'
				? 'Reference Images › Image 6 › Input Binary Field (imageRef_6)'
				: 'Reference Images › Image 6 › Asset Ref (imageRef_6)',
		);
	});

	it('Upscale Image', () => {
		const draft = readUpscaleRequest(itemParameters(upscale, fullUpscale()));
		const named = namedFields(upscaleProperties, draft);
		expectAllLabelled(named);
		expect(schemaKeys(upscaleRequestSchema).filter((key) => !(key in named))).toEqual([]);
		expect(named).toMatchObject({
			jobid: 'Job ID (jobid)',
			imageIndex: 'Image Index (imageIndex)',
			upscaleResolution: 'Upscale Resolution (upscaleResolution)',
			originalImageStrength: 'Original Image Strength (originalImageStrength)',
			detailStrength: 'Detail Strength (detailStrength)',
		});
	});
});

describe('the waiting settings are named under Options', () => {
	const SETTINGS: Record<string, string> = {
		waitForCompletion: 'Wait for Completion',
		'options.timeoutMinutes': 'Options › Timeout (Minutes)',
		'options.downloadResult': 'Options › Download Result',
		'options.binaryPropertyOutput': 'Options › Put Output File in Field',
		'options.firstCheckSeconds': 'Options › First Check After (Seconds)',
		'options.maxIntervalSeconds': 'Options › Max Interval (Seconds)',
		'options.capacityWaitMinutes': 'Options › Wait for Capacity (Minutes)',
		'options.skipModelChecks': 'Options › Skip Model Limit Checks',
		'options.addCallbackSecret': 'Options › Add Callback Secret to Reply URL',
	};

	it.each([
		['Generate Video', videoProperties],
		['Generate Image', imageProperties],
	] as const)('%s', (_name, properties) => {
		for (const [path, label] of Object.entries(SETTINGS)) {
			expect([path, propertyLabel(properties, path)]).toEqual([path, label]);
		}
	});
});
