/**
 * Dreamina as it is today (issue 19), through n8n's engine against the emulator with the nodes'
 * default settings: Seedance 2.5 (long videos, 30 omni images, 30 s references), a model only the
 * account's live list knows, drafts finished in full quality, video upscale and interpolation (MP4s
 * into binary data, Get Job and the Dreamina Trigger on their jobs), one POST per job; and what
 * every source agrees is invalid stopped with nothing sent, the field named.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { makeMp4, makePng, makeWav } from './emulator/media';
import { callWebhook, disposeHarness, loadOptions, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { joinPath, removeDir, tempDir, writeFile } from './support/system';
import type { NodeSpec } from './support/workflows';
import { CREDENTIAL_REF, chain, dreamina, linearWorkflow } from './support/workflows';

const US = 'US:us-user@example.com';
const CA = 'CA:ca-user@example.com';
const VIDEO_BYTES = 64 * 1024;
const CALLBACK_SECRET = 'example-today-callback-secret-1b2c3d';

let emu: Emulator;
let dir: string;
const client = () => emulatorClient(emu);
const creds = () => ({
	dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl, callbackSecret: CALLBACK_SECRET },
});
const rl = (value: string) => ({ __rl: true, mode: 'id', value });
/** Job-creating POSTs: every endpoint that makes a job. */
const jobPosts = () => client().calls('POST', /\/videos(\/(full-quality|upscale|interpolate))?$/);

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 300, image: 200, upscale: 200 },
		videoBytes: VIDEO_BYTES,
		render: false,
	});
	dir = tempDir('dreamina-today-');
});
afterAll(async () => {
	await emu.close();
	removeDir(dir);
	await disposeHarness();
});
beforeEach(() => emu.reset());

const fast = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 };

const video = (p: IDataObject, name = 'Video'): NodeSpec => ({
	name,
	type: dreamina('dreaminaGenerateVideo'),
	typeVersion: 2,
	parameters: {
		inputMode: 'prompt',
		prompt: 'a lighthouse at dawn',
		waitForCompletion: 'poll',
		options: fast,
		...p,
		account: rl(String(p.account ?? US)),
		model: rl(String(p.model ?? '')),
	},
});

const enhance = (operation: string, p: IDataObject = {}, name = operation): NodeSpec => ({
	name,
	type: dreamina('dreaminaEnhanceVideo'),
	typeVersion: 2,
	parameters: { operation, waitForCompletion: 'poll', options: fast, ...p },
});

/** Items carrying files, as an HTTP Request or Read Files node would put them out. */
function files(list: Array<[string, Uint8Array, string, string]>): NodeSpec {
	const fixtures = list.map(([name, bytes, mimeType, property]) => {
		const path = joinPath(dir, name);
		writeFile(path, bytes);
		return { path, mimeType, fileName: name, property };
	});
	return {
		name: 'Files',
		type: 'test.binaryFixture',
		parameters: { items: JSON.stringify([{ json: {}, files: fixtures }]) },
	};
}

async function run(nodes: NodeSpec[]) {
	return await runWorkflow({
		workflow: chain(nodes),
		credentials: creds(),
		timeoutMs: 30_000,
	});
}

async function images(n: number): Promise<string[]> {
	const refs: string[] = [];
	for (let i = 0; i < n; i++) refs.push(await client().upload(US, 'image/png', makePng(64, 36, i)));
	return refs;
}

/** The one job-creating POST's body, after asserting there was exactly one. */
function onePost(): IDataObject {
	const posts = jobPosts();
	expect(posts).toHaveLength(1);
	expect(posts[0].status).toBe(200);
	return posts[0].body as IDataObject;
}

