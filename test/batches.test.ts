/**
 * Batches without waste, through n8n's engine against the emulator: one scheduler read a tick for
 * many jobs, no second paid job on n8n's Retry On Fail, and a lost reply reconciled with the job it
 * created (never with another request's job).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { disposeHarness, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import type { RawNodeSpec } from './support/workflows';
import { CREDENTIAL_REF, chain, dreamina, items, linearWorkflow } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const FAST = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 };

let emu: Emulator;
let client: ReturnType<typeof emulatorClient>;
const credentials = () => ({ dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } });

const video = (parameters: IDataObject = {}): IDataObject => ({
	account: { __rl: true, mode: 'id', value: CA },
	inputMode: 'prompt',
	prompt: '={{ $json.prompt }}',
	model: { __rl: true, mode: 'id', value: 'seedance-2.0' },
	waitForCompletion: 'poll',
	options: { ...FAST },
	...parameters,
});

async function generate(prompts: string[], parameters: IDataObject = {}, timeoutMs = 30_000) {
	return await runWorkflow({
		workflow: chain([
			items(prompts.map((prompt) => ({ prompt }))),
			{
				name: 'Dreamina',
				type: dreamina('dreaminaGenerateVideo'),
				typeVersion: 2,
				parameters: video(parameters),
			},
		]),
		credentials: credentials(),
		timeoutMs,
	});
}

const schedulerReads = () => client.gets('/scheduler');
const jobReads = () => client.gets('/videos/');

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 1500, image: 300, upscale: 300 },
		render: false,
	});
	client = emulatorClient(emu);
});
afterAll(async () => {
	await emu.close();
	await disposeHarness();
});
beforeEach(() => {
	emu.clearRequests();
	emu.clearFaults();
});

describe('one read for many jobs', () => {
	it('five jobs share scheduler reads; each job is read once, after it left the scheduler', async () => {
		const result = await generate(['a', 'b', 'c', 'd', 'e'].map((p) => `scene ${p}`));
		expect(result.error).toBeUndefined();
		expect(result.output('Dreamina').map((item) => item.json.status)).toEqual(
			Array(5).fill('completed'),
		);
		expect(client.posts('/videos')).toHaveLength(5);
		expect(jobReads()).toHaveLength(5);
		expect(schedulerReads().length).toBeGreaterThan(0);
		// every job read came after a scheduler read that no longer listed it
		const firstJobRead = Math.min(...jobReads().map((r) => r.time));
		expect(Math.min(...schedulerReads().map((r) => r.time))).toBeLessThan(firstJobRead);
	});

	it('a single job is read directly, as before: no scheduler read', async () => {
		const result = await generate(['alone']);
		expect(result.error).toBeUndefined();
		expect(schedulerReads()).toHaveLength(0);
		expect(jobReads().length).toBeGreaterThanOrEqual(1);
	});

	it('when the scheduler can’t be read, due jobs are read one by one', async () => {
		emu.injectFault({ method: 'GET', path: '/scheduler', status: 503, times: 0 });
		const result = await generate(['x', 'y', 'z']);
		expect(result.error).toBeUndefined();
		expect(result.output('Dreamina').map((item) => item.json.status)).toEqual(
			Array(3).fill('completed'),
		);
		expect(jobReads().length).toBeGreaterThan(3);
	});
});

describe("n8n's Retry On Fail never submits a paid job twice", () => {
	it('a download that fails on the first try: the retry carries on with the same jobs', async () => {
		emu.setOptions({ jobDurationMs: { video: 400 } });
		try {
			// The first result download gets a 404 (not retried by the node): the first try fails.
			emu.injectFault({ method: 'GET', path: /\/files\//, status: 404, times: 1 });
			const specs: RawNodeSpec[] = [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
				{
					name: 'Items',
					type: 'test.setJson',
					parameters: {
						json: JSON.stringify([{ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }]),
					},
				},
				{
					name: 'Dreamina',
					type: dreamina('dreaminaGenerateVideo'),
					typeVersion: 2,
					parameters: video(),
					extra: {
						credentials: CREDENTIAL_REF,
						retryOnFail: true,
						maxTries: 2,
						waitBetweenTries: 0,
					},
				},
			];
			const result = await runWorkflow({
				workflow: linearWorkflow(specs, 'retry on fail'),
				credentials: credentials(),
				timeoutMs: 30_000,
			});
			expect(result.error).toBeUndefined();
			const out = result.output('Dreamina');
			expect(out.map((item) => item.binary?.data.mimeType)).toEqual(Array(3).fill('video/mp4'));
			expect(out.every((item) => item.json.submissionResumed === true)).toBe(true);
			expect(client.posts('/videos')).toHaveLength(3);
			expect(emu.requests.filter((r) => r.path.includes('/files/')).length).toBeGreaterThan(3);
		} finally {
			emu.setOptions({ jobDurationMs: { video: 1500 } });
		}
	});
});

// the lost reply itself (found and followed; a 5xx that created nothing): test/generation.test.ts
describe('a lost reply is reconciled, never with a foreign job', () => {
	it('a foreign job of the same model and request created just before is never taken as ours', async () => {
		const foreign = await client.submitJob('/videos', {
			account: CA,
			model: 'seedance-2.0',
			prompt: 'same words',
		});
		// Our request is dropped before the API handles it: it created nothing.
		emu.injectFault({ method: 'POST', path: '/videos', drop: true });
		const result = await generate(['same words']);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/no matching job is executing on CA:ca-user@example.com/);
		expect(result.error?.description).toMatch(/nothing was sent again/);
		expect(JSON.stringify(result.executionData)).not.toContain(foreign);
		expect(client.posts('/videos')).toHaveLength(2); // the foreign one and ours, each once
	});

	it('with a foreign job beside ours, only ours (sent inside the window) is adopted', async () => {
		const foreign = await client.submitJob('/videos', {
			account: CA,
			model: 'seedance-2.0',
			prompt: 'twin prompt',
		});
		emu.injectFault({ method: 'POST', path: '/videos', drop: true, afterHandling: true });
		const result = await generate(['twin prompt']);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Dreamina');
		expect(item.json.jobid).not.toBe(foreign);
		expect(item.json.submissionRecovered).toBeDefined();
	});
});
