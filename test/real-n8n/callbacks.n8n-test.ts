/**
 * Callbacks in a running n8n 2.41.1 (`n8n start`, WEBHOOK_URL = the server), with the API emulator
 * posting its replyUrl callbacks to it over 127.0.0.1:
 *
 * - examples/callback-trigger.json + callback-submit.json: the submitting workflow (Don't Wait,
 *   Reply URL = the trigger's Production URL; the node adds ?secret= from the credential's Callback
 *   Secret) → the emulator's completion callback
 *   starts the activated trigger workflow with the finished job and its MP4; forged calls are
 *   refused and start nothing.
 * - Generate Video with Wait for Callback: the execution waits with no polling, the completion
 *   callback to its resume URL resumes it with the MP4; a failed job ends it with the API's error;
 *   a timeout (TIMEOUT_CASE_MINUTES, job never finishes) ends it with the timeout error and jobid.
 *
 * One server for the file. n8n's wait tracker looks for due waiting executions once at start and
 * then every 60 s, so the timeout case (last) restarts the server once the execution waits: the
 * start-up look schedules it at its waitTill (~18 s instead of up to 60 s, and it shows a waiting
 * execution survives a restart). The timeout leaves the stop and start well before waitTill: a
 * resume that fires while the old server shuts down is interrupted and marked crashed.
 */
import { randomUUID } from 'crypto';

import type { Emulator, JobRecord } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import {
	EXAMPLE_CREDENTIAL,
	N8nTestInstance,
	assertSucceeded,
	describeExecution,
	freePort,
	nodeBinaries,
	nodeItems,
	readBinary,
	readExample,
	workflowNode,
	type ExecutionResult,
	type N8nServer,
	type WorkflowJson,
} from './n8n';
import {
	delay,
	fileSize,
	joinPath,
	listDir,
	keepFolders,
	makeDir,
	removeDir,
	repoPath,
	report,
	tempDir,
} from '../support/system';

const VIDEO_BYTES = 180_000;
/** The credential's Callback Secret: the trigger (version 2) checks it, the submitting node adds it. */
const CALLBACK_PHRASE = 'callback-phrase-for-tests-42';
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files/dreamina';
const EXAMPLE_N8N_URL = 'https://n8n.example.com/';
const CREDENTIAL_REF = {
	dreaminaApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
};

