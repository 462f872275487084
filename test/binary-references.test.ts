/**
 * Generate Video and Generate Image (version 2) take their references from the input item's binary
 * fields, with no Upload Asset node: each file is checked like an upload, uploaded to the account
 * that generates (each distinct file once per execution), and the job is sent with the assetRefs.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { makeBmp, makePng, makeWav } from './emulator/media';
import { disposeHarness, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { joinPath, removeDir, tempDir, writeFile } from './support/system';
import type { NodeSpec } from './support/workflows';
import { chain, dreamina } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const FAST = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 };

let emu: Emulator;
let dir: string;
let client: ReturnType<typeof emulatorClient>;

interface FixtureFile {
	path: string;
	mimeType: string;
	fileName: string;
	property: string;
}

function fixture(
	name: string,
	bytes: Uint8Array,
	mimeType: string,
	property = 'data',
): FixtureFile {
	const path = joinPath(dir, name);
	writeFile(path, bytes);
	return { path, mimeType, fileName: name, property };
}

/** Items with files, as an earlier node (HTTP Request, Read Files, a form) would put them out. */
const filesIn = (items: FixtureFile[][]): NodeSpec => ({
	name: 'Files',
	type: 'test.binaryFixture',
	parameters: { items: JSON.stringify(items.map((files) => ({ json: {}, files }))) },
});

const account = (value: string) => ({ __rl: true, mode: value === 'auto' ? 'list' : 'id', value });

function generate(node: string, parameters: IDataObject): NodeSpec {
	return {
		name: 'Dreamina',
		type: dreamina(node),
		typeVersion: 2,
		parameters: { waitForCompletion: 'poll', options: { ...FAST }, ...parameters },
	};
}

async function run(files: FixtureFile[][], node: NodeSpec) {
	return await runWorkflow({
		workflow: chain([filesIn(files), node]),
		credentials: { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } },
		timeoutMs: 30_000,
	});
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 400, image: 300, upscale: 300 },
		render: false,
	});
	client = emulatorClient(emu);
	dir = tempDir('binary-references-');
});
afterAll(async () => {
	await emu.close();
	removeDir(dir);
	await disposeHarness();
});
beforeEach(() => emu.clearRequests());

