/** Dreamina Get Job: the jobid alone picks the endpoint; it can wait and download like the generation nodes. */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina, FAST_POLL, items } from './support/workflows';

const CA = 'CA:ca-user@example.com';
let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 800, image: 400, upscale: 400 },
		videoBytes: 120_000,
	});
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());

const submit = (path: string, body: object) => emulatorClient(emu).submitJob(path, body);
const completed = (jobid: string) => emulatorClient(emu).jobLeftCreated(jobid);

function getJobs(jobids: string[], parameters: Record<string, unknown>, continueOnFail = false) {
	const workflow = chain([
		items(jobids.map((jobid) => ({ jobid }))),
		{
			name: 'Get Job',
			type: dreamina('dreaminaGetJob'),
			parameters: { jobid: '={{ $json.jobid }}', ...parameters },
			continueOnFail,
		},
	]);
	return runWorkflow({ workflow, credentials, timeoutMs: 30_000 });
}

it('reads video, image and upscale jobs from the endpoint their jobid names', async () => {
	const video = await submit('/videos', { account: CA, prompt: 'p' });
	const image = await submit('/images', { account: CA, prompt: 'p' });
	await completed(image);
	const upscale = await submit('/images/upscale', { jobid: image });
	emu.clearRequests();
	const result = await getJobs([video, image, upscale], { waitForCompletion: 'none' });
	const out = result.output('Get Job');
	expect(out.map((i) => i.json.type)).toEqual(['video', 'image', 'upscale']);
	expect(emu.requests.map((r) => r.path.split('/').slice(3, 4)[0])).toEqual([
		'videos',
		'images',
		'images',
	]);
	expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

it('waits for running jobs and downloads their results', async () => {
	const video = await submit('/videos', { account: CA, prompt: 'p' });
	const image = await submit('/images', { account: CA, prompt: 'p' });
	const result = await getJobs([video, image], {
		waitForCompletion: 'poll',
		options: { downloadResult: true, ...FAST_POLL },
	});
	const [v, i] = result.output('Get Job');
	expect(v.json.status).toBe('completed');
	expect(v.binary!.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
	expect((await result.readBinary(v.binary!.data)).length).toBe(120_000);
	expect(Object.keys(i.binary!)).toEqual(['data', 'data_1', 'data_2', 'data_3']);
});

it('a failed job is an error when waiting', async () => {
	const video = await submit('/videos', { account: CA, prompt: 'p [fail:2057]' });
	const result = await getJobs([video], { waitForCompletion: 'poll', options: FAST_POLL });
	expect(result.error!.message).toMatch(/upstream processing error \(code 2057\)/);
	expect(result.error!.description).toContain(video);
});