const filesDir = tempDir('dreamina-callback-files-');
const n8n = new N8nTestInstance({ env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
let emu: Emulator;
let server: N8nServer;
let port: number;

/** The timeout case's Timeout: long enough that the restart ends before its waitTill (see above). */
const TIMEOUT_CASE_MINUTES = 0.3;
/** The node's timeout message for that case, e.g. "still running after 0.3 minutes". */
const TIMEOUT_CASE_MESSAGE = new RegExp(
	`still running after ${String(TIMEOUT_CASE_MINUTES).replace('.', '\\.')} minutes`,
);

/** Generate Video with Wait for Callback, as the editor would export it. */
function callbackWaitWorkflow(id: string, prompt: string, timeoutMinutes: number): WorkflowJson {
	return {
		id,
		name: `Wait for Callback: ${prompt}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: 'Generate Video',
				type: 'n8n-nodes-dreamina.dreaminaGenerateVideo',
				typeVersion: 2,
				position: [260, 0],
				webhookId: randomUUID(),
				credentials: CREDENTIAL_REF,
				parameters: {
					inputMode: 'prompt',
					model: 'seedance-1.5-pro',
					prompt,
					waitForCompletion: 'callback',
					options: { timeoutMinutes },
				},
			},
			{
				id: randomUUID(),
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [520, 0],
				parameters: {},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Generate Video', type: 'main', index: 0 }]] },
			'Generate Video': { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const WF = {
	trigger: 'dreaminaExCbTrg1',
	submit: 'dreaminaExCbSub1',
	waitOk: 'cbWaitSuccess001',
	waitFail: 'cbWaitFailed0001',
	waitTimeout: 'cbWaitTimeout001',
	draft: 'dreaminaExDraft01',
};

/** examples/draft-then-finish.json with fast polling (emulator jobs take seconds, not minutes). */
function draftExample(): WorkflowJson {
	const wf = example('draft-then-finish');
	for (const node of wf.nodes)
		if (node.parameters?.waitForCompletion === 'poll')
			node.parameters.options = { firstCheckSeconds: 0.5, maxIntervalSeconds: 0.5 };
	return wf;
}

/** The example as a user sets it up on this server: its URL in the Reply URL, files in the test folder. */
function example(file: string): WorkflowJson {
	const text = JSON.stringify(readExample(file))
		.split(EXAMPLE_FILES_DIR)
		.join(filesDir)
		.split(EXAMPLE_N8N_URL)
		.join(`http://127.0.0.1:${port}/`);
	return JSON.parse(text);
}

function jobOfExecution(executionId: string): JobRecord {
	const job = [...emu.jobs.values()].find((j) =>
		String(j.request.replyUrl ?? '').includes(`/webhook-waiting/${executionId}?`),
	);
	if (!job) throw new Error(`no emulator job has the resume URL of execution ${executionId}`);
	return job;
}

function jobReads(jobid: string) {
	return emu.requests.filter(
		(r) => r.method === 'GET' && r.path === `/v1/dreamina/videos/${jobid}`,
	);
}

async function executionsOf(
	workflowId: string,
): Promise<Array<{ id: string; status: string; mode?: string }>> {
	return await server.listExecutions(workflowId);
}

async function until<T>(
	what: string,
	fn: () => Promise<T | undefined> | T | undefined,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(200);
	}
}

function expectMp4(exec: ExecutionResult, nodeName: string): void {
	const [binary] = nodeBinaries(exec, nodeName);
	expect(binary.data).toMatchObject({ mimeType: 'video/mp4', bytes: VIDEO_BYTES });
	const bytes = readBinary(n8n.userFolder, binary.data);
	expect(bytes.length).toBe(VIDEO_BYTES);
	expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 2500, image: 300, upscale: 300 },
		videoBytes: VIDEO_BYTES,
	});
	port = await freePort();
	makeDir(joinPath(filesDir, 'results')); // the example's output folder (n8n does not create it)
	await n8n.packAndInstall();
	await n8n.importCredential({
		...EXAMPLE_CREDENTIAL,
		data: { apiToken: emu.token, baseUrl: emu.baseUrl, callbackSecret: CALLBACK_PHRASE },
	});
	await n8n.importWorkflow([
		example('callback-trigger'),
		example('callback-submit'),
		callbackWaitWorkflow(WF.waitOk, 'A paper boat drifting down a rainy street', 5),
		callbackWaitWorkflow(WF.waitFail, 'Something the filter refuses [fail:2038]', 5),
		callbackWaitWorkflow(WF.waitTimeout, 'A job that never finishes [slow]', TIMEOUT_CASE_MINUTES),
		draftExample(),
	]);
	server = await n8n.startServer({ port });
	await server.ensureOwnerAndLogin();
}, 180_000);

afterAll(async () => {
	await server?.stop();
	await emu?.close();
	n8n.cleanup();
	if (!keepFolders()) removeDir(filesDir);
});

test('every example saves through the editor’s REST API (what “Import from File” does) with its nodes recognised', async () => {
	const files = listDir(repoPath('examples')).filter((f) => f.endsWith('.json'));
	expect(files.length).toBeGreaterThanOrEqual(6);
	for (const file of files) {
		const { id: _id, ...wf } = readExample(file);
		void _id;
		const saved = await server.createWorkflow(wf);
		expect(saved).toMatchObject({ id: expect.any(String), name: wf.name });
		expect(saved.nodes.map((n: { name: string }) => n.name)).toEqual(wf.nodes.map((n) => n.name));
		await server.rest('DELETE', `/workflows/${saved.id}`).catch(async () => {
			await server.rest('POST', `/workflows/${saved.id}/archive`, {});
			await server.rest('DELETE', `/workflows/${saved.id}`);
		});
	}
	const types = new Set((await server.nodeTypes()).map((t) => t.name));
	for (const file of files)
		for (const node of readExample(file).nodes) expect(types).toContain(node.type);
});

