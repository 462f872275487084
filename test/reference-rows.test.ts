/**
 * Issue 9.4: reference lists keep their numbering. A row left empty is an error naming that row
 * (never dropped with the rows after it renumbered, which would send other files than meant);
 * the lists are capped in the editor at the documented maxima, and a list longer than that given
 * anyway (a workflow written by hand) is refused before anything is sent.
 */
import type { INodeProperties, INodeType, IVersionedNodeType } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { getPackage, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const VIDEO = dreamina('dreaminaGenerateVideo');
const IMAGE = dreamina('dreaminaGenerateImage');

let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };
let refs: string[];

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300, image: 200, upscale: 200 } });
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
	refs = await emulatorClient(emu).historyImages(CA);
	expect(refs.length).toBeGreaterThanOrEqual(11);
});
afterAll(async () => emu.close());
beforeEach(() => emu.clearRequests());

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const posts = () => emu.requests.filter((r) => r.method === 'POST');
const row = (assetRef: string) => ({ source: 'assetRef', assetRef });
const keyframeRow = (imageRef: string, duration = 3) => ({
	source: 'assetRef',
	imageRef,
	duration,
});

function run(type: string, parameters: Record<string, unknown>) {
	return runWorkflow({
		workflow: chain([{ name: 'Node', type, parameters }]),
		credentials,
		timeoutMs: 30_000,
	});
}

const image = (rows: object[]) =>
	run(IMAGE, {
		account: rl(CA),
		prompt: 'a collage',
		referenceImages: { image: rows },
		waitForCompletion: 'none',
	});

const video = (mode: string, extra: Record<string, unknown>) =>
	run(VIDEO, {
		account: rl(CA),
		inputMode: mode,
		waitForCompletion: 'none',
		...extra,
	});

async function expectRefused(
	result: Awaited<ReturnType<typeof run>>,
	message: string | RegExp,
): Promise<void> {
	expect(result.status).toBe('error');
	// a string is the message's start
	if (typeof message === 'string')
		expect(result.error?.message?.slice(0, message.length)).toBe(message);
	else expect(result.error?.message).toMatch(message);
	expect(result.error?.description).toContain('Nothing was sent to Dreamina');
	expect(posts()).toHaveLength(0);
}

describe('an empty row is an error naming that row, not renumbered', () => {
	const empty = (list: string) =>
		`is empty: give the ${list} a file or an assetRef, or remove the row`;
	it.each([
		{
			title: 'Generate Image: A, empty, C',
			start: () => image([row(refs[0]), row(''), row(refs[2])]),
			message: `Reference Images › Image 2 › Asset Ref (imageRef_2): ${empty('reference image')}`,
		},
		{
			title: 'Generate Image: a binary row with no field name',
			start: () =>
				image([row(refs[0]), { source: 'binary', binaryPropertyName: '' }, row(refs[2])]),
			message: `Reference Images › Image 2 › Input Binary Field (imageRef_2): ${empty('reference image')}`,
		},
		{
			title: 'Multi-Frame: keyframes A, empty, C',
			start: () =>
				video('multi_frame', {
					model: rl('seedance-1.0-mini'),
					keyframes: { keyframe: [keyframeRow(refs[0]), keyframeRow(''), keyframeRow(refs[2])] },
				}),
			message: `Keyframes › Keyframe 2 › Asset Ref (frame_2_imageRef): ${empty('keyframe')}`,
		},
		{
			title: 'Omni: image references A, empty, C',
			start: () =>
				video('omni', {
					model: rl('seedance-2.0'),
					prompt: '@image1 and @image2 meet @image3',
					imageReferences: { reference: [row(refs[0]), row(''), row(refs[2])] },
				}),
			message: `Image References › Image 2 › Asset Ref (omni_2_imageRef): ${empty('image reference')}`,
		},
		{
			title: 'Omni: an empty audio row',
			start: () =>
				video('omni', {
					model: rl('seedance-2.0'),
					prompt: '@image1 sings @audio1',
					imageReferences: { reference: [row(refs[0])] },
					audioReferences: { reference: [row('')] },
				}),
			message: `Audio References › Audio 1 › Asset Ref (omni_1_audioRef): ${empty('audio reference')}`,
		},
	])('$title', async ({ start, message }) => {
		await expectRefused(await start(), message);
	});

	it('Generate Image: A, B, C are sent as imageRef_1..3 in row order', async () => {
		const result = await image([row(refs[0]), row(refs[1]), row(refs[2])]);
		expect(result.error).toBeUndefined();
		expect(posts()[0].body).toMatchObject({
			imageRef_1: refs[0],
			imageRef_2: refs[1],
			imageRef_3: refs[2],
		});
	});
});

function v2Property(type: INodeType | IVersionedNodeType, name: string): INodeProperties {
	const node = 'nodeVersions' in type ? type.nodeVersions[2] : type;
	const found = node.description.properties.find((p) => {
		return p.name === name;
	});
	if (!found) throw new Error(`no v2 property ${name}`);
	return found;
}

describe('each list is capped at its documented maximum', () => {
	it.each([
		// the largest model's caps (seedance-2.5: 30 images, 10 videos, 10 audio); each model's own are checked
		[VIDEO, 'imageReferences', 30],
		[VIDEO, 'videoReferences', 10],
		[VIDEO, 'audioReferences', 10],
		[VIDEO, 'keyframes', 10],
		[IMAGE, 'referenceImages', 6],
	])('%s › %s: maxAllowedFields %i', async (type, name, max) => {
		const { nodeTypes } = await getPackage();
		const property = v2Property(nodeTypes[type], name);
		expect(property.type).toBe('fixedCollection');
		expect(property.typeOptions).toMatchObject({ multipleValues: true, maxAllowedFields: max });
	});
});

// n8n itself refuses a list longer than maxAllowedFields (NodeHelpers.getParameterIssues in
// n8n-workflow) before the node runs: the workflow "has issues", nothing is sent. One list shows it.
it('more rows than the API takes, given anyway in workflow JSON, are refused by n8n (a 31st omni image)', async () => {
	const mentionAll = Array.from({ length: 31 }, (_, i) => `@image${i + 1}`).join(' ');
	const result = await video('omni', {
		model: rl('seedance-2.5'),
		prompt: mentionAll,
		imageReferences: { reference: Array.from({ length: 31 }, () => row(refs[0])) },
	});
	expect(result.status).toBe('error');
	expect(result.error?.message).toContain("The 'Node' node has issues");
	expect(result.error?.message).toContain('At most 30 fields are allowed.');
	expect(posts()).toHaveLength(0);
});
