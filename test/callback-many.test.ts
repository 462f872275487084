/**
 * Wait for Callback with many items, in-process: one execution submits every item's job with its
 * resume URL, stays waiting (no job read) until every job has called back terminal, then resumes
 * once with one item per input item, in input order.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { callWebhook, disposeHarness, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import type { NodeSpec } from './support/workflows';
import { chain, dreamina, items } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const BASE = 'http://127.0.0.1:9/';
let emu: Emulator;
let client: ReturnType<typeof emulatorClient>;
const credentials = () => ({ dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } });

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 300, image: 200, upscale: 200 },
		videoBytes: 40_000,
		render: false,
	});
	client = emulatorClient(emu);
});
afterAll(async () => {
	await emu.close();
	await disposeHarness();
});
beforeEach(() => emu.clearRequests());

function workflow(prompts: string[], node: Partial<NodeSpec> = {}, options: IDataObject = {}) {
	return chain([
		items(prompts.map((prompt) => ({ prompt }))),
		{
			name: 'Video',
			type: dreamina('dreaminaGenerateVideo'),
			parameters: {
				account: { __rl: true, mode: 'id', value: CA },
				inputMode: 'prompt',
				prompt: '={{ $json.prompt }}',
				waitForCompletion: 'callback',
				options: { timeoutMinutes: 30, ...options },
			},
			...node,
		},
		{ name: 'After', type: 'n8n-nodes-base.noOp' },
	]);
}

async function submitAll(prompts: string[], node: Partial<NodeSpec> = {}) {
	const wf = workflow(prompts, node);
	const waiting = await runWorkflow({
		workflow: wf,
		credentials: credentials(),
		webhookBaseUrl: BASE,
	});
	expect(waiting.status).toBe('waiting');
	const posts = client.posts('/videos');
	expect(posts).toHaveLength(prompts.length);
	const replyUrls = new Set(posts.map((post) => (post.body as IDataObject).replyUrl));
	expect(replyUrls.size).toBe(1);
	const jobids = prompts.map(
		(prompt) => [...emu.jobs.values()].find((job) => job.request.prompt === prompt)!.jobid,
	);
	return { wf, waiting, jobids };
}

async function finished(jobid: string) {
	await client.jobLeftCreated(jobid, 3000);
	return JSON.parse(JSON.stringify(emu.jobs.get(jobid))) as IDataObject;
}

const callback = (
	wf: ReturnType<typeof workflow>,
	waiting: Awaited<ReturnType<typeof runWorkflow>>,
	body: IDataObject,
) =>
	callWebhook({
		workflow: wf,
		method: 'POST',
		resume: waiting,
		body,
		credentials: credentials(),
		webhookBaseUrl: BASE,
	});

it('three items: waits through the first callbacks without reading any job, resumes on the last', async () => {
	// [slow] jobs finish only when the test says so, one at a time, as real jobs do
	const prompts = ['first scene [slow]', 'second scene [slow]', 'third scene [slow]'];
	const { wf, waiting, jobids } = await submitAll(prompts);
	const complete = async (index: number) => {
		emu.completeJob(jobids[index]);
		return await finished(jobids[index]);
	};

	for (const index of [2, 0]) {
		const early = await callback(wf, waiting, await complete(index));
		expect(early.statusCode).toBe(200);
		expect(early.run).toBeUndefined();
	}
	expect(client.gets('/videos/')).toHaveLength(0);

	const last = await callback(wf, waiting, await complete(1));
	expect(last.statusCode).toBe(200);
	expect(last.run!.status).toBe('success');
	const out = last.run!.output('After');
	expect(out.map((item) => item.json.jobid)).toEqual(jobids);
	expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	for (const item of out) {
		expect(item.json.status).toBe('completed');
		expect((await last.run!.readBinary(item.binary!.data)).length).toBe(40_000);
	}
	// Once resumed, each job is read once (verified with the credential, fresh result links).
	expect(client.gets('/videos/')).toHaveLength(3);
});

it('a callback for a job of another execution is refused and the execution keeps waiting', async () => {
	const { wf, waiting, jobids } = await submitAll(['mine one', 'mine two']);
	const foreign = await client.submitJob('/videos', { account: CA, prompt: 'not mine' });
	const refused = await callback(wf, waiting, await finished(foreign));
	expect(refused.statusCode).toBe(403);
	expect(refused.run).toBeUndefined();
	// the submission callback of one of ours keeps it waiting too
	const created = await callback(wf, waiting, {
		...(await finished(jobids[0])),
		status: 'created',
	});
	expect(created.statusCode).toBe(200);
	expect(created.run).toBeUndefined();
});

it('a failed job among them: with Continue On Fail its item is an error item in its place', async () => {
	const { wf, waiting, jobids } = await submitAll(['fine [slow]', 'blocked [fail:2038]'], {
		onError: 'continueRegularOutput',
	});
	expect((await callback(wf, waiting, await finished(jobids[1]))).run).toBeUndefined();
	emu.completeJob(jobids[0]);
	const resumed = await callback(wf, waiting, await finished(jobids[0]));
	const out = resumed.run!.output('After');
	expect(out[0].json.status).toBe('completed');
	expect(out[1].json).toMatchObject({
		jobid: jobids[1],
		error: expect.stringMatching(/content filtered/),
	});
});
