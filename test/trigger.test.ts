/**
 * Dreamina Trigger: callbacks from the emulator (and forged ones) delivered through the in-process
 * harness (n8n's WebhookContext + WorkflowExecute): the secret in the credential, the answer before
 * the download, in-memory duplicates, no per-call database work (no static data, the credential
 * read once per CREDENTIAL_CACHE_MS).
 *
 * Static data is handled as n8n does for production webhooks (LiveWebhooks): every request loads the
 * workflow's static data as stored, and what the request changed is written back when the request is
 * answered (last writer wins), so concurrent requests do not share one in-memory object.
 */
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeHelpers, sleep } from 'n8n-workflow';

import { DreaminaTrigger } from '../nodes/DreaminaTrigger/DreaminaTrigger.node';
import { RECHECK_DELAY_MS, dedupeKeyOf, parseCallback } from '../nodes/DreaminaTrigger/callback';
import { CREDENTIAL_CACHE_MS } from '../nodes/DreaminaTrigger/credentialCache';
import { secretMatches } from '../nodes/DreaminaTrigger/security';
import { callbackSecretOf, redactSecret, withCallbackSecret } from '../nodes/shared/callbackSecret';
import { mapWithConcurrency } from '../nodes/shared/itemRunner';
import type { CallWebhookResult } from './harness';
import { activateWebhook, callWebhook, disposeHarness } from './harness';
import type { Emulator, JobRecord } from './emulator/server';
import { startEmulator } from './emulator/server';
import { unusedPort } from './support/http-server';
import { CREDENTIAL_REF, linearWorkflow } from './support/workflows';

/** The Callback Secret (in the credential only). */
const CALLBACK_SECRET = 'example-v2-callback-secret-4d7e1a';
const WEBHOOK_ID = '7d1c9a52-3b4e-4f60-9a0b-5c2d8e1f4a11';
const NODE = 'Dreamina Trigger';
const TYPE = 'n8n-nodes-dreamina.dreaminaTrigger';
const BASE_URL = 'https://n8n.example.com';
const VIDEO_BYTES = 96 * 1024;

/** What n8n does per call that costs a database read or write, seen from the node's context. */
interface ContextUse {
	credentialReads: number;
	staticDataReads: number;
	/** when webhook() was called / the HTTP answer was complete / webhook() returned (Date.now()) */
	calledAt: number;
	answeredAt?: number;
	returnedAt?: number;
}

/**
 * The trigger with its context observed: getCredentials() (a database read in n8n) and
 * getWorkflowStaticData() (saved to the database when changed) are counted, and the times of the
 * HTTP answer and of webhook()'s return recorded. The node's own code runs unchanged.
 */
class ObservedTrigger extends DreaminaTrigger {
	readonly uses: ContextUse[] = [];

	constructor() {
		super();
		const { uses } = this;
		const webhook = DreaminaTrigger.prototype.webhook;
		this.webhook = async function (this: IWebhookFunctions): Promise<IWebhookResponseData> {
			const use: ContextUse = { credentialReads: 0, staticDataReads: 0, calledAt: Date.now() };
			uses.push(use);
			const getCredentials = this.getCredentials.bind(this);
			const getWorkflowStaticData = this.getWorkflowStaticData.bind(this);
			Object.assign(this, {
				getCredentials: async (...args: Parameters<typeof getCredentials>) => {
					use.credentialReads++;
					return await getCredentials(...args);
				},
				getWorkflowStaticData: (type: string) => {
					use.staticDataReads++;
					return getWorkflowStaticData(type);
				},
			});
			this.getResponseObject().on('finish', () => (use.answeredAt = Date.now()));
			try {
				return await webhook.call(this);
			} finally {
				use.returnedAt = Date.now();
			}
		};
	}

	total(field: 'credentialReads' | 'staticDataReads'): number {
		return this.uses.reduce((sum, use) => sum + use[field], 0);
	}
}