describe('examples/callback-submit.json → Dreamina API → examples/callback-trigger.json', () => {
	let productionUrl: string;
	let completedJob: JobRecord;

	test('the submitted job’s completion callback starts the activated trigger workflow with the job and its MP4', async () => {
		await server.activateWorkflow(WF.trigger);
		const trigger = workflowNode(readExample('callback-trigger'), 'Dreamina Trigger');
		productionUrl = `${server.url}/webhook/${trigger.webhookId}/dreamina`;
		const secret = CALLBACK_PHRASE;

		const submitId = await server.runWorkflow(WF.submit);
		const submitted = await server.waitForExecution(submitId);
		assertSucceeded(submitted);
		const [job] = nodeItems(submitted, 'Submit Video Job');
		expect(job).toMatchObject({ status: 'created' });
		expect(emu.jobs.get(job.jobid)!.request.replyUrl).toBe(`${productionUrl}?secret=${secret}`);

		const [summary] = await until('the trigger workflow’s execution', async () => {
			const list = await executionsOf(WF.trigger);
			return list.length ? list : undefined;
		});
		const run = await server.waitForExecution(summary.id);
		assertSucceeded(run);
		const [item] = nodeItems(run, 'Dreamina Trigger');
		expect(item).toMatchObject({
			event: 'completed',
			jobid: job.jobid,
			status: 'completed',
			replyRef: `execution-${submitId}`,
		});
		expect(item.request.replyUrl).toBe(`${productionUrl}?secret=***`); // the secret is not passed on
		expectMp4(run, 'Dreamina Trigger');
		// … and Save Result to Disk wrote it where the example says (the test's folder here)
		const [saved] = nodeBinaries(run, 'Save Result to Disk');
		const written = joinPath(filesDir, 'results', saved.data.fileName!);
		expect(fileSize(written)).toBe(VIDEO_BYTES);

		// the API called back twice (submitted, completed); only the completion started the workflow
		const calls = emu.callbacks.filter((c) => c.url.startsWith(productionUrl));
		expect(calls.map((c) => [(c.body as JobRecord).status, c.status])).toEqual([
			['created', 200],
			['completed', 200],
		]);
		expect(await executionsOf(WF.trigger)).toHaveLength(1);
		completedJob = emu.jobs.get(job.jobid)!;
	}, 90_000);

	test('a forged callback (no secret, a wrong one, or an unknown job) is refused and starts nothing', async () => {
		expect(completedJob).toBeDefined();
		const before = (await executionsOf(WF.trigger)).length;
		const post = async (url: string, body: unknown) => {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return res.status;
		};
		const secret = CALLBACK_PHRASE;
		expect(await post(productionUrl, completedJob)).toBe(401);
		expect(
			await post(`${productionUrl}?secret=wrong-secret-of-sufficient-length`, completedJob),
		).toBe(401);
		const unknown = { ...completedJob, jobid: completedJob.jobid.replace(/^j\d{4}/, 'j9999') };
		expect([403, 404]).toContain(await post(`${productionUrl}?secret=${secret}`, unknown));
		await delay(1000);
		expect(await executionsOf(WF.trigger)).toHaveLength(before);
	}, 30_000);
});

test('examples/draft-then-finish.json: three drafts, the Wait node resumed with ?draft=2, that draft finished in 1080p', async () => {
	emu.clearRequests();
	const executionId = await server.runWorkflow(WF.draft);
	const waiting = await server.waitForExecution(executionId, {
		until: ['waiting', 'success', 'error', 'crashed'],
		timeoutMs: 60_000,
	});
	if (waiting.status !== 'waiting') throw new Error(describeExecution(waiting));
	const drafts = nodeItems(waiting, 'Draft Takes');
	expect(drafts.map((d) => d.model)).toEqual(Array(3).fill('seedance-2.5-draft'));
	const pick = new URL(server.resumeUrl(waiting));
	pick.searchParams.set('draft', '2');
	expect((await fetch(pick)).status).toBe(200);
	const done = await server.waitForExecution(executionId, { timeoutMs: 60_000 });
	if (done.status !== 'success') throw new Error(describeExecution(done));
	const [finished] = nodeItems(done, 'Finish in 1080p');
	expect(finished).toMatchObject({ status: 'completed', request: { jobid: drafts[1].jobid } });
	expectMp4(done, 'Finish in 1080p');
	const posts = emu.requests.filter((r) => r.method === 'POST' && r.path.includes('/videos'));
	expect(posts.map((r) => r.path.replace('/v1/dreamina', '')).sort()).toEqual([
		'/videos',
		'/videos',
		'/videos',
		'/videos/full-quality',
	]);
	expect(posts.find((r) => r.path.endsWith('/full-quality'))?.body).toMatchObject({
		jobid: drafts[1].jobid,
		resolution: '1080p',
	});
}, 120_000);

