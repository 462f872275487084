/**
 * Issue 9.2: Settings › On Error. With *Continue (using error output)* every node puts the items
 * that failed on its error output (output 1) and the others on the main output, each in input
 * order and paired with its input item; a failed job's jobid stays reachable on the error item.
 * With *Continue (using regular output)* everything stays on output 0, a failed item as
 * `{ error, description, jobid }`. Routing is n8n's own (WorkflowExecute.handleNodeErrorOutput).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { makePng } from './emulator/media';
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { joinPath, removeDir, tempDir, writeFile } from './support/system';
import type { NodeSpec } from './support/workflows';
import { chain, dreamina, items } from './support/workflows';

const US = 'US:us-user@example.com';
const CA = 'CA:ca-user@example.com';
const EXPIRED = 'CA:expired@example.com';
const FAST = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3, downloadResult: false };
const UNKNOWN_JOB = 'j0101000000000000000v-u99999-US:us-user@example.com-bot:dreamina';

let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };
let dir: string;
const jobs = { video: '', failedVideo: '', image: '' };

const client = () => emulatorClient(emu);
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300, image: 200, upscale: 200 } });
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
	dir = tempDir('dreamina-error-output-');
	writeFile(joinPath(dir, 'a.png'), makePng(640, 480, 1));
	writeFile(joinPath(dir, 'b.png'), makePng(480, 640, 2));
	jobs.video = await client().submitJob('/videos', {
		account: US,
		prompt: 'done',
		model: 'seedance-2.0',
	});
	jobs.failedVideo = await client().submitJob('/videos', {
		account: US,
		prompt: '[fail:2038] filtered',
		model: 'seedance-2.0',
	});
	jobs.image = await client().submitJob('/images', { account: US, prompt: 'a red kite' });
	for (const jobid of Object.values(jobs)) await client().jobLeftCreated(jobid);
});
afterAll(async () => {
	await emu.close();
	removeDir(dir);
});
beforeEach(() => emu.clearRequests());

interface Failure {
	/** the input item that fails */
	index: number;
	message: RegExp;
	/** whether the failure is about a job that exists (its jobid must be on the error item) */
	jobid?: () => RegExp | string;
}

interface Case {
	title: string;
	type: string;
	parameters: Record<string, unknown>;
	input: () => NodeSpec;
	count: number;
	failures: Failure[];
	/** what every successful item's JSON holds */
	success: Record<string, unknown>;
}

const fileItems = (list: Array<{ json: object; file?: string }>): NodeSpec => ({
	name: 'Items',
	type: 'test.binaryFixture',
	parameters: {
		items: JSON.stringify(
			list.map(({ json, file }) => ({
				json,
				files: file ? [{ path: joinPath(dir, file), mimeType: 'image/png', property: 'data' }] : [],
			})),
		),
	},
});