let observed = new ObservedTrigger();
const nodeTypes = () => ({ [TYPE]: observed });

let workflowCount = 0;

/**
 * A workflow with the trigger → a No Op, from the shared builder; each call is another workflow
 * (id) unless `name` is given. It holds no secret.
 */
function triggerWorkflow(
	parameters: IDataObject = {},
	name = `dreamina trigger ${++workflowCount}`,
	{ credentials = true }: { credentials?: boolean } = {},
) {
	return linearWorkflow(
		[
			{
				name: NODE,
				type: TYPE,
				parameters,
				extra: {
					webhookId: WEBHOOK_ID,
					...(credentials ? { credentials: CREDENTIAL_REF } : {}),
				},
			},
			{ name: 'Next', type: 'n8n-nodes-base.noOp' },
		],
		name,
	);
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
let credentialData: IDataObject = {};
const creds = () => ({
	dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl, ...credentialData },
});
const calls: CallWebhookResult[] = [];

interface Delivery {
	workflow?: object;
	body?: unknown;
	query?: Record<string, string>;
	store?: StaticDataStore;
	path?: string;
	mode?: 'webhook' | 'manual';
	nodeType?: DreaminaTrigger;
}

async function deliver({
	workflow = triggerWorkflow(),
	body,
	query = { secret: CALLBACK_SECRET },
	store = new StaticDataStore(),
	path,
	mode,
	nodeType,
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
		extraNodeTypes: nodeType ? { [TYPE]: nodeType } : nodeTypes(),
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
		await sleep(25);
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

/** The node's own modules loaded afresh: what a restarted n8n process has (empty memory). */
async function restartedTrigger(): Promise<DreaminaTrigger> {
	let fresh: typeof DreaminaTrigger | undefined;
	await jest.isolateModulesAsync(async () => {
		fresh = (await import('../nodes/DreaminaTrigger/DreaminaTrigger.node')).DreaminaTrigger;
	});
	return new fresh!();
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 250, image: 150, upscale: 150 },
		videoBytes: VIDEO_BYTES,
	});
});

beforeEach(() => {
	credentialData = { callbackSecret: CALLBACK_SECRET };
	observed = new ObservedTrigger();
	emu.clearFaults();
});

afterAll(async () => {
	await emu.close();
	await disposeHarness();
	// Nothing the caller or the workflow saw ever holds the API token or the Callback Secret.
	for (const call of calls) {
		for (const secret of [emu.token, CALLBACK_SECRET]) {
			expect(call.rawBody.toString('utf8')).not.toContain(secret);
			expect(JSON.stringify(call.run?.executionData ?? {})).not.toContain(secret);
			expect(JSON.stringify(call.webhookError ?? {})).not.toContain(secret);
		}
	}
});