describe('Generate Video › Wait for Callback in a running server', () => {
	test('waits without polling, the completion callback to the resume URL resumes it with the MP4', async () => {
		const executionId = await server.runWorkflow(WF.waitOk);
		const waiting = await server.waitForExecution(executionId, {
			until: ['waiting', 'success', 'error', 'crashed'],
		});
		expect(waiting.status).toBe('waiting');
		const job = jobOfExecution(executionId);
		expect(job.status).toBe('created'); // still running upstream (2.5 s), and the execution waits
		expect(job.request.replyUrl).toBe(server.resumeUrl(waiting));
		expect(jobReads(job.jobid)).toHaveLength(0);

		const done = await server.waitForExecution(executionId, { timeoutMs: 30_000 });
		if (done.status !== 'success') throw new Error(describeExecution(done));
		const [item] = nodeItems(done, 'After');
		expect(item).toMatchObject({ jobid: job.jobid, status: 'completed' });
		expectMp4(done, 'Generate Video');

		// Zero reads before the completion callback; the one read after it is webhook() verifying the job.
		const completedAt = Date.parse(emu.jobs.get(job.jobid)!.updated!);
		const reads = jobReads(job.jobid);
		expect(reads.filter((r) => r.time < completedAt)).toHaveLength(0);
		expect(reads).toHaveLength(1);
		const calls = emu.callbacks.filter((c) => c.url === job.request.replyUrl);
		// The submission callback comes while the node is still running (before n8n saved the execution
		// as waiting): n8n 2.41 answers it 500 (TypeError reading data.resumeToken). Harmless: the node
		// keeps waiting for the terminal callback either way.
		expect(calls.map((c) => (c.body as JobRecord).status)).toEqual(['created', 'completed']);
		expect(calls[1].status).toBe(200);
	}, 60_000);

	test('a failed job ([fail:2038]) ends the execution with the content-filter error', async () => {
		const executionId = await server.runWorkflow(WF.waitFail);
		const done = await server.waitForExecution(executionId, { timeoutMs: 30_000 });
		expect(done.status).toBe('error');
		expect(done.error?.message).toMatch(/content filtered \(code 2038\)/i);
		const job = jobOfExecution(executionId);
		expect(job).toMatchObject({ status: 'failed' });
		expect(jobReads(job.jobid).filter((r) => r.time < Date.parse(job.updated!))).toHaveLength(0);
	}, 60_000);

	test('a job that never finishes: the timeout ends the execution and reports the jobid (server restarted while it waits)', async () => {
		const startedAt = Date.now();
		const executionId = await server.runWorkflow(WF.waitTimeout);
		const waiting = await server.waitForExecution(executionId, {
			until: ['waiting', 'success', 'error', 'crashed'],
		});
		expect(waiting.status).toBe('waiting');
		// n8n's wait tracker would find it within 60 s; after a restart it looks at once
		await server.stop();
		server = await n8n.startServer({ port });
		await server.login();
		const done = await server.waitForExecution(executionId, { timeoutMs: 60_000 });
		const job = jobOfExecution(executionId);
		const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
		report(
			`[callbacks] timeout execution ${executionId} ended ${done.status} ${seconds} s after it started (timeout ${TIMEOUT_CASE_MINUTES * 60} s, server restarted)`,
		);
		expect(job.status).toBe('created');
		expect(jobReads(job.jobid)).toHaveLength(0);
		// n8n 2.41 resumes a waiting node at its waitTill by disabling it (WorkflowExecute.handleWaitingState):
		// execute() is not called again and the node passes on the items of its execution-stack entry.
		// Either way the timeout must be reported with the jobid: as the node's error, or as an output
		// item saying so (if the node leaves such an item in its stack entry before it waits).
		if (done.status === 'success') {
			const out = nodeItems(done, 'Generate Video');
			expect(out).toEqual([
				expect.objectContaining({
					jobid: job.jobid,
					error: expect.stringMatching(TIMEOUT_CASE_MESSAGE),
				}),
			]);
			return;
		}
		expect(done.status).toBe('error');
		expect(done.error?.node ?? done.data?.resultData?.lastNodeExecuted).toBe('Generate Video');
		expect(JSON.stringify(done.error)).toContain(job.jobid);
		expect(done.error?.message).toMatch(TIMEOUT_CASE_MESSAGE);
	}, 120_000);
});
