/**
 * Dreamina Trigger in a running n8n 2.41.1 (`n8n start`, SQLite), with the API emulator
 * posting its replyUrl callbacks to it over 127.0.0.1:
 * - an activated trigger (secret in the Dreamina API credential): a completed job's callback
 *   starts one execution with the verified record and the MP4; the submission callback and a
 *   repeated completion start nothing;
 * - n8n honours the answer webhook() sends before it returns: the API gets its answer while the
 *   download is still running, and the execution then starts with the file;
 * - forged calls are refused (401 / 400 / 403) and start nothing;
 * - neither `n8n export:workflow`, the execution data, the database file nor the log holds the
 *   Callback Secret.
 */
import type { Emulator, JobRecord } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import { withCallbackSecret } from '../../nodes/shared/callbackSecret';
import { delay, joinPath, readText, fileExists } from '../support/system';
import { linearWorkflow } from '../support/workflows';
import {
	N8nTestInstance,
	assertSucceeded,
	freePort,
	nodeBinaries,
	nodeItems,
	readBinary,
	type ExecutionResult,
	type N8nServer,
} from './n8n';

const VIDEO_BYTES = 180_000;
/** A test value (the lint rejects literal secrets unless they say so). */
const CALLBACK_SECRET = 'example-real-n8n-callback-secret-5c1f';
const WORKFLOW_SECRET = 'example-real-n8n-workflow-secret-8e2b';
const CREDENTIAL = { id: 'dreaminaTrgCred1', name: 'Dreamina (trigger test)' };
const WEBHOOK_V2 = '4b8c2d1e-7f3a-4e59-9c0d-1a2b3c4d5e6f';
const NODE = 'Dreamina Trigger';

function triggerWorkflow(name: string, webhookId: string) {
	const workflow = linearWorkflow(
		[
			{
				name: NODE,
				type: 'n8n-nodes-dreamina.dreaminaTrigger',
				parameters: {},
				extra: {
					webhookId,
					credentials: { dreaminaApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
				},
			},
			{ name: 'After', type: 'n8n-nodes-base.noOp' },
		],
		name,
	);
	return { ...workflow, id: name.replace(/\W/g, '').slice(0, 16) };
}

const V2 = triggerWorkflow('trigger v2 test', WEBHOOK_V2);

const n8n = new N8nTestInstance();
let emu: Emulator;
let server: N8nServer;
let productionUrl: string;

async function executionsOf(workflowId: string): Promise<Array<{ id: string; status: string }>> {
	return (await server.listExecutions(workflowId)) as Array<{ id: string; status: string }>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(200);
	}
}

/** The next execution of the workflow after `known` of them, finished. */
async function nextExecution(workflowId: string, known: number): Promise<ExecutionResult> {
	const list = await until('the trigger’s execution', async () => {
		const all = await executionsOf(workflowId);
		return all.length > known ? all : undefined;
	});
	return await server.waitForExecution(list[0].id);
}

async function post(url: string, body: unknown): Promise<{ status: number; ms: number }> {
	const startedAt = Date.now();
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(10_000),
	});
	await response.arrayBuffer();
	return { status: response.status, ms: Date.now() - startedAt };
}

async function api(method: string, path: string, body?: unknown): Promise<JobRecord> {
	const response = await fetch(emu.baseUrl + path, {
		method,
		headers: { Authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as JobRecord;
}

function expectMp4(exec: ExecutionResult): void {
	const [binary] = nodeBinaries(exec, NODE);
	expect(binary.data).toMatchObject({ mimeType: 'video/mp4' });
	const bytes = readBinary(n8n.userFolder, binary.data);
	expect(bytes.length).toBe(VIDEO_BYTES);
	expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 300, image: 300, upscale: 300 },
		videoBytes: VIDEO_BYTES,
	});
	const port = await freePort();
	await n8n.packAndInstall();
	await n8n.importCredential({
		...CREDENTIAL,
		type: 'dreaminaApi',
		data: { apiToken: emu.token, baseUrl: emu.baseUrl, callbackSecret: CALLBACK_SECRET },
	});
	await n8n.importWorkflow([V2]);
	server = await n8n.startServer({ port });
	await server.ensureOwnerAndLogin();
	await server.activateWorkflow(V2.id);
	productionUrl = `${server.url}/webhook/${WEBHOOK_V2}/dreamina`;
}, 240_000);

afterAll(async () => {
	await server?.stop();
	await emu?.close();
	n8n.cleanup();
});

