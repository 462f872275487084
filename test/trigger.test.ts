/**
 * Dreamina Trigger: callbacks from the emulator (and forged ones) delivered through the in-process
 * harness (n8n's WebhookContext + WorkflowExecute).
 *
 * Static data is handled as n8n does for production webhooks (LiveWebhooks): every request loads the
 * workflow's static data as stored, and what the request changed is written back when the request is
 * answered (last writer wins), so concurrent requests do not share one in-memory object.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DreaminaTrigger } from '../nodes/DreaminaTrigger/DreaminaTrigger.node';
import { RECHECK_DELAY_MS, parseCallback } from '../nodes/DreaminaTrigger/callback';
import {
	callbackKey,
	redactSecret,
	rememberCallback,
	secretMatches,
	secretProblem,
} from '../nodes/DreaminaTrigger/security';
import { mapWithConcurrency } from '../nodes/shared/jobRunner';
import type { CallWebhookResult } from './harness';
import { activateWebhook, callWebhook, disposeHarness } from './harness';
import type { Emulator, JobRecord } from './emulator/server';
import { startEmulator } from './emulator/server';

const SECRET = 'tr1gger-Secret-9f3a7c2e5b81';
const WEBHOOK_ID = '7d1c9a52-3b4e-4f60-9a0b-5c2d8e1f4a11';
const NODE = 'Dreamina Trigger';
const TYPE = 'n8n-nodes-dreamina.dreaminaTrigger';
const BASE_URL = 'https://n8n.example.com';
const VIDEO_BYTES = 96 * 1024;
const extraNodeTypes = { [TYPE]: new DreaminaTrigger() };

let workflowCount = 0;

/** A workflow with the trigger; each call is another workflow (id) unless `id` is given. */
function triggerWorkflow(
	parameters: IDataObject = {},
	id = `wf-dreamina-trigger-${++workflowCount}`,
) {
	return {
		id,
		name: 'Dreamina callbacks',
		nodes: [
			{
				id: 'a1',
				name: NODE,
				type: TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { secret: SECRET, ...parameters },
				credentials: { dreaminaApi: { id: '1', name: 'Dreamina account' } },
			},
			{
				id: 'a2',
				name: 'Next',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [NODE]: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The workflow's stored static data, loaded and saved per request as n8n's LiveWebhooks does. */
class StaticDataStore {
	data: IDataObject = {};

	seen(): string[] {
		return (
			((this.data[`node:${NODE}`] as IDataObject | undefined)?.seen as string[] | undefined) ?? []
		);
	}
}

let emu: Emulator;
const creds = () => ({ dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } });
const calls: CallWebhookResult[] = [];

interface Delivery {
	workflow?: object;
	body?: unknown;
	query?: Record<string, string>;
	store?: StaticDataStore;
	path?: string;
	mode?: 'webhook' | 'manual';
	nodeTypes?: typeof extraNodeTypes;
}

async function deliver({
	workflow = triggerWorkflow(),
	body,
	query = { secret: SECRET },
	store = new StaticDataStore(),
	path,
	mode,
	nodeTypes = extraNodeTypes,
}: Delivery) {
	const loaded = clone(store.data);
	const result = await callWebhook({
		workflow,
		nodeName: NODE,
		method: 'POST',
		path,
		query,
		body,
		credentials: creds(),
		webhookBaseUrl: BASE_URL,
		staticData: loaded,
		extraNodeTypes: nodeTypes,
		mode,
	});
	if (JSON.stringify(result.staticData) !== JSON.stringify(clone(store.data)))
		store.data = result.staticData;
	calls.push(result);
	return result;
}

async function api<T = JobRecord>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(emu.baseUrl + path, {
		method,
		headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (!response.ok)
		throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(json)}`);
	return json;
}

const jobPath = (job: { jobid: string; type?: string }) =>
	`/${job.type === 'video' ? 'videos' : 'images'}/${encodeURIComponent(job.jobid)}`;

async function waitFor<T>(
	what: string,
	probe: () => T | undefined | false,
	timeoutMs = 15_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** A finished job's record as the API serves it (what it also POSTs to the replyUrl). */
async function finishedJob(
	kind: 'video' | 'image',
	prompt = 'a lighthouse at dusk',
): Promise<JobRecord> {
	const created = await api('POST', kind === 'video' ? '/videos' : '/images', {
		prompt: `[slow] ${prompt}`,
	});
	emu.completeJob(created.jobid);
	return await api('GET', jobPath(created));
}

const itemOf = (result: CallWebhookResult): INodeExecutionData => {
	expect(result.run?.status).toBe('success');
	const items = result.run!.output(NODE);
	expect(items).toHaveLength(1);
	expect(result.run!.output('Next')).toHaveLength(1);
	return items[0];
};

const expectNothingStarted = (result: CallWebhookResult) => {
	expect(result.run).toBeUndefined();
	expect(result.workflowData).toBeUndefined();
};

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 250, image: 150, upscale: 150 },
		videoBytes: VIDEO_BYTES,
	});
});

afterAll(async () => {
	await emu.close();
	await disposeHarness();
	// Nothing the caller or the workflow saw ever holds the API token.
	for (const call of calls) {
		expect(call.rawBody.toString('utf8')).not.toContain(emu.token);
		expect(JSON.stringify(call.run?.executionData ?? {})).not.toContain(emu.token);
		expect(JSON.stringify(call.webhookError ?? {})).not.toContain(emu.token);
	}
});

describe('secret, verification and emitted records', () => {
	test('end to end: the API calls back twice; the completion starts exactly one execution with the video as binary', async () => {
		const store = new StaticDataStore();
		const workflow = triggerWorkflow();
		const deliveries: CallWebhookResult[] = [];
		// Stands in for n8n's HTTP layer: what the emulator POSTs to the replyUrl goes to the trigger.
		const bridge = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://bridge');
				void deliver({
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
					store,
					workflow,
				}).then((result) => {
					deliveries.push(result);
					res
						.writeHead(result.statusCode, { 'content-type': 'application/json' })
						.end(result.rawBody);
				});
			});
		});
		await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve));
		try {
			const port = (bridge.address() as AddressInfo).port;
			const replyUrl = `http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/dreamina?secret=${SECRET}`;
			// [slow]: the emulator completes it when told, so the submission callback is handled first.
			const submitted = await api('POST', '/videos', {
				prompt: '[slow] waves on a black sand beach',
				replyUrl,
				replyRef: 'order-42',
			});
			await waitFor('the submission callback', () => deliveries.length === 1);
			emu.completeJob(submitted.jobid);

			await waitFor(
				'both callbacks',
				() =>
					emu.callbacks.filter((c) => c.url === replyUrl).length === 2 && deliveries.length === 2,
			);
			expect(emu.callbacks.filter((c) => c.url === replyUrl).map((c) => c.status)).toEqual([
				200, 200,
			]);

			// Submission callback: acknowledged, nothing started (only Job Completed is selected by default).
			const [onCreated, onCompleted] = deliveries;
			expect(onCreated).toMatchObject({
				statusCode: 200,
				body: { received: true, ignored: 'submitted events are not selected' },
			});
			expectNothingStarted(onCreated);

			expect(onCompleted.statusCode).toBe(200);
			expect(onCompleted.body).toEqual({
				received: true,
				event: 'completed',
				jobid: submitted.jobid,
			});
			expect(deliveries.filter((d) => d.run)).toHaveLength(1);
			const item = itemOf(onCompleted);
			const stored = emu.jobs.get(submitted.jobid)!;
			expect(item.json).toMatchObject({
				event: 'completed',
				replyRef: 'order-42',
				jobid: submitted.jobid,
				type: 'video',
				status: 'completed',
				response: { videoUrl: stored.response!.videoUrl },
			});
			// The Secret is not passed on in the emitted record.
			const emittedReplyUrl = (item.json.request as IDataObject).replyUrl as string;
			expect(emittedReplyUrl).toBe(
				`http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/dreamina?secret=***`,
			);
			expect(JSON.stringify(item.json)).not.toContain(SECRET);

			const video = item.binary!.data;
			expect(video.mimeType).toBe('video/mp4');
			expect(video.fileName).toMatch(/^dreamina-video-j\d+v\.mp4$/);
			const bytes = await onCompleted.run!.readBinary(video);
			expect(bytes.length).toBe(VIDEO_BYTES);
			expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
			// Exactly one dedupe key was stored, and it is a digest, not the jobid.
			expect(store.seen()).toEqual([callbackKey(submitted.jobid, 'completed')]);
			expect(JSON.stringify(store.data)).not.toContain(submitted.jobid);
		} finally {
			await new Promise((resolve) => bridge.close(resolve));
		}
	});

	test('an image job: its images go to data, data_1, data_2, data_3', async () => {
		const job = await finishedJob('image');
		const item = itemOf(await deliver({ body: job }));
		expect(Object.keys(item.binary!)).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		for (const binary of Object.values(item.binary!)) {
			expect(binary.mimeType).toBe('image/png');
			expect(binary.fileExtension).toBe('png');
		}
		expect(item.json.replyRef).toBeNull();
	});

	test('without the secret, or with a wrong one: 401, nothing started, the API not even asked', async () => {
		const job = await finishedJob('video');
		emu.clearRequests();
		const store = new StaticDataStore();
		const queries: Array<Record<string, string>> = [
			{},
			{ secret: '' },
			{ secret: 'wrong-secret-0000000000' },
			{ secret: SECRET.slice(0, -1) },
			{ token: SECRET },
		];
		for (const query of queries) {
			const result = await deliver({ body: job, query, store });
			expect(result).toMatchObject({ statusCode: 401, body: { error: 'Missing or wrong secret' } });
			expectNothingStarted(result);
		}
		expect(emu.requests).toHaveLength(0);
		expect(store.data).toEqual({});
	});

	test('a Secret that is too short or not URL-safe fails activation, and refuses every callback', async () => {
		const activated = await activateWebhook({
			workflow: triggerWorkflow(),
			nodeName: NODE,
			credentials: creds(),
			extraNodeTypes,
			webhookBaseUrl: BASE_URL,
		});
		expect(activated.created).toBe(true);
		expect(activated.webhookUrl).toBe(`${BASE_URL}/webhook/${WEBHOOK_ID}/dreamina`);

		for (const secret of ['', 'short', 'has spaces in it, and more']) {
			const workflow = triggerWorkflow({ secret });
			await expect(
				activateWebhook({ workflow, nodeName: NODE, credentials: creds(), extraNodeTypes }),
			).rejects.toThrow(/^Secret: /);
			const result = await deliver({
				workflow,
				body: { jobid: 'x', status: 'completed' },
				query: { secret },
			});
			expect(result.statusCode).toBe(500);
			expectNothingStarted(result);
		}
	});

	test('a forged "completed" record for a jobid the API does not have: refused, nothing started', async () => {
		const forged = {
			jobid: 'j0101000000000000000v-u12345-US:us-user@example.com-bot:dreamina',
			type: 'video',
			status: 'completed',
			response: { videoUrl: 'https://evil.example.com/payload.mp4' },
		};
		const store = new StaticDataStore();
		const result = await deliver({ body: forged, store });
		expect(result).toMatchObject({
			statusCode: 403,
			body: { error: expect.stringMatching(/^Unknown job/) },
		});
		expectNothingStarted(result);
		expect(store.data).toEqual({});
	});

	test('a forged record with a real jobid but fake URLs: the emitted record and binary are the API’s', async () => {
		const real = await finishedJob('video');
		const forged = {
			...real,
			replyRef: 'forged-ref',
			request: { ...real.request, replyRef: 'forged-ref' },
			response: {
				...real.response,
				videoUrl: 'https://evil.example.com/payload.mp4',
				coverUrl: 'https://evil.example.com/c.png',
			},
		};
		const item = itemOf(await deliver({ body: forged }));
		expect((item.json.response as IDataObject).videoUrl).toBe(real.response!.videoUrl);
		expect((item.json.response as IDataObject).coverUrl).toBe(real.response!.coverUrl);
		expect(item.json.replyRef).toBeNull();
		expect(JSON.stringify(item.json)).not.toContain('evil.example.com');
		expect(item.binary!.data.mimeType).toBe('video/mp4');
		expect(emu.requests.some((r) => r.path.startsWith('/files/') && r.status === 200)).toBe(true);
	});

	test('posted "completed" while the API says the job is still running: treated as the API says (submitted)', async () => {
		const running = await api('POST', '/images', { prompt: '[slow] still running' });
		const forged = {
			...running,
			status: 'completed',
			response: { images: [{ imageUrl: 'https://evil.example.com/i.png' }] },
		};
		const started = Date.now();
		const ignored = await deliver({ body: forged });
		expect(Date.now() - started).toBeGreaterThanOrEqual(RECHECK_DELAY_MS); // read again once before deciding
		expect(ignored).toMatchObject({
			statusCode: 200,
			body: { ignored: 'submitted events are not selected' },
		});
		expectNothingStarted(ignored);

		const asSubmitted = await deliver({
			body: forged,
			workflow: triggerWorkflow({ events: ['submitted', 'completed'] }),
		});
		const item = itemOf(asSubmitted);
		expect(item.json).toMatchObject({
			event: 'submitted',
			status: 'created',
			jobid: running.jobid,
		});
		expect(item.binary).toBeUndefined();
	});

	test('Verify With API off: the posted body is emitted as is (the documented risk) and nothing is downloaded', async () => {
		emu.clearRequests();
		const posted = {
			jobid: 'j0101000000000000001i-u12345-US:us-user@example.com-bot:dreamina',
			type: 'image',
			status: 'completed',
			request: {
				replyRef: 'unverified',
				replyUrl: `${BASE_URL}/webhook/${WEBHOOK_ID}/dreamina?secret=${SECRET}`,
			},
			response: { images: [{ imageUrl: 'https://evil.example.com/i.png' }] },
		};
		const workflow = triggerWorkflow({ verifyWithApi: false, downloadResult: true });
		const item = itemOf(await deliver({ body: posted, workflow }));
		expect(item.json).toMatchObject({
			event: 'completed',
			replyRef: 'unverified',
			response: posted.response,
		});
		expect((item.json.request as IDataObject).replyUrl).toBe(
			`${BASE_URL}/webhook/${WEBHOOK_ID}/dreamina?secret=***`,
		);
		expect(item.binary).toBeUndefined();
		expect(emu.requests).toHaveLength(0);
	});

	test('the API failing during verification: 502, nothing started, nothing remembered; a redelivery then works', async () => {
		const job = await finishedJob('video');
		emu.injectFault({
			method: 'GET',
			path: jobPath(job).replace(/%3A/g, ':').replace(/%40/g, '@'),
			status: 401,
			body: { error: 'Unauthorized' },
		});
		const store = new StaticDataStore();
		const refused = await deliver({ body: job, store });
		expect(refused).toMatchObject({
			statusCode: 502,
			body: { error: expect.stringMatching(/^Could not verify/) },
		});
		expectNothingStarted(refused);
		expect(store.data).toEqual({});
		const redelivered = await deliver({ body: job, store });
		expect(itemOf(redelivered).json.jobid).toBe(job.jobid);
	});

	test('a result that cannot be downloaded: the job is still emitted, with downloadError and no binary', async () => {
		const job = await finishedJob('video');
		const file = new URL(String(job.response!.videoUrl)).pathname;
		emu.injectFault({ method: 'GET', path: file, status: 404, body: { error: 'File not found' } });
		const result = await deliver({ body: job });
		expect(result.statusCode).toBe(200);
		const item = itemOf(result);
		expect(item.json).toMatchObject({
			event: 'completed',
			jobid: job.jobid,
			downloadError: {
				message: expect.stringMatching(/Could not download the result .*\(HTTP 404\)/),
			},
		});
		expect(item.binary).toBeUndefined();
	});

	test('malformed bodies: 400, nothing started, the API not asked', async () => {
		emu.clearRequests();
		const bodies: unknown[] = [
			[{ jobid: 'j1v-u1', status: 'completed' }],
			{ status: 'completed' },
			{ jobid: 42, status: 'completed' },
			{ jobid: '', status: 'completed' },
			{ jobid: 'not-a-dreamina-job', status: 'completed' },
			{ jobid: 'j0101000000000000000v-u12345-US:us-user@example.com-bot:dreamina', status: 'done' },
			{ jobid: 'j0101000000000000000v-u12345-US:us-user@example.com-bot:dreamina' },
		];
		for (const body of bodies) {
			const result = await deliver({ body });
			expect(result.statusCode).toBe(400);
			expect(result.body).toEqual({ error: expect.any(String) });
			expectNothingStarted(result);
		}
		const text = await callWebhook({
			workflow: triggerWorkflow(),
			nodeName: NODE,
			method: 'POST',
			query: { secret: SECRET },
			headers: { 'content-type': 'text/plain' },
			rawBody: Buffer.from('completed!'),
			credentials: creds(),
			extraNodeTypes,
		});
		expect(text.statusCode).toBe(400);
		expectNothingStarted(text);
		expect(emu.requests).toHaveLength(0);
	});
});

describe('filters', () => {
	test('events: a failed job starts the workflow only when Job Failed is selected', async () => {
		const created = await api('POST', '/videos', { prompt: '[slow] will fail' });
		emu.failJob(created.jobid, 2038);
		const failed = await api('GET', jobPath(created));

		const ignored = await deliver({ body: failed });
		expect(ignored).toMatchObject({
			statusCode: 200,
			body: { ignored: 'failed events are not selected' },
		});
		expectNothingStarted(ignored);

		const item = itemOf(
			await deliver({ body: failed, workflow: triggerWorkflow({ events: ['failed'] }) }),
		);
		expect(item.json).toMatchObject({
			event: 'failed',
			status: 'failed',
			code: 2038,
			jobid: created.jobid,
		});
		expect(item.binary).toBeUndefined();

		const completed = await finishedJob('video');
		const notSelected = await deliver({
			body: completed,
			workflow: triggerWorkflow({ events: ['failed'] }),
		});
		expect(notSelected.body).toMatchObject({ ignored: 'completed events are not selected' });
		expectNothingStarted(notSelected);
	});

	test('events: submission callbacks only when Job Submitted is selected', async () => {
		const created = await api('POST', '/images', {
			prompt: '[slow] just submitted',
			replyRef: 'sub-1',
		});
		expectNothingStarted(await deliver({ body: created }));
		const item = itemOf(
			await deliver({ body: created, workflow: triggerWorkflow({ events: ['submitted'] }) }),
		);
		expect(item.json).toMatchObject({ event: 'submitted', status: 'created', replyRef: 'sub-1' });
		expect(item.binary).toBeUndefined();
	});

	test('job types: empty means all; otherwise other kinds are acknowledged without asking the API', async () => {
		const image = await finishedJob('image');
		const upscaleJob = await api('POST', '/images/upscale', {
			jobid: image.jobid,
			imageIndex: 1,
			upscaleResolution: '2k',
			replyRef: 'up-1',
		});
		emu.completeJob(upscaleJob.jobid);
		const upscale = await api('GET', jobPath({ jobid: upscaleJob.jobid, type: 'upscale' }));

		emu.clearRequests();
		const videosOnly = triggerWorkflow({ jobTypes: ['video'] });
		for (const body of [image, upscale]) {
			const result = await deliver({ body, workflow: videosOnly });
			expect(result.body).toMatchObject({
				received: true,
				ignored: expect.stringMatching(/^(image|upscale) jobs are not selected$/),
			});
			expectNothingStarted(result);
		}
		expect(emu.requests).toHaveLength(0);

		const item = itemOf(
			await deliver({ body: upscale, workflow: triggerWorkflow({ jobTypes: ['upscale'] }) }),
		);
		expect(item.json).toMatchObject({ type: 'upscale', replyRef: 'up-1', event: 'completed' });
		expect(Object.keys(item.binary!)).toEqual(['data']);
		const all = itemOf(
			await deliver({
				body: upscale,
				workflow: triggerWorkflow({ jobTypes: [], binaryPropertyName: 'upscaled' }),
			}),
		);
		expect(Object.keys(all.binary!)).toEqual(['upscaled']);
	});
});

describe('load and duplicates', () => {
	test('a burst of 200 completed jobs, delivered 16 at a time: 200 answered, 200 executions, none lost', async () => {
		const burst = await startEmulator({
			accounts: ['a', 'b', 'c', 'd'].map((name) => ({
				email: `${name}@example.com`,
				region: 'US' as const,
				maxJobs: 50,
			})),
		});
		const main = emu;
		emu = burst;
		try {
			const jobids: string[] = [];
			for (let i = 0; i < 200; i++) {
				jobids.push(
					(await api('POST', '/images', { prompt: `[slow] burst ${i}`, replyRef: `burst-${i}` }))
						.jobid,
				);
			}
			for (const jobid of jobids) burst.completeJob(jobid);
			const records = jobids.map((jobid) => clone(burst.jobs.get(jobid)!));
			expect(records.every((r) => r.status === 'completed')).toBe(true);

			const store = new StaticDataStore();
			const workflow = triggerWorkflow();
			const results: CallWebhookResult[] = new Array(records.length);
			await mapWithConcurrency(records, 16, async (record, index) => {
				results[index] = await deliver({ body: record, store, workflow });
			});

			expect(results.filter((r) => r.statusCode === 200)).toHaveLength(200);
			const emitted = results.map((r) => itemOf(r));
			expect(new Set(emitted.map((item) => item.json.jobid))).toEqual(new Set(jobids));
			expect(emitted.map((item) => item.json.replyRef)).toEqual(jobids.map((_, i) => `burst-${i}`));
			expect(emitted.every((item) => Object.keys(item.binary ?? {}).length === 4)).toBe(true);

			// Every callback delivered again: all duplicates (the in-process list has all 200 keys).
			await mapWithConcurrency(records, 16, async (record) => {
				const again = await deliver({ body: record, store, workflow });
				expect(again.body).toEqual({ received: true, duplicate: true });
				expectNothingStarted(again);
			});

			// Concurrent requests each save the static data they loaded (last writer wins, as in n8n),
			// so the stored list lost keys written by overlapping requests. After a restart (a fresh
			// copy of the node's modules: empty in-process list), only the stored keys are known, and a
			// redelivery of a callback whose key was lost starts again: the documented limit.
			const stored = store.seen().length;
			expect(stored).toBeGreaterThan(0);
			expect(stored).toBeLessThanOrEqual(200); // in practice far fewer
			let restarted: typeof DreaminaTrigger | undefined;
			jest.isolateModules(() => {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				restarted = (
					require('../nodes/DreaminaTrigger/DreaminaTrigger.node') as {
						DreaminaTrigger: typeof DreaminaTrigger;
					}
				).DreaminaTrigger;
			});
			const afterRestart = { [TYPE]: new restarted!() };
			let startedAgain = 0;
			for (const record of records) {
				if ((await deliver({ body: record, store, workflow, nodeTypes: afterRestart })).run)
					startedAgain++;
			}
			expect(startedAgain).toBe(200 - stored);
			expect(store.seen()).toHaveLength(200);
		} finally {
			emu = main;
			await burst.close();
		}
	}, 120_000);

	test('the same terminal callback delivered three times starts one execution', async () => {
		const job = await finishedJob('video');
		const store = new StaticDataStore();
		const workflow = triggerWorkflow();
		const first = await deliver({ body: job, store, workflow });
		itemOf(first);
		for (let i = 0; i < 2; i++) {
			const again = await deliver({ body: job, store, workflow });
			expect(again).toMatchObject({ statusCode: 200, body: { received: true, duplicate: true } });
			expectNothingStarted(again);
		}
		// A posted "created" for the same job is checked with the API, which says completed: also a duplicate.
		const lateSubmission = await deliver({ body: { ...job, status: 'created' }, store, workflow });
		expect(lateSubmission.body).toEqual({ received: true, duplicate: true });
		expectNothingStarted(lateSubmission);
		// Another status of the same job is another event.
		const failed = await deliver({
			body: { ...job, status: 'failed' },
			store,
			workflow: triggerWorkflow({ verifyWithApi: false, events: ['failed'] }),
		});
		expect(itemOf(failed).json.event).toBe('failed');
		expect(store.seen()).toHaveLength(2);
	});

	test('five deliveries of one callback at the same time start one execution', async () => {
		const job = await finishedJob('image');
		const store = new StaticDataStore();
		const workflow = triggerWorkflow();
		const results = await Promise.all(
			Array.from({ length: 5 }, async () => await deliver({ body: job, store, workflow })),
		);
		expect(results.filter((r) => r.run)).toHaveLength(1);
		expect(results.filter((r) => (r.body as IDataObject).duplicate === true)).toHaveLength(4);
		expect(results.every((r) => r.statusCode === 200)).toBe(true);
	});

	test('test URL (manual mode): no duplicate check, so a callback can be sent again while building', async () => {
		const job = await finishedJob('image');
		const workflow = triggerWorkflow();
		const store = new StaticDataStore();
		for (let i = 0; i < 2; i++)
			itemOf(await deliver({ body: job, store, workflow, mode: 'manual' }));
		expect(store.data).toEqual({});
	});
});

describe('helpers', () => {
	test('secret checks', () => {
		expect(secretMatches(SECRET, SECRET)).toBe(true);
		expect(secretMatches(`${SECRET}x`, SECRET)).toBe(false);
		expect(secretMatches(['a'], SECRET)).toBe(false);
		expect(secretMatches('', '')).toBe(false);
		expect(secretProblem(SECRET)).toBeUndefined();
		expect(secretProblem('a'.repeat(15))).toMatch(/at least 16/);
		expect(secretProblem('a'.repeat(20) + '&x')).toMatch(/letters, digits/);
		expect(redactSecret('https://h/webhook/x/dreamina?a=1&secret=abc&b=2')).toBe(
			'https://h/webhook/x/dreamina?a=1&secret=***&b=2',
		);
	});

	test('the dedupe list is bounded, oldest out first', () => {
		const store: IDataObject = {};
		for (const key of ['k1', 'k2', 'k3', 'k4']) expect(rememberCallback(store, key, 3)).toBe(true);
		expect(store.seen).toEqual(['k2', 'k3', 'k4']);
		expect(rememberCallback(store, 'k3', 3)).toBe(false);
		expect(rememberCallback(store, 'k1', 3)).toBe(true);
		expect(callbackKey('j1v-u1', 'completed')).toHaveLength(16);
		expect(callbackKey('j1v-u1', 'completed')).not.toBe(callbackKey('j1v-u1', 'failed'));
	});

	test('parseCallback keeps the trimmed jobid and the kind it names', () => {
		expect(
			parseCallback({
				jobid: ' j0101000000000000000I-u1-US:a@b.c-bot:dreamina ',
				status: 'failed',
			}),
		).toMatchObject({
			jobid: 'j0101000000000000000I-u1-US:a@b.c-bot:dreamina',
			kind: 'upscale',
			status: 'failed',
		});
	});
});
