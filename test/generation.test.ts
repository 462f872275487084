/**
 * Generate Video / Generate Image / Upscale Image through n8n's own engine (WorkflowExecute, in-process)
 * against the API emulator: every input mode, binary results, validation before sending, waiting,
 * many items, failed jobs, the retry policy and the error mapping.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { makeMp4, makeWav } from './emulator/media';
import { runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { delay } from './support/system';
import { chain, dreamina, FAST_POLL, items } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const US = 'US:us-user@example.com';
const VIDEO_BYTES = 300_000;

let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };
let caImages: string[];
let usImages: string[];

const client = () => emulatorClient(emu);
const historyImages = (account: string) => client().historyImages(account);
const upload = (account: string, type: string, bytes: Uint8Array) =>
	client().upload(account, type, bytes);
const posts = (pathSuffix: string) => client().posts(pathSuffix);
const gets = (pathPart: string) => client().gets(pathPart);

function run(
	nodeType: string,
	parameters: Record<string, unknown>,
	opts: {
		inputs?: object[];
		continueOnFail?: boolean;
		timeoutMs?: number;
		cancelAfterMs?: number;
	} = {},
) {
	const workflow = chain([
		...(opts.inputs ? [items(opts.inputs)] : []),
		{ name: 'Dreamina', type: dreamina(nodeType), parameters, continueOnFail: opts.continueOnFail },
	]);
	return runWorkflow({
		workflow,
		credentials,
		timeoutMs: opts.timeoutMs ?? 30_000,
		cancelAfterMs: opts.cancelAfterMs,
	});
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 600, image: 300, upscale: 300 },
		videoBytes: VIDEO_BYTES,
	});
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
	caImages = await historyImages(CA);
	usImages = await historyImages(US);
});
afterAll(async () => emu.close());
beforeEach(() => {
	emu.clearRequests();
	emu.clearFaults();
});

const WAIT = { waitForCompletion: 'poll', options: FAST_POLL };
const NO_DOWNLOAD = { waitForCompletion: 'poll', options: { ...FAST_POLL, downloadResult: false } };

async function expectVideoResult(result: Awaited<ReturnType<typeof run>>) {
	expect(result.error).toBeUndefined();
	const [item] = result.output('Dreamina');
	expect(item.json).toMatchObject({ status: 'completed', type: 'video' });
	const file = item.binary!.data;
	expect(file).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
	expect(file.fileName).toMatch(/^dreamina-video-j\d+v\.mp4$/);
	const bytes = await result.readBinary(file);
	expect(bytes.length).toBe(VIDEO_BYTES);
	expect(bytes.subarray(4, 8).toString()).toBe('ftyp');
	return item;
}

describe('Dreamina Generate Video: every input mode ends with a downloaded MP4', () => {
	it('text to video', async () => {
		const item = await expectVideoResult(
			await run('dreaminaGenerateVideo', {
				account: CA,
				inputMode: 'prompt',
				prompt: 'a lighthouse at dawn',
				model: 'seedance-2.0',
				duration: 6,
				ratio: '9:16',
				...WAIT,
			}),
		);
		expect(item.json.request).toMatchObject({ inputMode: 'prompt', duration: 6, ratio: '9:16' });
		expect(posts('/videos')).toHaveLength(1);
	});

	it('first frame (account inferred from the assetRef, no ratio sent)', async () => {
		const item = await expectVideoResult(
			await run('dreaminaGenerateVideo', {
				inputMode: 'first_frame',
				firstFrameSource: 'assetRef',
				firstFrameRef: usImages[0],
				model: 'seedance-1.5-pro',
				prompt: 'pan right',
				...WAIT,
			}),
		);
		expect(item.json.request).toMatchObject({ inputMode: 'first_frame' });
		expect(posts('/videos')[0].body).not.toHaveProperty('ratio');
	});

	it('first and last frame', async () => {
		const item = await expectVideoResult(
			await run('dreaminaGenerateVideo', {
				inputMode: 'end_frame',
				firstFrameSource: 'assetRef',
				firstFrameRef: caImages[0],
				endFrameSource: 'assetRef',
				endFrameRef: caImages[1],
				model: 'seedance-2.0-fast',
				...WAIT,
			}),
		);
		expect(item.json.request).toMatchObject({ inputMode: 'end_frame' });
	});

	it('multi-frame keyframes', async () => {
		const keyframe = [
			{ source: 'assetRef', imageRef: usImages[0], prompt: 'start', duration: 3 },
			{ source: 'assetRef', imageRef: usImages[1], prompt: 'middle', duration: 2 },
			{ source: 'assetRef', imageRef: usImages[2], prompt: 'end', duration: 5 },
		];
		const item = await expectVideoResult(
			await run('dreaminaGenerateVideo', {
				account: US,
				inputMode: 'multi_frame',
				model: 'seedance-1.0-mini',
				keyframes: { keyframe },
				...WAIT,
			}),
		);
		expect(item.json.request).toMatchObject({ inputMode: 'multi_frame', frame_3_prompt: 'end' });
		expect(posts('/videos')[0].body).not.toHaveProperty('prompt');
	});

	it('omni reference with image, video and audio', async () => {
		const videoRef = await upload(
			CA,
			'video/mp4',
			makeMp4({ durationMs: 5000, width: 1280, height: 720 }),
		);
		const audioRef = await upload(CA, 'audio/wav', makeWav(4000));
		const item = await expectVideoResult(
			await run('dreaminaGenerateVideo', {
				account: CA,
				inputMode: 'omni',
				model: 'seedance-2.0',
				prompt: '@image1 dances like @video1 while @audio1 plays',
				imageReferences: { reference: [{ source: 'assetRef', assetRef: caImages[0] }] },
				videoReferences: { reference: [{ source: 'assetRef', assetRef: videoRef }] },
				audioReferences: { reference: [{ source: 'assetRef', assetRef: audioRef }] },
				...WAIT,
			}),
		);
		expect(item.json.request).toMatchObject({
			inputMode: 'unified_edit',
			omni_1_videoRef: videoRef,
			omni_1_audioRef: audioRef,
		});
	});

	it("Don't Wait outputs the job record at once", async () => {
		const result = await run('dreaminaGenerateVideo', {
			account: CA,
			inputMode: 'prompt',
			prompt: 'p',
			waitForCompletion: 'none',
		});
		const [item] = result.output('Dreamina');
		expect(item.json).toMatchObject({ status: 'created', request: { prompt: 'p' } });
		expect(item.json.response).toHaveProperty('forecastCost');
		expect(item.binary).toBeUndefined();
		expect(gets('/videos/')).toHaveLength(0);
	});
});

describe('Dreamina Generate Image and Upscale Image', () => {
	it('generates 4 images without references into data … data_3', async () => {
		const result = await run('dreaminaGenerateImage', {
			account: US,
			prompt: 'aurora over a lake',
			model: 'seedream-4.0',
			ratio: '16:9',
			...WAIT,
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('Dreamina');
		expect(Object.keys(item.binary!).sort()).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		for (const file of Object.values(item.binary!)) {
			expect(file).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
			const bytes = await result.readBinary(file);
			expect(bytes.subarray(1, 4).toString()).toBe('PNG');
		}
	});

	it('generates with reference images, then upscales one of them', async () => {
		const image = await run('dreaminaGenerateImage', {
			model: 'seedream-4.5',
			referenceImages: {
				image: [
					{ source: 'assetRef', assetRef: usImages[0] },
					{ source: 'assetRef', assetRef: usImages[1] },
				],
			},
			imageStrength: 0.7,
			...NO_DOWNLOAD,
		});
		const [generated] = image.output('Dreamina');
		expect(generated.json.status).toBe('completed');
		expect(posts('/images')[0].body).toMatchObject({
			imageRef_1: usImages[0],
			imageRef_2: usImages[1],
			imageStrength: 0.7,
		});
		expect(posts('/images')[0].body).not.toHaveProperty('prompt');

		const upscaled = await run('dreaminaUpscaleImage', {
			jobid: generated.json.jobid,
			imageIndex: 2,
			upscaleResolution: '8k',
			waitForCompletion: 'poll',
			options: { ...FAST_POLL, binaryPropertyOutput: 'upscaled' },
		});
		expect(upscaled.error).toBeUndefined();
		const [item] = upscaled.output('Dreamina');
		expect(item.json).toMatchObject({
			type: 'upscale',
			status: 'completed',
			request: { jobid: generated.json.jobid, imageIndex: 2 },
		});
		expect(item.binary!.upscaled).toMatchObject({ mimeType: 'image/png' });
		expect(gets('/images/').some((r) => r.path.includes('I-u'))).toBe(true);
	});
});

describe('request bodies: only what the input mode uses, no rejected defaults', () => {
	const sent = async (nodeType: string, parameters: Record<string, unknown>, path: string) => {
		const result = await run(nodeType, { ...parameters, waitForCompletion: 'none' });
		expect(result.error).toBeUndefined();
		const bodies = posts(path).map((r) => r.body);
		expect(bodies).toHaveLength(1);
		return bodies[0];
	};

	it('First Frame leaves out the end frame and ratio; sora2 gets its own default duration', async () => {
		expect(
			await sent(
				'dreaminaGenerateVideo',
				{
					account: CA,
					inputMode: 'first_frame',
					prompt: ' go ',
					firstFrameSource: 'assetRef',
					firstFrameRef: caImages[0],
					endFrameSource: 'assetRef',
					endFrameRef: caImages[1],
					ratio: '16:9',
					duration: '',
					model: 'sora2',
					options: { replyRef: '', maxJobs: 3 },
				},
				'/videos',
			),
		).toEqual({
			account: CA,
			prompt: 'go',
			firstFrameRef: caImages[0],
			model: 'sora2',
			duration: 4,
			maxJobs: 3,
		});
	});

	it('Multi-Frame sends the keyframes and no prompt; Omni Reference numbers its references', async () => {
		expect(
			await sent(
				'dreaminaGenerateVideo',
				{
					account: US,
					inputMode: 'multi_frame',
					model: 'seedance-1.0-mini',
					prompt: 'ignored',
					keyframes: {
						keyframe: [
							{ source: 'assetRef', imageRef: usImages[0], duration: 5 },
							{ source: 'assetRef', imageRef: usImages[1], prompt: 'p2', duration: 2 },
						],
					},
				},
				'/videos',
			),
		).toEqual({
			account: US,
			model: 'seedance-1.0-mini',
			frame_1_imageRef: usImages[0],
			frame_1_duration: 5,
			frame_2_imageRef: usImages[1],
			frame_2_prompt: 'p2',
			frame_2_duration: 2,
		});
		emu.clearRequests();
		expect(
			await sent(
				'dreaminaGenerateVideo',
				{
					account: CA,
					inputMode: 'omni',
					model: 'seedance-2.0',
					prompt: '@image1 moves',
					imageReferences: { reference: [{ source: 'assetRef', assetRef: caImages[0] }] },
					ratio: '',
				},
				'/videos',
			),
		).toEqual({
			account: CA,
			model: 'seedance-2.0',
			prompt: '@image1 moves',
			omni_1_imageRef: caImages[0],
		});
	});

	it('Generate Image sends image strength only with reference images', async () => {
		const withoutRefs = await sent(
			'dreaminaGenerateImage',
			{ account: US, prompt: 'p', imageStrength: 0.5 },
			'/images',
		);
		expect(withoutRefs).toMatchObject({ prompt: 'p' });
		expect(withoutRefs).not.toHaveProperty('imageStrength');
		emu.clearRequests();
		expect(
			await sent(
				'dreaminaGenerateImage',
				{
					account: US,
					prompt: 'p',
					imageStrength: 0.5,
					referenceImages: {
						image: [
							{ source: 'assetRef', assetRef: usImages[0] },
							{ source: 'assetRef', assetRef: usImages[1] },
						],
					},
				},
				'/images',
			),
		).toMatchObject({
			prompt: 'p',
			imageStrength: 0.5,
			imageRef_1: usImages[0],
			imageRef_2: usImages[1],
		});
	});
});

describe('validation stops a request before anything is sent', () => {
	const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
		[
			'prompt too long',
			'dreaminaGenerateVideo',
			{ inputMode: 'prompt', prompt: 'x'.repeat(15_001) },
			/Prompt \(prompt\): must be at most 15000/,
		],
		[
			'duration the model does not take',
			'dreaminaGenerateVideo',
			{ inputMode: 'prompt', prompt: 'p', model: 'seedance-1.5-pro', duration: 7 },
			/Duration \(Seconds\) \(duration\): seedance-1.5-pro takes 5, 10 or 12 seconds, not 7/,
		],
		[
			'1080p on seedance-2.0 on a US account',
			'dreaminaGenerateVideo',
			{ account: US, inputMode: 'prompt', prompt: 'p', model: 'seedance-2.0', resolution: '1080p' },
			/Resolution[^(]*\(resolution\): seedance-2.0 supports 720p only on US accounts/,
		],
		[
			'model the account does not offer (its live model list)',
			'dreaminaGenerateVideo',
			{ account: US, inputMode: 'prompt', prompt: 'p', model: 'sora2' },
			/Model \(model\): sora2 is not offered by US:us-user@example\.com; it offers .*seedance-2\.0,/,
		],
		[
			'mode the model lacks',
			'dreaminaGenerateVideo',
			{
				inputMode: 'end_frame',
				firstFrameSource: 'assetRef',
				firstFrameRef: 'CA:a@b.co-image:w10:h10:s1-uri:x',
				endFrameSource: 'assetRef',
				endFrameRef: 'CA:a@b.co-image:w10:h10:s1-uri:y',
				model: 'sora2',
			},
			/does not support First and Last Frame/,
		],
		[
			'one keyframe',
			'dreaminaGenerateVideo',
			{
				inputMode: 'multi_frame',
				model: 'seedance-1.0-mini',
				keyframes: {
					keyframe: [
						{ source: 'assetRef', imageRef: 'US:a@b.co-image:w10:h10:s1-uri:x', duration: 5 },
					],
				},
			},
			/Keyframes › Keyframe 2 › Asset Ref \(frame_2_imageRef\): Multi-Frame needs 2–10 keyframes/,
		],
		[
			'keyframe durations not adding up',
			'dreaminaGenerateVideo',
			{
				inputMode: 'multi_frame',
				model: 'seedance-1.0-mini',
				keyframes: {
					keyframe: [
						{ source: 'assetRef', imageRef: 'US:a@b.co-image:w10:h10:s1-uri:x', duration: 4 },
						{ source: 'assetRef', imageRef: 'US:a@b.co-image:w10:h10:s1-uri:y', duration: 5 },
					],
				},
			},
			/add up to 4 s/,
		],
		[
			'omni ref not in prompt',
			'dreaminaGenerateVideo',
			{
				inputMode: 'omni',
				prompt: 'dance',
				model: 'seedance-2.0',
				imageReferences: {
					reference: [{ source: 'assetRef', assetRef: 'CA:a@b.co-image:w10:h10:s1-uri:x' }],
				},
			},
			/Image References › Image 1 › Asset Ref \(omni_1_imageRef\): is not used in the prompt: write @image1 where it belongs/,
		],
		[
			'first/last frames of different shapes',
			'dreaminaGenerateVideo',
			{
				inputMode: 'end_frame',
				firstFrameSource: 'assetRef',
				firstFrameRef: 'CA:a@b.co-image:w1920:h1080:s1-uri:x',
				endFrameSource: 'assetRef',
				endFrameRef: 'CA:a@b.co-image:w1080:h1920:s1-uri:y',
			},
			/same aspect ratio/,
		],
		[
			'image prompt required',
			'dreaminaGenerateImage',
			{ model: 'nano-banana', prompt: '' },
			/Prompt \(prompt\): is required for nano-banana/,
		],
		[
			'too many image refs',
			'dreaminaGenerateImage',
			{
				model: 'seedream-3.0',
				prompt: 'p',
				referenceImages: {
					image: [
						{ source: 'assetRef', assetRef: 'US:a@b.co-image:w1:h1:s1-uri:x' },
						{ source: 'assetRef', assetRef: 'US:a@b.co-image:w1:h1:s1-uri:y' },
					],
				},
			},
			/seedream-3.0 takes at most 1 reference image/,
		],
		[
			'upscale of a video job',
			'dreaminaUpscaleImage',
			{ jobid: 'j0223140530123456789v-u12345-US:user@example.com-bot:dreamina' },
			/Job ID \(jobid\): must be the ID of an image generation job/,
		],
		[
			'max jobs out of range',
			'dreaminaGenerateImage',
			{ prompt: 'p', options: { maxJobs: 60 } },
			/Options › Max Jobs \(maxJobs\): must be 1–50/,
		],
	];
	it.each(cases)('%s', async (_name, node, parameters, message) => {
		const result = await run(node, { ...parameters, waitForCompletion: 'none' });
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(message);
		expect(result.error!.description).toMatch(/Nothing was sent to Dreamina/);
		expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	it('an invalid item among many stops every submission; with Continue On Fail only that item errors', async () => {
		const inputs = [{ p: 'ok one' }, { p: '' }, { p: 'ok two' }];
		const parameters = { inputMode: 'prompt', prompt: '={{ $json.p }}', waitForCompletion: 'none' };
		const stopped = await run('dreaminaGenerateVideo', parameters, { inputs });
		expect(stopped.error!.message).toMatch(/Prompt \(prompt\): is required/);
		expect(posts('/videos')).toHaveLength(0);

		const tolerant = await run('dreaminaGenerateVideo', parameters, {
			inputs,
			continueOnFail: true,
		});
		const out = tolerant.output('Dreamina');
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[1].json.error).toMatch(/Prompt \(prompt\): is required/);
		expect(out[0].json.status).toBe('created');
		expect(posts('/videos')).toHaveLength(2);
	});
});

describe('waiting', () => {
	it('polls fewer times than a fixed 10-second poll would (time scaled 1:50)', async () => {
		// Scaled by 1/50: the default video schedule (first check 45 s, then ≤ 30 s apart) becomes 0.9 s / 0.6 s,
		// and the fixed 10 s poll becomes 0.2 s. Jobs of 60 s and 180 s become 1.2 s and 3.6 s.
		for (const durationMs of [1200, 3600]) {
			emu.setOptions({ jobDurationMs: { video: durationMs } });
			emu.clearRequests();
			const result = await run('dreaminaGenerateVideo', {
				account: CA,
				inputMode: 'prompt',
				prompt: 'p',
				waitForCompletion: 'poll',
				options: { downloadResult: false, firstCheckSeconds: 0.9, maxIntervalSeconds: 0.6 },
			});
			expect(result.output('Dreamina')[0].json.status).toBe('completed');
			const jobGets = gets('/videos/').length;
			const fixedPoll = Math.ceil(durationMs / 200);
			expect(jobGets).toBeGreaterThanOrEqual(1);
			expect(jobGets).toBeLessThan(fixedPoll / 2);
		}
		emu.setOptions({ jobDurationMs: { video: 600 } });
	});

	it('stops polling when the execution is cancelled', async () => {
		const result = await run(
			'dreaminaGenerateVideo',
			{ account: CA, inputMode: 'prompt', prompt: 'p [slow]', ...WAIT },
			{ cancelAfterMs: 1500 },
		);
		expect(result.status).toBe('canceled');
		const seen = gets('/videos/').length;
		await delay(1200);
		expect(gets('/videos/').length).toBe(seen);
	});

	it('20 items on one account with maxJobs 3: input order, never more than 3 at once, no duplicates', async () => {
		const account = 'CA:small@example.com';
		emu.setOptions({ accounts: [{ email: 'small@example.com', region: 'CA', maxJobs: 3 }] });
		try {
			const inputs = Array.from({ length: 20 }, (_, i) => ({ n: i }));
			const result = await run(
				'dreaminaGenerateImage',
				{ account, prompt: '=picture {{ $json.n }}', ...NO_DOWNLOAD },
				{ inputs, timeoutMs: 60_000 },
			);
			expect(result.error).toBeUndefined();
			const out = result.output('Dreamina');
			expect(out.map((i) => (i.json.request as { prompt?: string }).prompt)).toEqual(
				inputs.map((i) => `picture ${i.n}`),
			);
			expect(out.map((i) => i.pairedItem)).toEqual(inputs.map((_, n) => ({ item: n })));
			expect(out.every((i) => i.json.status === 'completed')).toBe(true);
			expect(emu.maxConcurrent[account]).toBeLessThanOrEqual(3);
			const prompts = posts('/images').map((r) => (r.body as { prompt?: string }).prompt);
			expect(new Set(prompts).size).toBe(20);
			expect(prompts).toHaveLength(20);
		} finally {
			emu.reset();
		}
	});
});

describe('failed jobs', () => {
	it('a content-filtered job errors with its code, meaning and jobid', async () => {
		const result = await run('dreaminaGenerateVideo', {
			account: CA,
			inputMode: 'prompt',
			prompt: 'p [fail:2038]',
			...WAIT,
		});
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(/job failed: content filtered \(code 2038\)/);
		expect(result.error!.description).toMatch(/Job ID: j\d+v-u/);
	});
});

describe('retry policy: credits are never spent twice', () => {
	const video = { account: CA, inputMode: 'prompt', prompt: 'p', ...NO_DOWNLOAD };

	it('a POST that fails with 5xx is not resent: the node looks for the job, finds none, and says so', async () => {
		emu.injectFault({
			method: 'POST',
			path: '/videos',
			status: 502,
			body: { error: 'Bad gateway' },
		});
		const result = await run('dreaminaGenerateVideo', video);
		expect(result.error!.message).toMatch(
			/The reply to the submission was lost, and no matching job is executing on CA:ca-user@example\.com/,
		);
		expect(result.error!.description).toMatch(
			/nothing was sent again and no credits were spent twice.*\(The Dreamina API failed \(502\)/,
		);
		expect(posts('/videos')).toHaveLength(1);
	});

	it('a POST whose connection drops after the job was created is not resent: the job is found and followed', async () => {
		emu.injectFault({ method: 'POST', path: '/videos', drop: true, afterHandling: true });
		const result = await run('dreaminaGenerateVideo', video);
		expect(result.error).toBeUndefined();
		expect(posts('/videos')).toHaveLength(1);
		const [item] = result.output('Dreamina');
		// the job the one POST created (its reply was lost), followed to the end
		expect(item.json.status).toBe('completed');
		const job = emu.jobs.get(item.json.jobid as string);
		expect(Date.parse(job?.created ?? '')).toBeGreaterThanOrEqual(posts('/videos')[0].time - 1000);
		expect(item.json.submissionRecovered).toMatch(
			/This job was found among the account’s executing jobs.*Nothing was sent again/,
		);
	});

	it('429 "at capacity" created nothing: it waits and retries', async () => {
		emu.injectFault({
			method: 'POST',
			path: '/videos',
			status: 429,
			body: { error: 'All accounts at capacity' },
			times: 1,
		});
		const result = await run('dreaminaGenerateVideo', video, { timeoutMs: 40_000 });
		expect(result.error).toBeUndefined();
		expect(posts('/videos')).toHaveLength(2);
		expect(result.output('Dreamina')[0].json.status).toBe('completed');
	});

	it('GETs recover from 5xx and dropped connections', async () => {
		emu.injectFault({
			method: 'GET',
			path: /\/videos\/.+/,
			status: 503,
			body: { error: 'busy' },
			times: 1,
		});
		emu.injectFault({ method: 'GET', path: /\/videos\/.+/, drop: true, times: 1 });
		const result = await run('dreaminaGenerateVideo', video, { timeoutMs: 40_000 });
		expect(result.error).toBeUndefined();
		expect(result.output('Dreamina')[0].json.status).toBe('completed');
		expect(posts('/videos')).toHaveLength(1);
	});

	it('downloads recover from a connection cut mid-file', async () => {
		emu.injectFault({ method: 'GET', path: /\/files\/.+\.mp4$/, drop: true, times: 1 });
		await expectVideoResult(
			await run('dreaminaGenerateVideo', { ...video, ...WAIT }, { timeoutMs: 40_000 }),
		);
	});
});

describe('documented HTTP errors read clearly', () => {
	const cases: Array<[number, string, RegExp, RegExp]> = [
		[
			400,
			'Parameter model (x) valid values: a, b',
			/rejected the request.*\(400\).*Parameter model/,
			/Change Model \(model\)/,
		],
		[401, 'Unauthorized', /API token was refused \(401\)/, /paste a valid useapi.net API token/],
		[
			402,
			'Account has no subscription or subscription expired',
			/subscription or not enough credits \(402\)/,
			/Renew/,
		],
		[
			404,
			'Unable to find configuration for account CA:ca-user@example.com',
			/account not found \(404\)/,
			/Pick an account/,
		],
		[429, 'All accounts at capacity', /at capacity \(429\)/, /Nothing was created/],
		[
			596,
			'Session expired',
			/session of CA:ca-user@example.com has expired \(596\)/,
			/Re-add the account/,
		],
		// a 5xx to a POST may hide a created job: see 'retry policy' above
	];
	it.each(cases)('%d', async (status, apiError, message, description) => {
		emu.injectFault({
			method: 'POST',
			path: '/videos',
			status,
			body: { error: apiError },
			times: status === 429 ? 0 : 1,
		});
		const result = await run(
			'dreaminaGenerateVideo',
			{
				account: CA,
				inputMode: 'prompt',
				prompt: 'p',
				waitForCompletion: 'poll',
				options: { timeoutMinutes: 0.1, capacityWaitMinutes: 0.05 },
			},
			{ timeoutMs: 40_000 },
		);
		expect(result.error!.message).toMatch(message);
		expect(result.error!.description).toMatch(description);
		expect(result.error!.httpCode).toBe(String(status));
		expect(JSON.stringify(result.executionData)).not.toContain(emu.token);
	});

	it('a wrong token is reported as 401 and never echoed', async () => {
		const workflow = chain([
			{
				name: 'Dreamina',
				type: dreamina('dreaminaGenerateVideo'),
				parameters: { inputMode: 'prompt', prompt: 'p', waitForCompletion: 'none' },
			},
		]);
		const result = await runWorkflow({
			workflow,
			credentials: { dreaminaApi: { apiToken: 'wrong-token-123', baseUrl: emu.baseUrl } },
		});
		expect(result.error!.message).toMatch(/refused \(401\)/);
		expect(JSON.stringify(result.executionData)).not.toContain('wrong-token-123');
	});
});