describe('Generate Video from binary fields', () => {
	it('first frame: the item’s image is uploaded to the account, then one job is sent with its assetRef', async () => {
		const image = fixture('frame.png', makePng(1280, 720, 1), 'image/png');
		const result = await run(
			[[image]],
			generate('dreaminaGenerateVideo', {
				account: account(CA),
				inputMode: 'first_frame',
				model: { __rl: true, mode: 'id', value: 'seedance-2.0' },
				prompt: 'the camera pans right',
			}),
		);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Dreamina');
		expect(client.posts('/assets/' + CA)).toHaveLength(1);
		expect(client.posts('/videos')).toHaveLength(1);
		const uploaded = item.json.uploadedAssets as IDataObject[];
		expect(uploaded).toHaveLength(1);
		expect(uploaded[0]).toMatchObject({
			parameter: 'firstFrameRef',
			type: 'image',
			fileName: 'frame.png',
		});
		expect(uploaded[0].assetRef).toMatch(/^CA:ca-user@example\.com-image:w1280:h720:/);
		expect(client.posts('/videos')[0].body).toMatchObject({ firstFrameRef: uploaded[0].assetRef });
		expect(item.json).toMatchObject({
			status: 'completed',
			request: { firstFrameRef: uploaded[0].assetRef },
		});
		expect(item.binary?.data.mimeType).toBe('video/mp4');
	});

	it('omni reference: an image and an audio clip from two binary fields, one upload each', async () => {
		const image = fixture('dancer.png', makePng(720, 1280, 2), 'image/png');
		const audio = fixture('beat.wav', makeWav(4000), 'audio/wav', 'audio');
		const result = await run(
			[[image, audio]],
			generate('dreaminaGenerateVideo', {
				account: account(CA),
				inputMode: 'omni',
				model: { __rl: true, mode: 'id', value: 'seedance-2.0' },
				prompt: '@image1 dances while @audio1 plays',
				imageReferences: { reference: [{ source: 'binary', binaryPropertyName: 'data' }] },
				audioReferences: { reference: [{ source: 'binary', binaryPropertyName: 'audio' }] },
			}),
		);
		expect(result.error).toBeUndefined();
		const assets = client.posts('/assets/' + CA);
		expect(assets.map((r) => r.contentType).sort()).toEqual(['audio/wav', 'image/png']);
		const [video] = client.posts('/videos');
		expect(client.posts('/videos')).toHaveLength(1);
		expect(video.body).toMatchObject({
			omni_1_imageRef: expect.stringMatching(/-image:/),
			omni_1_audioRef: expect.stringMatching(/-audio:/),
		});
		expect(result.output('Dreamina')[0].json.status).toBe('completed');
	});

	it('the same file used by several items is uploaded once; each item still sends its own job', async () => {
		const shared = makePng(640, 640, 3);
		const items = [0, 1, 2].map((n) => [fixture(`copy-${n}.png`, shared, 'image/png')]);
		const result = await run(
			items,
			generate('dreaminaGenerateVideo', {
				account: account(CA),
				inputMode: 'first_frame',
				prompt: 'zoom in',
			}),
		);
		expect(result.error).toBeUndefined();
		expect(client.posts('/assets/' + CA)).toHaveLength(1);
		expect(client.posts('/videos')).toHaveLength(3);
		const refs = result
			.output('Dreamina')
			.map((item) => (item.json.request as IDataObject).firstFrameRef);
		expect(new Set(refs).size).toBe(1);
	});

	it('an invalid file (BMP) stops the item before any upload or job', async () => {
		const bitmap = fixture('frame.bmp', makeBmp(800, 600), 'image/png');
		const result = await run(
			[[bitmap]],
			generate('dreaminaGenerateVideo', { account: account(CA), inputMode: 'first_frame' }),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/BMP/);
		expect(result.error?.message).toMatch(/First Frame Binary Field "data"/);
		expect(result.error?.description).toMatch(/Nothing was uploaded/);
		expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	it('with Account Auto the files go to an account that offers the model, and the job runs there', async () => {
		const image = fixture('auto.png', makePng(1024, 576, 4), 'image/png');
		const result = await run(
			[[image]],
			generate('dreaminaGenerateVideo', {
				account: account('auto'),
				inputMode: 'first_frame',
				model: { __rl: true, mode: 'id', value: 'sora2' },
			}),
		);
		expect(result.error).toBeUndefined();
		const [upload] = emu.requests.filter((r) => r.method === 'POST' && r.path.includes('/assets/'));
		expect(decodeURIComponent(upload.path)).toMatch(/\/assets\/CA:/);
		expect(result.output('Dreamina')[0].json.jobid).toMatch(/-CA:/);
	});
});

describe('Generate Image from binary fields', () => {
	it('two reference images from two binary fields: two uploads, one job', async () => {
		const first = fixture('ref-1.png', makePng(1024, 1024, 5), 'image/png');
		const second = fixture('ref-2.png', makePng(1024, 1024, 6), 'image/png', 'data_1');
		const result = await run(
			[[first, second]],
			generate('dreaminaGenerateImage', {
				account: account('US:us-user@example.com'),
				prompt: 'both of them in one picture',
				referenceImages: {
					image: [
						{ source: 'binary', binaryPropertyName: 'data' },
						{ source: 'binary', binaryPropertyName: 'data_1' },
					],
				},
			}),
		);
		expect(result.error).toBeUndefined();
		expect(client.posts('/assets/US:us-user@example.com')).toHaveLength(2);
		expect(client.posts('/images')).toHaveLength(1);
		expect(client.posts('/images')[0].body).toMatchObject({
			imageRef_1: expect.stringMatching(/^US:us-user@example\.com-image:/),
			imageRef_2: expect.stringMatching(/^US:us-user@example\.com-image:/),
		});
		const [item] = result.output('Dreamina');
		expect((item.json.uploadedAssets as IDataObject[]).map((a) => a.parameter)).toEqual([
			'imageRef_1',
			'imageRef_2',
		]);
		expect(item.binary?.data.mimeType).toMatch(/^image\//);
	});
});
