/**
 * Wait for Callback in-process: the node submits with replyUrl = this execution's resume URL, the
 * execution waits (no polling), and the API's terminal callback resumes it through the node's webhook.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { callWebhook, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina, items } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const BASE = 'http://127.0.0.1:9/';
let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 300, image: 200, upscale: 200 },
		videoBytes: 50_000,
	});
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());
beforeEach(() => emu.clearRequests());

const workflow = (parameters: Record<string, unknown>, inputs?: object[]) =>
	chain([
		...(inputs ? [items(inputs)] : []),
		{
			name: 'Video',
			type: dreamina('dreaminaGenerateVideo'),
			parameters: {
				account: CA,
				inputMode: 'prompt',
				prompt: 'p',
				waitForCompletion: 'callback',
				...parameters,
			},
		},
		{ name: 'After', type: 'n8n-nodes-base.noOp' },
	]);

async function submitAndWait(parameters: Record<string, unknown> = {}) {
	const wf = workflow(parameters);
	const waiting = await runWorkflow({ workflow: wf, credentials, webhookBaseUrl: BASE });
	expect(waiting.status).toBe('waiting');
	const [post] = emulatorClient(emu).posts('/videos');
	const replyUrl = (post.body as { replyUrl: string }).replyUrl;
	const jobid = [...emu.jobs.values()].find((j) => j.request.replyUrl === replyUrl)!.jobid;
	return { wf, waiting, replyUrl, jobid };
}

async function finished(jobid: string) {
	await emulatorClient(emu).jobLeftCreated(jobid, 2500);
	return JSON.parse(JSON.stringify(emu.jobs.get(jobid)));
}

it('waits without polling and resumes with the downloaded result on the completion callback', async () => {
	const { wf, waiting, replyUrl, jobid } = await submitAndWait();
	expect(replyUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/webhook-waiting\/.+/);
	expect(waiting.waitTill!.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);

	// The submission callback does not resume it.
	const submitted = await callWebhook({
		workflow: wf,
		method: 'POST',
		resume: waiting,
		body: { ...emu.jobs.get(jobid), status: 'created' },
		credentials,
		webhookBaseUrl: BASE,
	});
	expect(submitted.statusCode).toBe(200);
	expect(submitted.run).toBeUndefined();

	const record = await finished(jobid);
	expect(
		emu.requests.filter((r) => r.method === 'GET' && r.path.includes('/videos/')),
	).toHaveLength(0);
	const resumed = await callWebhook({
		workflow: wf,
		method: 'POST',
		resume: waiting,
		body: record,
		credentials,
		webhookBaseUrl: BASE,
	});
	expect(resumed.statusCode).toBe(200);
	expect(resumed.run!.status).toBe('success');
	const [item] = resumed.run!.output('After');
	expect(item.json).toMatchObject({ jobid, status: 'completed' });
	expect(item.binary!.data).toMatchObject({ mimeType: 'video/mp4' });
	expect((await resumed.run!.readBinary(item.binary!.data)).length).toBe(50_000);
});

// a job of another execution: test/callback-many.test.ts
it('refuses a callback about a job this execution did not submit, and malformed bodies', async () => {
	const { wf, waiting, jobid } = await submitAndWait();
	const mine = await finished(jobid);
	const unknown = await callWebhook({
		workflow: wf,
		method: 'POST',
		resume: waiting,
		body: { ...mine, jobid: jobid.replace(/^j\d+/, 'j999') },
		credentials,
		webhookBaseUrl: BASE,
	});
	expect(unknown.statusCode).toBe(403);
	const malformed = await callWebhook({
		workflow: wf,
		method: 'POST',
		resume: waiting,
		body: { hello: 'world' },
		credentials,
		webhookBaseUrl: BASE,
	});
	expect(malformed.statusCode).toBe(400);
});

it('a failed job resumes the execution with a clear error', async () => {
	const { wf, waiting, jobid } = await submitAndWait({ prompt: 'p [fail:2038]' });
	const resumed = await callWebhook({
		workflow: wf,
		method: 'POST',
		resume: waiting,
		body: await finished(jobid),
		credentials,
		webhookBaseUrl: BASE,
	});
	// n8n answers the callback with an error and marks the execution failed with the node's error.
	expect(resumed.statusCode).toBeGreaterThanOrEqual(500);
	if (resumed.run) {
		expect(resumed.run.status).toBe('error');
		expect(resumed.run.error!.message).toMatch(/content filtered \(code 2038\)/);
	} else {
		expect(JSON.stringify(resumed.body)).toMatch(
			/content filtered \(code 2038\)|Workflow could not be started|error/i,
		);
	}
});

// Many items in one waiting execution: test/callback-many.test.ts.