describe('verification and emitted records', () => {
	test('end to end: the API calls back twice; the completion starts exactly one execution with the video as binary', async () => {
		const workflow = triggerWorkflow();
		// Nothing listens at the Reply URL: the test hands each callback the API sent (emu.callbacks)
		// to the trigger, in order, as n8n's HTTP layer would.
		const port = await unusedPort();
		const replyUrl = `http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/dreamina?secret=${CALLBACK_SECRET}`;
		const deliveries: CallWebhookResult[] = [];
		const deliverSent = async (count: number) => {
			const sent = await waitFor('the callbacks', () => {
				const list = emu.callbacks.filter((c) => c.url === replyUrl);
				return list.length >= count && list;
			});
			for (const callback of sent.slice(deliveries.length)) {
				const url = new URL(callback.url);
				deliveries.push(
					await deliver({
						path: url.pathname,
						query: Object.fromEntries(url.searchParams),
						body: callback.body,
						workflow,
					}),
				);
			}
		};
		// [slow]: the emulator completes it when told, so the submission callback is handled first.
		const submitted = await api('POST', '/videos', {
			prompt: '[slow] waves on a black sand beach',
			replyUrl,
			replyRef: 'order-42',
		});
		await deliverSent(1);
		emu.completeJob(submitted.jobid);
		await deliverSent(2);
		expect(emu.callbacks.filter((c) => c.url === replyUrl)).toHaveLength(2);
		expect(deliveries.map((d) => d.statusCode)).toEqual([200, 200]);

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
		// The secret is not passed on in the emitted record.
		const emittedReplyUrl = (item.json.request as IDataObject).replyUrl as string;
		expect(emittedReplyUrl).toBe(
			`http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/dreamina?secret=***`,
		);
		expect(JSON.stringify(item.json)).not.toContain(CALLBACK_SECRET);
		expect(item.json.dedupeKey).toBe(`${submitted.jobid}:completed`);
		expect(Object.keys(item.json).slice(0, 3)).toEqual(['event', 'replyRef', 'dedupeKey']);
		expect(JSON.stringify(workflow)).not.toContain(CALLBACK_SECRET);

		const video = item.binary!.data;
		expect(video.mimeType).toBe('video/mp4');
		expect(video.fileName).toMatch(/^dreamina-video-j\d+v\.mp4$/);
		const bytes = await onCompleted.run!.readBinary(video);
		expect(bytes.length).toBe(VIDEO_BYTES);
		expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
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
				replyUrl: `${BASE_URL}/webhook/${WEBHOOK_ID}/dreamina?secret=${CALLBACK_SECRET}`,
			},
			response: { images: [{ imageUrl: 'https://evil.example.com/i.png' }] },
		};
		const workflow = triggerWorkflow({ verifyJob: false, downloadResult: true });
		expect((await deliver({ body: posted, workflow, query: {} })).statusCode).toBe(401);
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
		const workflow = triggerWorkflow();
		const refused = await deliver({ body: job, workflow });
		expect(refused).toMatchObject({
			statusCode: 502,
			body: { error: expect.stringMatching(/^Could not verify/) },
		});
		expectNothingStarted(refused);
		const redelivered = await deliver({ body: job, workflow });
		expect(itemOf(redelivered).json.jobid).toBe(job.jobid);
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
			query: { secret: CALLBACK_SECRET },
			headers: { 'content-type': 'text/plain' },
			rawBody: Buffer.from('completed!'),
			credentials: creds(),
			extraNodeTypes: nodeTypes(),
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

/** 200 completed image jobs on an emulator of their own (4 accounts × 50 slots). */
async function withBurstEmulator(run: (records: JobRecord[]) => Promise<void>): Promise<void> {
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
		await run(records);
	} finally {
		emu = main;
		await burst.close();
	}
}

describe('the secret lives in the credential', () => {
	test('the credential shows (and n8n reads it) whatever Verify With API says; no Secret parameter', () => {
		const { description } = new DreaminaTrigger();
		const [credential] = description.credentials!;
		const shown = (parameters: IDataObject) =>
			NodeHelpers.displayParameter(
				parameters as never,
				credential,
				{ typeVersion: 2, parameters } as unknown as INode,
				description,
			);
		expect(shown({ verifyJob: true })).toBe(true);
		expect(shown({ verifyJob: false })).toBe(true);
		const names = description.properties.map((p) => p.name);
		expect(names).not.toContain('secret');
		expect(names).toContain('duplicatesNotice');
	});

	test('missing or wrong secret: 401, nothing started, the API not asked; a Secret parameter means nothing', async () => {
		const job = await finishedJob('video');
		emu.clearRequests();
		const workflow = triggerWorkflow({ secret: 'example-workflow-secret-9f3a7c2e' }); // a parameter is ignored
		const queries: Array<Record<string, string>> = [
			{},
			{ secret: '' },
			{ secret: 'example-workflow-secret-9f3a7c2e' },
			{ secret: CALLBACK_SECRET.slice(0, -1) },
			{ token: CALLBACK_SECRET },
		];
		for (const query of queries) {
			const result = await deliver({ body: job, query, workflow });
			expect(result).toMatchObject({ statusCode: 401, body: { error: 'Missing or wrong secret' } });
			expectNothingStarted(result);
		}
		expect(emu.requests).toHaveLength(0);
	});

	test('a jobid the API does not have: 403, nothing started', async () => {
		const forged = await deliver({
			body: {
				jobid: 'j0101000000000000000v-u12345-US:us-user@example.com-bot:dreamina',
				status: 'completed',
				response: { videoUrl: 'https://evil.example.com/payload.mp4' },
			},
		});
		expect(forged).toMatchObject({
			statusCode: 403,
			body: { error: expect.stringMatching(/^Unknown job/) },
		});
		expectNothingStarted(forged);
	});

	test('activation: a usable Callback Secret activates; none, a short or an unsafe one, or no credential fails clearly', async () => {
		const activate = async (workflow = triggerWorkflow()) =>
			await activateWebhook({
				workflow,
				nodeName: NODE,
				credentials: creds(),
				extraNodeTypes: nodeTypes(),
				webhookBaseUrl: BASE_URL,
			});
		const activated = await activate();
		expect(activated.created).toBe(true);
		expect(activated.webhookUrl).toBe(`${BASE_URL}/webhook/${WEBHOOK_ID}/dreamina`);

		for (const [callbackSecret, reason] of [
			[undefined, /at least 16 characters \(it is 0\)/],
			['', /at least 16 characters \(it is 0\)/],
			['short', /at least 16 characters \(it is 5\)/],
			['has spaces in it, and more', /letters, digits/],
		] as const) {
			credentialData = callbackSecret === undefined ? {} : { callbackSecret };
			const failure = await activate().then(
				() => undefined,
				(error: Error & { description?: string }) => error,
			);
			expect(failure?.message).toMatch(/^Callback Secret \(Dreamina API credential\): /);
			expect(failure?.message).toMatch(reason);
			if (callbackSecret) {
				expect(`${failure?.message} ${failure?.description}`).not.toContain(callbackSecret);
			}
		}

		credentialData = { callbackSecret: CALLBACK_SECRET };
		const noCredential = triggerWorkflow({}, undefined, { credentials: false });
		await expect(activate(noCredential)).rejects.toThrow(
			/^Dreamina Trigger needs a Dreamina API credential with a Callback Secret/,
		);
	});

	test('the credential’s secret is trimmed, as the generation nodes append it', async () => {
		credentialData = { callbackSecret: ` ${CALLBACK_SECRET}\n` };
		const job = await finishedJob('image');
		expect(callbackSecretOf(credentialData)).toBe(CALLBACK_SECRET);
		itemOf(await deliver({ body: job }));
	});

	test('a credential without a usable secret at call time: 500, nothing started', async () => {
		credentialData = { callbackSecret: 'short' };
		const job = await finishedJob('image');
		for (const query of [{ secret: 'short' }, { secret: CALLBACK_SECRET }]) {
			const result = await deliver({ body: job, query });
			expect(result).toMatchObject({
				statusCode: 500,
				body: { error: expect.stringMatching(/no usable Callback Secret/) },
			});
			expectNothingStarted(result);
		}
		const noCredential = await deliver({
			body: job,
			workflow: triggerWorkflow({}, undefined, { credentials: false }),
		});
		expect(noCredential.statusCode).toBe(500);
		expectNothingStarted(noCredential);
	});
});

describe('answered before the download, no per-call database work', () => {
	test('the HTTP answer arrives before a slow download finishes; the execution then starts with the file', async () => {
		const job = await finishedJob('video');
		const file = new URL(String(job.response!.videoUrl)).pathname;
		const DOWNLOAD_DELAY_MS = 2000;
		emu.injectFault({ method: 'GET', path: file, delayMs: DOWNLOAD_DELAY_MS });
		const result = await deliver({ body: job });
		const [use] = observed.uses;
		expect(use.answeredAt! - use.calledAt).toBeLessThan(1000);
		expect(use.returnedAt! - use.calledAt).toBeGreaterThanOrEqual(DOWNLOAD_DELAY_MS - 100);
		expect(result).toMatchObject({ statusCode: 200, body: { received: true, event: 'completed' } });
		const item = itemOf(result);
		expect(item.binary!.data.mimeType).toBe('video/mp4');
		expect((await result.run!.readBinary(item.binary!.data)).length).toBe(VIDEO_BYTES);
		const download = emu.requests.find((r) => r.path === file)!;
		expect(download.time).toBeGreaterThanOrEqual(use.answeredAt! - 50); // asked for after answering
	});

	test('a download that fails after the answer: the execution still starts, with downloadError', async () => {
		const job = await finishedJob('video');
		const file = new URL(String(job.response!.videoUrl)).pathname;
		emu.injectFault({ method: 'GET', path: file, status: 404, body: { error: 'File not found' } });
		const result = await deliver({ body: job });
		expect(result.statusCode).toBe(200);
		const item = itemOf(result);
		expect(item.json.downloadError).toMatchObject({
			message: expect.stringMatching(/Could not download the result .*\(HTTP 404\)/),
		});
		expect(item.binary).toBeUndefined();
	});

	test('no static data is read or written, and the credential is read once for 200 calls', async () => {
		await withBurstEmulator(async (records) => {
			const store = new StaticDataStore();
			const workflow = triggerWorkflow();
			const results: CallWebhookResult[] = new Array(records.length);
			const startedAt = Date.now();
			await mapWithConcurrency(records, 50, async (record, index) => {
				results[index] = await deliver({ body: record, store, workflow });
			});
			expect(results.filter((r) => r.statusCode === 200)).toHaveLength(200);
			const emitted = results.map((r) => itemOf(r));
			expect(new Set(emitted.map((item) => item.json.dedupeKey))).toEqual(
				new Set(records.map((r) => `${r.jobid}:completed`)),
			);
			expect(emitted.every((item) => Object.keys(item.binary ?? {}).length === 4)).toBe(true);
			expect(observed.uses).toHaveLength(200);
			expect(observed.total('staticDataReads')).toBe(0);
			expect(results.every((r) => JSON.stringify(r.staticData) === '{}')).toBe(true);
			expect(store.data).toEqual({});
			// Once, and once more per CREDENTIAL_CACHE_MS the burst took (a slow machine).
			const periods = Math.ceil((Date.now() - startedAt) / CREDENTIAL_CACHE_MS);
			expect(observed.total('credentialReads')).toBeGreaterThanOrEqual(1);
			expect(observed.total('credentialReads')).toBeLessThanOrEqual(periods);
		});
	}, 300_000);

	test(`a changed secret applies within ${CREDENTIAL_CACHE_MS / 1000} s (the credential is kept in memory that long)`, async () => {
		const job = await finishedJob('image');
		const workflow = triggerWorkflow({ events: ['completed'] });
		const NEW_SECRET = 'example-rotated-callback-secret-77';
		const answer = async (secret: string) =>
			(await deliver({ body: job, workflow, query: { secret }, mode: 'webhook' })).statusCode;
		expect(await answer(CALLBACK_SECRET)).toBe(200);
		credentialData = { callbackSecret: NEW_SECRET };
		expect(await answer(NEW_SECRET)).toBe(401); // the old secret is still in memory
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + CREDENTIAL_CACHE_MS + 1);
		try {
			expect(await answer(CALLBACK_SECRET)).toBe(401);
			// read again: the callback is verified and, already started once, a duplicate
			const rotated = await deliver({ body: job, workflow, query: { secret: NEW_SECRET } });
			expect(rotated).toMatchObject({ statusCode: 200, body: { duplicate: true } });
		} finally {
			clock.mockRestore();
		}
		expect(observed.total('credentialReads')).toBe(2);
	});

	test('test URL (manual mode): the credential read on every call (an edited secret applies at once), no duplicate check', async () => {
		const job = await finishedJob('image');
		const workflow = triggerWorkflow();
		itemOf(await deliver({ body: job, workflow, mode: 'manual' }));
		credentialData = { callbackSecret: 'example-edited-while-building-1' };
		itemOf(
			await deliver({
				body: job,
				workflow,
				mode: 'manual',
				query: { secret: 'example-edited-while-building-1' },
			}),
		);
		expect(observed.total('credentialReads')).toBe(2);
	});
});