describe('in a running n8n', () => {
	test('a completed job’s callback starts one execution with the verified record and the MP4', async () => {
		// The Reply URL the generation nodes build: the Production URL + the credential's secret.
		const replyUrl = withCallbackSecret(productionUrl, CALLBACK_SECRET);
		const submitted = await api('POST', '/videos', {
			prompt: '[slow] a kite over a wheat field',
			replyUrl,
			replyRef: 'order-7',
		});
		await until('the submission callback', async () =>
			emu.callbacks.some((c) => c.url === replyUrl) ? true : undefined,
		);
		emu.completeJob(submitted.jobid);
		const run = await nextExecution(V2.id, 0);
		assertSucceeded(run);
		const [item] = nodeItems(run, NODE);
		expect(item).toMatchObject({
			event: 'completed',
			replyRef: 'order-7',
			jobid: submitted.jobid,
			status: 'completed',
			dedupeKey: `${submitted.jobid}:completed`,
		});
		expect(item.request.replyUrl).toBe(`${productionUrl}?secret=***`);
		expectMp4(run);
		expect(nodeItems(run, 'After')).toHaveLength(1);

		const sent = emu.callbacks.filter((c) => c.url === replyUrl);
		expect(sent.map((c) => [(c.body as JobRecord).status, c.status])).toEqual([
			['created', 200],
			['completed', 200],
		]);
		// The same completion again (a redelivery): answered, no second execution.
		expect((await post(replyUrl, emu.jobs.get(submitted.jobid))).status).toBe(200);
		await delay(1500);
		expect(await executionsOf(V2.id)).toHaveLength(1);
	}, 90_000);

	test('the answer comes before a slow download finishes; the execution then starts with the file', async () => {
		const known = (await executionsOf(V2.id)).length;
		const created = await api('POST', '/videos', { prompt: '[slow] slow to download' });
		emu.completeJob(created.jobid);
		const job = await api('GET', `/videos/${encodeURIComponent(created.jobid)}`);
		const file = new URL(String(job.response!.videoUrl)).pathname;
		const DOWNLOAD_DELAY_MS = 4000;
		emu.injectFault({ method: 'GET', path: file, delayMs: DOWNLOAD_DELAY_MS });
		const answer = await post(withCallbackSecret(productionUrl, CALLBACK_SECRET), job);
		expect(answer.status).toBe(200);
		expect(answer.ms).toBeLessThan(1500);
		const run = await nextExecution(V2.id, known);
		assertSucceeded(run);
		expect(nodeItems(run, NODE)[0]).toMatchObject({ jobid: created.jobid, event: 'completed' });
		expectMp4(run);
		const download = emu.requests.find((r) => r.path === file)!;
		expect(Date.parse(String(run.startedAt)) - download.time).toBeGreaterThanOrEqual(
			DOWNLOAD_DELAY_MS - 500,
		); // the execution started once the file was in
	}, 90_000);

	test('forged calls are refused and start nothing', async () => {
		const known = (await executionsOf(V2.id)).length;
		const other = await api('POST', '/images', { prompt: '[slow] not for forgers' });
		emu.completeJob(other.jobid);
		const image = await api('GET', `/images/${encodeURIComponent(other.jobid)}`);
		const withSecret = withCallbackSecret(productionUrl, CALLBACK_SECRET);
		expect((await post(productionUrl, image)).status).toBe(401);
		expect(
			(await post(withCallbackSecret(productionUrl, 'example-wrong-secret-of-length'), image))
				.status,
		).toBe(401);
		expect((await post(withCallbackSecret(productionUrl, WORKFLOW_SECRET), image)).status).toBe(
			401,
		);
		expect(
			(await post(withSecret, { jobid: 'not-a-dreamina-job', status: 'completed' })).status,
		).toBe(400);
		const unknown = { ...image, jobid: image.jobid.replace(/^j\d{4}/, 'j9999') };
		expect((await post(withSecret, unknown)).status).toBe(403);
		await delay(1500);
		expect(await executionsOf(V2.id)).toHaveLength(known);
	}, 60_000);

	test('no Callback Secret in n8n export:workflow, the execution data, the database file or the log', async () => {
		const exportFile = joinPath(n8n.userFolder, 'exported-workflows.json');
		const exported = await n8n.cli(['export:workflow', '--all', `--output=${exportFile}`]);
		expect(exported.code).toBe(0);
		expect(fileExists(exportFile)).toBe(true);
		const workflows = readText(exportFile);
		expect(workflows).toContain(WEBHOOK_V2);
		expect(workflows).not.toContain(CALLBACK_SECRET);

		const executions = await executionsOf(V2.id);
		expect(executions.length).toBeGreaterThanOrEqual(2);
		for (const { id } of executions) {
			expect(JSON.stringify(await server.getExecution(id))).not.toContain(CALLBACK_SECRET);
		}
		// The credential is stored encrypted; nothing else in n8n's database holds the secret.
		for (const file of ['database.sqlite', 'database.sqlite-wal']) {
			const path = joinPath(n8n.userFolder, '.n8n', file);
			if (fileExists(path)) expect(readText(path)).not.toContain(CALLBACK_SECRET);
		}
		expect(server.logs()).not.toContain(CALLBACK_SECRET);
	}, 120_000);
});