describe('Generate Video with the models of today', () => {
	const omniImages = async (): Promise<IDataObject> => {
		const refs = await images(12);
		return {
			inputMode: 'omni',
			model: 'seedance-2.5',
			prompt: refs.map((_, i) => `@image${i + 1}`).join(' then '),
			imageReferences: {
				reference: refs.map((assetRef) => ({ source: 'assetRef', assetRef })),
			},
		};
	};
	test.each<[string, () => Promise<IDataObject>, IDataObject]>([
		[
			'a 20 s seedance-2.5 job at 480p',
			async () => ({ model: 'seedance-2.5', duration: 20, resolution: '480p' }),
			{ duration: 20, resolution: '480p' },
		],
		['a 60 s long video', async () => ({ model: 'seedance-2.5', duration: 60 }), { duration: 60 }],
		['12 omni images on 2.5', omniImages, { omni_12_imageRef: expect.any(String) }],
		[
			'a video edit of an uploaded 20 s video (no ratio sent)',
			async () => ({
				inputMode: 'video_edit',
				model: 'seedance-2.5',
				prompt: 'make it night',
				editVideoSource: 'assetRef',
				editVideoRef: await client().upload(
					US,
					'video/mp4',
					makeMp4({ durationMs: 20_000, width: 1280, height: 720 }),
				),
			}),
			{ editVideoRef: expect.stringMatching(/-video:/), ratio: undefined },
		],
	])('%s: sent once, its MP4 in binary data', async (_what, params, sent) => {
		const result = await run([video(await params())]);
		expect(result.error).toBeUndefined();
		const body = onePost();
		for (const [field, value] of Object.entries(sent))
			if (value === undefined) expect(body).not.toHaveProperty(field);
			else expect(body[field]).toEqual(value);
		const [item] = result.output('Video');
		expect(item.json.status).toBe('completed');
		expect(item.binary?.data?.mimeType).toBe('video/mp4');
	});

	test('a 20 s reference video and a 25 s audio from binary fields: uploaded, then one job', async () => {
		const result = await run([
			files([
				[
					'clip.mp4',
					makeMp4({ durationMs: 20_000, width: 1280, height: 720 }),
					'video/mp4',
					'clip',
				],
				['song.wav', makeWav(25_000), 'audio/wav', 'song'],
			]),
			video({
				inputMode: 'omni',
				model: 'seedance-2.5',
				prompt: '@video1 with @audio1',
				videoReferences: { reference: [{ source: 'binary', binaryPropertyName: 'clip' }] },
				audioReferences: { reference: [{ source: 'binary', binaryPropertyName: 'song' }] },
			}),
		]);
		expect(result.error).toBeUndefined();
		expect(client().calls('POST', /\/assets\//)).toHaveLength(2);
		expect(onePost()).toMatchObject({
			omni_1_videoRef: expect.stringMatching(/-video:.*:d20000/),
			omni_1_audioRef: expect.stringMatching(/-audio:.*:d25000/),
		});
	});

	test('a model only the account’s live list knows is sent, and the item says its limits were not checked', async () => {
		emu.setOptions({
			accounts: [
				{ email: 'new@example.com', region: 'CA', models: { video: ['wan-3.0'], image: [] } },
			],
		});
		const result = await run([
			video({ account: 'CA:new@example.com', model: 'wan-3.0', duration: 45 }),
		]);
		expect(result.error).toBeUndefined();
		expect(onePost()).toMatchObject({ model: 'wan-3.0', duration: 45 });
		expect(result.output('Video')[0].json).toMatchObject({ modelLimitsChecked: false });
	});
});

test('where the sources say nothing the API decides: its 400 names the field, no job is made', async () => {
	// seedance-2.0-mini's limits are on no public page: the node sends it, the emulator refuses 20 s.
	const result = await run([video({ model: 'seedance-2.0-mini', duration: 20 })]);
	expect(jobPosts().map((r) => r.status)).toEqual([400]);
	expect(result.error?.message).toContain('Parameter duration (20)');
	expect(result.error?.description).toMatch(
		/Change Duration \(Seconds\) \(duration\) and run again/,
	);
});

describe('Dreamina Enhance Video', () => {
	test('a draft finished in 1080p, with its MP4', async () => {
		const result = await run([
			video({ account: CA, model: 'seedance-2.5-draft', duration: 8 }, 'Draft'),
			enhance('fullQuality'),
		]);
		expect(result.error).toBeUndefined();
		const [finished] = result.output('fullQuality');
		expect(finished.json).toMatchObject({ status: 'completed', request: { resolution: '1080p' } });
		expect(finished.binary?.data?.mimeType).toBe('video/mp4');
		expect(client().posts('/videos/full-quality')).toHaveLength(1);
		expect(client().posts('/videos')).toHaveLength(1);
	});

	test('a video upscaled and interpolated, with their MP4s; Get Job and the trigger deliver both jobs', async () => {
		const result = await run([
			video({ model: 'seedance-2.0' }),
			enhance('upscale'),
			enhance('interpolate', { fps: 60 }),
		]);
		expect(result.error).toBeUndefined();
		const [upscaled] = result.output('upscale');
		const [interpolated] = result.output('interpolate');
		expect(upscaled.json).toMatchObject({ type: 'video-upscale', status: 'completed' });
		expect(interpolated.json).toMatchObject({ type: 'video-interpolate', request: { fps: 60 } });
		for (const item of [upscaled, interpolated])
			expect(item.binary?.data?.mimeType).toBe('video/mp4');
		for (const path of ['/videos', '/videos/upscale', '/videos/interpolate'])
			expect(client().posts(path)).toHaveLength(1);

		for (const job of [upscaled.json, interpolated.json]) {
			const read = await run([
				{
					name: 'Get',
					type: dreamina('dreaminaGetJob'),
					typeVersion: 2,
					parameters: { jobid: rl(String(job.jobid)), options: fast },
				},
			]);
			expect(read.error).toBeUndefined();
			expect(read.output('Get')[0].json).toMatchObject({ jobid: job.jobid, type: job.type });
			expect(read.output('Get')[0].binary?.data?.mimeType).toBe('video/mp4');

			const record = await client().api(`/videos/${encodeURIComponent(String(job.jobid))}`);
			const delivered = await callWebhook({
				workflow: linearWorkflow([
					{
						name: 'Trigger',
						type: dreamina('dreaminaTrigger'),
						typeVersion: 2,
						extra: { webhookId: 'a4c1e2f3-today', credentials: CREDENTIAL_REF },
					},
					{ name: 'Next', type: 'n8n-nodes-base.noOp' },
				]),
				nodeName: 'Trigger',
				method: 'POST',
				query: { secret: CALLBACK_SECRET },
				body: record,
				credentials: creds(),
				webhookBaseUrl: 'https://n8n.example.com',
				staticData: {},
			});
			expect(delivered.run?.status).toBe('success');
			const [emitted] = delivered.run!.output('Trigger');
			expect(emitted.json).toMatchObject({ jobid: job.jobid, type: job.type });
			expect(emitted.binary?.data?.mimeType).toBe('video/mp4');
		}
		expect(jobPosts()).toHaveLength(3);
	});
});

describe('what every source agrees is invalid: stopped, nothing sent, the field named', () => {
	test.each<[string, () => Promise<NodeSpec[]>, RegExp]>([
		[
			'seedance-2.0 for 20 s',
			async () => [video({ model: 'seedance-2.0', duration: 20 })],
			/^Duration.*seedance-2\.0 takes 4–15 seconds, not 20/,
		],
		[
			'seedance-2.5 at 1080p on a US account',
			async () => [video({ model: 'seedance-2.5', resolution: '1080p' })],
			/^Resolution.*seedance-2\.5 supports 480p, 720p only on US accounts/,
		],
		[
			'ratio 4:5 on seedance-2.0',
			async () => [video({ model: 'seedance-2.0', ratio: '4:5' })],
			/^Aspect Ratio.*seedance-2\.0 takes 21:9/,
		],
		[
			'10 omni images on seedance-2.0',
			async () => {
				const refs = await images(10);
				return [
					video({
						inputMode: 'omni',
						model: 'seedance-2.0',
						prompt: refs.map((_, i) => `@image${i + 1}`).join(' '),
						imageReferences: {
							reference: refs.map((assetRef) => ({ source: 'assetRef', assetRef })),
						},
					}),
				];
			},
			/Image References.*seedance-2\.0 takes at most 9 image references, got 10/,
		],
		[
			'a 20 s reference video on seedance-2.0 (2–15.4 s there)',
			async () => [
				video({
					inputMode: 'omni',
					model: 'seedance-2.0',
					prompt: '@video1 in the rain',
					videoReferences: {
						reference: [
							{
								source: 'assetRef',
								assetRef: await client().upload(
									US,
									'video/mp4',
									makeMp4({ durationMs: 20_000, width: 1280, height: 720 }),
								),
							},
						],
					},
				}),
			],
			/Video References.*lasts 20\.0 s; seedance-2\.0 takes reference videos of 2–15\.4 s/,
		],
		[
			'upscaling a draft',
			async () => [
				video({ account: CA, model: 'seedance-2.5-draft' }, 'Draft'),
				enhance('upscale'),
			],
			/^Job ID.*draft, which cannot be upscaled/,
		],
		[
			'finishing a video that is not a draft',
			async () => [video({ model: 'seedance-2.0' }), enhance('fullQuality')],
			/^Job ID.*not a seedance-2\.5-draft draft/,
		],
		[
			'finishing a US draft in 4K',
			async () => [
				video({ model: 'seedance-2.5-draft' }, 'Draft'),
				enhance('fullQuality', { resolution: '4k' }),
			],
			/^Resolution.*4k is for CA accounts only/,
		],
	])('%s', async (_what, nodes, message) => {
		const spec = await nodes();
		const result = await run(spec);
		expect(result.error?.message).toMatch(message);
		// nothing sent by the refusing node (an enhancing node's source was made by the node before)
		expect(jobPosts()).toHaveLength(spec.length - 1);
	});
});

describe('Duration, Aspect Ratio and Resolution offer what the chosen model takes', () => {
	const offered = async (method: string, model: string, account = US) =>
		(
			await loadOptions(dreamina('dreaminaGenerateVideo'), method, {
				account: rl(account),
				model: rl(model),
			})
		).map((option: { value: unknown }) => option.value);
	const seconds = (from: number, to: number) =>
		Array.from({ length: to - from + 1 }, (_, i) => from + i);

	it.each([
		['videoDurations', 'seedance-2.5', US, ['', ...seconds(4, 180)]],
		['videoDurations', 'seedance-1.5-pro', US, ['', 5, 10, 12]],
		['videoResolutions', 'seedance-2.5', US, ['', '480p', '720p']],
		['videoResolutions', 'seedance-2.5', CA, ['', '480p', '720p', '1080p']],
		['videoResolutions', 'unknown-model', US, ['', '480p', '720p', '1080p', '4k']],
		[
			'videoRatios',
			'={{ $json.model }}',
			US,
			['', '21:9', '16:9', '4:3', '1:1', '3:4', '9:16', '4:5', '5:4', '9:21'],
		],
	])('%s for %s (%s)', async (method, model, account, values) => {
		expect(await offered(method, model, account)).toEqual(values);
	});

	it('happyhorse-1.1 offers 4:5; an unknown model every duration some model takes', async () => {
		expect(await offered('videoRatios', 'happyhorse-1.1')).toContain('4:5');
		expect(await offered('videoRatios', 'seedance-2.0')).not.toContain('4:5');
		expect(await offered('videoDurations', '')).toEqual(['', ...seconds(4, 180)]);
	});
});