const CASES: Case[] = [
	{
		title: 'Generate Video: a failed job, a timed-out job and a refused request among good ones',
		type: dreamina('dreaminaGenerateVideo'),
		parameters: {
			account: rl(US),
			model: rl('seedance-2.0'),
			inputMode: 'prompt',
			prompt: '={{ $json.prompt }}',
			duration: "={{ $json.duration ?? '' }}",
			waitForCompletion: 'poll',
			// 3 s: the good jobs take 0.3 s, the [slow] one never ends
			options: { ...FAST, timeoutMinutes: 0.05 },
		},
		input: () =>
			items([
				{ prompt: 'first good one' },
				{ prompt: '[fail:2038] filtered' },
				{ prompt: 'too short', duration: 3 },
				{ prompt: '[slow] stuck' },
				{ prompt: 'second good one' },
			]),
		count: 5,
		failures: [
			{ index: 1, message: /job failed: .*code 2038/, jobid: () => /^j\d+v-u\d+-US:/ },
			{
				index: 2,
				message: /^Duration \(Seconds\) \(duration\): seedance-2\.0 takes 4–15 seconds, not 3/,
			},
			{ index: 3, message: /still running after 0\.05 minutes/, jobid: () => /^j\d+v-u\d+-US:/ },
		],
		success: { status: 'completed', type: 'video' },
	},
	{
		title: 'Generate Image: a failed job among good ones',
		type: dreamina('dreaminaGenerateImage'),
		parameters: {
			account: rl(CA),
			model: rl('seedream-4.5'),
			prompt: '={{ $json.prompt }}',
			waitForCompletion: 'poll',
			options: FAST,
		},
		input: () =>
			items([{ prompt: 'a kite' }, { prompt: '[fail:2043] risky' }, { prompt: 'a boat' }]),
		count: 3,
		failures: [{ index: 1, message: /job failed: .*code 2043/, jobid: () => /^j\d+i-u\d+-CA:/ }],
		success: { status: 'completed', type: 'image' },
	},
	{
		title: 'Upscale Image: a failed upscale and a video jobid among good ones',
		type: dreamina('dreaminaUpscaleImage'),
		parameters: {
			jobid: rl('={{ $json.jobid }}'),
			upscaleResolution: '2k',
			waitForCompletion: 'poll',
			options: { ...FAST, replyRef: "={{ $json.replyRef ?? '' }}" },
		},
		input: () =>
			items([
				{ jobid: jobs.image },
				{ jobid: jobs.image, replyRef: '[fail:2057]' },
				{ jobid: jobs.video },
				{ jobid: jobs.image },
			]),
		count: 4,
		failures: [
			{ index: 1, message: /job failed: .*code 2057/, jobid: () => /^j\d+I-u\d+-US:/ },
			{ index: 2, message: /^Job ID \(jobid\): must be the ID of an image generation job/ },
		],
		success: { status: 'completed', type: 'upscale' },
	},
	{
		title: 'Get Job: a failed job, a malformed and an unknown jobid among good ones',
		type: dreamina('dreaminaGetJob'),
		parameters: {
			jobid: rl('={{ $json.jobid }}'),
			waitForCompletion: 'poll',
			options: FAST,
		},
		input: () =>
			items([
				{ jobid: jobs.video },
				{ jobid: jobs.failedVideo },
				{ jobid: 'not-a-job' },
				{ jobid: UNKNOWN_JOB },
				{ jobid: jobs.image },
			]),
		count: 5,
		failures: [
			{ index: 1, message: /job failed: .*code 2038/, jobid: () => jobs.failedVideo },
			{ index: 2, message: /^Job ID: "not-a-job" is not a Dreamina job ID/ },
			{ index: 3, message: /^Job not found \(404\)/, jobid: () => UNKNOWN_JOB },
		],
		success: { status: 'completed' },
	},
	{
		title: 'Upload Asset: an item without a file and an expired account among good ones',
		type: dreamina('dreaminaUploadAsset'),
		parameters: { account: rl('={{ $json.account }}'), binaryPropertyName: 'data' },
		input: () =>
			fileItems([
				{ json: { account: US }, file: 'a.png' },
				{ json: { account: US } },
				{ json: { account: EXPIRED }, file: 'b.png' },
				{ json: { account: CA }, file: 'b.png' },
			]),
		count: 4,
		failures: [
			{ index: 1, message: /Input Binary Field/ },
			{ index: 2, message: /session of CA:expired@example\.com has expired \(596\)/ },
		],
		success: { assetRef: expect.any(String), type: 'image' },
	},
	{
		title: 'Dreamina (Account → Get): an unknown and a malformed account among good ones',
		type: dreamina('dreamina'),
		parameters: { resource: 'account', operation: 'get', account: rl('={{ $json.account }}') },
		input: () =>
			items([
				{ account: US },
				{ account: 'CA:missing@example.com' },
				{ account: 'nobody' },
				{ account: CA },
			]),
		count: 4,
		failures: [
			{ index: 1, message: /account not found \(404\)/i },
			{ index: 2, message: /^Account \(account\)/ },
		],
		success: { account: expect.stringMatching(/^(US|CA):/), models: expect.any(Object) },
	},
];

function runCase(c: Case, onError: NonNullable<NodeSpec['onError']>) {
	return runWorkflow({
		workflow: chain([c.input(), { name: 'Node', type: c.type, parameters: c.parameters, onError }]),
		credentials,
		timeoutMs: 40_000,
	});
}

const pairedIndex = (item: INodeExecutionData) => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : paired?.item;
};

describe.each(CASES)('$title', (c) => {
	const failed = new Set(c.failures.map((f) => f.index));
	const good = Array.from({ length: c.count }, (_, i) => i).filter((i) => !failed.has(i));

	it('Continue (using error output): failed items on output 1, the others on output 0, in order and paired', async () => {
		const result = await runCase(c, 'continueErrorOutput');
		expect(result.status).toBe('success');
		const main = result.output('Node', 0);
		const errors = result.output('Node', 1);
		expect(main.map(pairedIndex)).toEqual(good);
		expect(errors.map(pairedIndex)).toEqual(c.failures.map((f) => f.index));
		for (const item of main) {
			expect(item.json).not.toHaveProperty('error');
			expect(item.json).toMatchObject(c.success);
		}
		c.failures.forEach((failure, n) => {
			const { json } = errors[n];
			expect(json.error).toMatch(failure.message);
			const details = json.details as Record<string, unknown>;
			expect(details).toMatchObject({ description: expect.any(String) });
			if (failure.jobid) {
				const expected = failure.jobid();
				if (typeof expected === 'string') expect(details.jobid).toBe(expected);
				else expect(details.jobid).toMatch(expected);
			} else {
				expect(details).not.toHaveProperty('jobid');
			}
		});
	});

	it('Continue (using regular output): every item on output 0 in input order, failures as { error, description, jobid }', async () => {
		const result = await runCase(c, 'continueRegularOutput');
		expect(result.status).toBe('success');
		const main = result.output('Node', 0);
		expect(main.map(pairedIndex)).toEqual(Array.from({ length: c.count }, (_, i) => i));
		expect(result.runData.Node.at(-1)?.data?.main?.[1] ?? []).toHaveLength(0);
		for (const failure of c.failures) {
			const { json } = main[failure.index];
			expect(json.error).toMatch(failure.message);
			expect(typeof json.description).toBe('string');
			expect(Object.keys(json).sort()).toEqual(
				failure.jobid ? ['description', 'error', 'jobid'] : ['description', 'error'],
			);
		}
		for (const index of good) {
			expect(main[index].json).not.toHaveProperty('error');
			expect(main[index].json).toMatchObject(c.success);
		}
	});
});