describe('duplicates (in this process’s memory)', () => {
	test('the same callback three times, and five at once: one execution each; another status is another event', async () => {
		const job = await finishedJob('video');
		const workflow = triggerWorkflow({ events: ['completed', 'failed'] });
		itemOf(await deliver({ body: job, workflow }));
		for (let i = 0; i < 2; i++) {
			const again = await deliver({ body: job, workflow });
			expect(again).toMatchObject({ statusCode: 200, body: { received: true, duplicate: true } });
			expectNothingStarted(again);
		}
		// A posted "created" the API shows as completed is the same event: a duplicate.
		const late = await deliver({ body: { ...job, status: 'created' }, workflow });
		expect(late.body).toEqual({ received: true, duplicate: true });

		const image = await finishedJob('image');
		const burst = await Promise.all(
			Array.from({ length: 5 }, async () => await deliver({ body: image, workflow })),
		);
		expect(burst.filter((r) => r.run)).toHaveLength(1);
		expect(burst.filter((r) => (r.body as IDataObject).duplicate === true)).toHaveLength(4);
		expect(burst.every((r) => r.statusCode === 200)).toBe(true);

		const failed = await api('POST', '/videos', { prompt: '[slow] fails later' });
		emu.failJob(failed.jobid, 2038);
		const failedRecord = await api('GET', jobPath(failed));
		expect(itemOf(await deliver({ body: failedRecord, workflow })).json).toMatchObject({
			event: 'failed',
			dedupeKey: dedupeKeyOf(failed.jobid, 'failed'),
		});
		// Another workflow's trigger has its own memory.
		itemOf(await deliver({ body: job }));
	});

	test('after a restart (fresh memory) a repeat starts another execution with the same dedupeKey: the documented limit', async () => {
		const job = await finishedJob('image');
		const workflow = triggerWorkflow();
		const first = itemOf(await deliver({ body: job, workflow }));
		expect((await deliver({ body: job, workflow })).body).toMatchObject({ duplicate: true });
		const afterRestart = itemOf(
			await deliver({ body: job, workflow, nodeType: await restartedTrigger() }),
		);
		expect(afterRestart.json.dedupeKey).toBe(first.json.dedupeKey);
		expect(first.json.dedupeKey).toBe(`${job.jobid}:completed`);
	});
});

describe('helpers', () => {
	test('secret checks', () => {
		expect(secretMatches(CALLBACK_SECRET, CALLBACK_SECRET)).toBe(true);
		expect(secretMatches(`${CALLBACK_SECRET}x`, CALLBACK_SECRET)).toBe(false);
		expect(secretMatches(['a'], CALLBACK_SECRET)).toBe(false);
		expect(secretMatches('', '')).toBe(false);
		expect(redactSecret('https://h/webhook/x/dreamina?a=1&secret=abc&b=2')).toBe(
			'https://h/webhook/x/dreamina?a=1&secret=***&b=2',
		);
		expect(withCallbackSecret('https://h/webhook/x/dreamina?a=1&secret=old', 'new-one')).toBe(
			'https://h/webhook/x/dreamina?a=1&secret=new-one',
		);
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
