/**
 * Dreamina Trigger behind the webhook process (`n8n webhook`; the main serves no production
 * webhooks here): a completed job's callback starts one execution with the record read back from
 * the API, forged calls start nothing, and a burst of 200 callbacks starts 200 executions while
 * another webhook on the same process (n8n's own Webhook node) keeps answering: a probe calls it
 * every 250 ms during the burst, and during the same burst sent to n8n's Webhook node.
 *
 * Answer latency is measured for the trigger's burst and, as the baseline, for the same burst
 * against n8n's Webhook node (responseMode onReceived: n8n answers as soon as the execution is
 * queued), in the same run; a third burst goes to the trigger with Download Result off (in queue
 * mode's database store, each download is a file written into PostgreSQL by the webhook process). The trigger is examples/callback-trigger.json's Dreamina Trigger,
 * its secret the credential's Callback Secret.
 */
import { describeExecution, nodeItems, nodeOutput } from './n8n-rest';
import {
	burst,
	connect,
	delay,
	enqueuedBy,
	executionsOf,
	percentile,
	probeWhile,
	report,
	waitFor,
	withParameters,
	workersThatRan,
	type CallResult,
	type Connection,
} from './suite';
import { chain, exampleNode, noOp, webhookNode, type NodeSpec } from './workflows';

const BURST = 200;
const PROBE_EVERY_MS = 250;
const VIDEO_BYTES = 16 * 1024;
const BURST_ACCOUNT = { email: 'burst@example.com', region: 'US' as const, maxJobs: BURST };

let c: Connection;
let triggerUrl: string;
let secret: string;
let triggerWorkflowId: string;
let noDownloadUrl: string;
let noDownloadWorkflowId: string;
let baselineUrl: string;
let baselineWorkflowId: string;
/** A second Webhook node workflow on the same process: called during each burst. */
let probeUrl: string;
let probeWorkflowId: string;

interface JobRecord {
	jobid: string;
	status: string;
	model: string;
	request: Record<string, unknown>;
	response?: Record<string, unknown>;
}

/** The Dreamina Trigger of examples/callback-trigger.json, its parameters at their defaults but for the events. */
function triggerNode(): NodeSpec {
	const node = exampleNode('callback-trigger.json', 'Dreamina Trigger', {
		credential: c.credential,
	});
	node.parameters = { events: ['completed'] };
	if (!c.callbackSecret)
		throw new Error(
			'the trigger reads its secret from the credential, whose type has no callbackSecret',
		);
	secret = c.callbackSecret;
	return node;
}

async function finishedExecutions(workflowId: string, count: number, timeoutMs: number) {
	let seen = 0;
	return await waitFor(
		`${count} finished executions of workflow ${workflowId}`,
		async () => {
			const list = await executionsOf(workflowId);
			const finished = list.filter((e) =>
				['success', 'error', 'crashed', 'canceled'].includes(e.status),
			);
			seen = finished.length;
			return finished.length >= count ? finished : undefined;
		},
		{ timeoutMs, intervalMs: 1000, detail: () => `${seen} finished` },
	);
}

/** Creates a video job through the API (no Reply URL unless given) and waits until it completed. */
async function completedJob(
	prompt: string,
	extra: Record<string, unknown> = {},
): Promise<JobRecord> {
	const created = await c.emu.api('POST', '/videos', { prompt, ...extra });
	expect(created.status).toBe(200);
	const jobid = (created.body as JobRecord).jobid;
	return waitFor(`job ${jobid} completed`, async () => {
		const read = await c.emu.api('GET', `/videos/${jobid}`);
		return (read.body as JobRecord).status === 'completed' ? (read.body as JobRecord) : undefined;
	});
}

const post = async (url: string, body: unknown) =>
	(
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		})
	).status;

/** The API waits about this long for a callback's answer (docs/CALLBACKS.md). */
const API_CALLBACK_TIMEOUT_MS = 10_000;

function latency(results: CallResult[]) {
	const ms = results.map((r) => r.ms);
	const statuses: Record<string, number> = {};
	for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
	return {
		p50: percentile(ms, 50),
		p99: percentile(ms, 99),
		max: Math.max(...ms),
		statuses,
		overApiTimeout: ms.filter((t) => t > API_CALLBACK_TIMEOUT_MS).length,
	};
}

beforeAll(async () => {
	c = await connect();
	await c.emu.reset();
	await c.emu.setOptions({ jobDurationMs: { video: 300 }, videoBytes: VIDEO_BYTES });
	const trigger = triggerNode();
	const saved = await c.rest.createWorkflow(
		chain('Queue: Dreamina Trigger', [trigger, noOp('After')]),
	);
	triggerWorkflowId = saved.id;
	await c.rest.activateWorkflow(saved.id);
	triggerUrl = `${c.state.webhookUrl}webhook/${trigger.webhookId}/dreamina`;

	const noDownload = triggerNode();
	noDownload.parameters = withParameters(noDownload, { downloadResult: false });
	const savedNoDownload = await c.rest.createWorkflow(
		chain('Queue: Dreamina Trigger, Download Result off', [noDownload, noOp('After')]),
	);
	noDownloadWorkflowId = savedNoDownload.id;
	await c.rest.activateWorkflow(savedNoDownload.id);
	noDownloadUrl = `${c.state.webhookUrl}webhook/${noDownload.webhookId}/dreamina`;

	const path = `queue-baseline-${crypto.randomUUID()}`;
	const baseline = await c.rest.createWorkflow(
		chain('Queue: n8n Webhook baseline', [webhookNode('Webhook', path), noOp('After')]),
	);
	baselineWorkflowId = baseline.id;
	await c.rest.activateWorkflow(baseline.id);
	baselineUrl = `${c.state.webhookUrl}webhook/${path}`;

	const probePath = `queue-probe-${crypto.randomUUID()}`;
	const probe = await c.rest.createWorkflow(
		chain('Queue: n8n Webhook probe', [webhookNode('Webhook', probePath), noOp('After')]),
	);
	probeWorkflowId = probe.id;
	await c.rest.activateWorkflow(probe.id);
	probeUrl = `${c.state.webhookUrl}webhook/${probePath}`;
});

afterAll(async () => {
	await c.rest.deactivateWorkflow(triggerWorkflowId);
	await c.rest.deactivateWorkflow(noDownloadWorkflowId);
	await c.rest.deactivateWorkflow(baselineWorkflowId);
	await c.rest.deactivateWorkflow(probeWorkflowId);
	await c.emu.reset();
});

test('a completed job’s callback reaches the webhook process and starts one execution, on a worker, with the API’s record and the MP4', async () => {
	const created = await c.emu.api('POST', '/videos', {
		prompt: 'queue trigger: one job',
		replyUrl: `${triggerUrl}?secret=${secret}`,
	});
	expect(created.status).toBe(200);
	const jobid = (created.body as JobRecord).jobid;
	const [summary] = await finishedExecutions(triggerWorkflowId, 1, 60_000);
	await delay(2000); // the submission callback came first; nothing else may start
	expect(await executionsOf(triggerWorkflowId)).toHaveLength(1);

	const run = await c.rest.getExecution(summary.id);
	if (run.status !== 'success') throw new Error(describeExecution(run));
	const api = (await c.emu.api('GET', `/videos/${jobid}`)).body as JobRecord;
	const [item] = nodeOutput(run, 'Dreamina Trigger');
	expect(item.json).toMatchObject({
		event: 'completed',
		jobid,
		status: 'completed',
		model: api.model,
		response: { videoUrl: api.response?.videoUrl },
	});
	expect(JSON.stringify(item.json)).not.toContain(secret);
	expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: VIDEO_BYTES });
	expect(item.binary?.data.id).toMatch(/^database:/);
	expect(enqueuedBy(run.id)).toEqual(['webhook']);
	expect(workersThatRan(run.id)).toEqual([expect.stringMatching(/^worker-/)]);
	const calls = (await c.emu.callbacks()).filter((cb) => cb.url.startsWith(triggerUrl));
	expect(calls.map((cb) => [(cb.body as JobRecord).status, cb.status])).toEqual([
		['created', 200],
		['completed', 200],
	]);
});

test('a posted record is not trusted: the execution carries what the API says about the job', async () => {
	const before = (await executionsOf(triggerWorkflowId)).length;
	const job = await completedJob('queue trigger: forged body');
	const forged = {
		...job,
		model: 'forged-model',
		response: { ...job.response, videoUrl: 'http://127.0.0.1:9/forged.mp4' },
	};
	expect(await post(`${triggerUrl}?secret=${secret}`, forged)).toBe(200);
	const list = await finishedExecutions(triggerWorkflowId, before + 1, 60_000);
	const run = await c.rest.getExecution(list[list.length - 1].id);
	if (run.status !== 'success') throw new Error(describeExecution(run));
	const [item] = nodeItems(run, 'Dreamina Trigger');
	expect(item).toMatchObject({
		jobid: job.jobid,
		model: job.model,
		response: { videoUrl: job.response?.videoUrl },
	});
});

test('forged calls (no secret, a wrong one, an unknown job) are refused and start nothing', async () => {
	const before = (await executionsOf(triggerWorkflowId)).length;
	const job = await completedJob('queue trigger: forged calls');
	expect(await post(triggerUrl, job)).toBe(401);
	expect(await post(`${triggerUrl}?secret=wrong-secret-of-sufficient-length`, job)).toBe(401);
	const unknown = { ...job, jobid: job.jobid.replace(/^j\d{4}/, 'j9999') };
	expect([403, 404]).toContain(await post(`${triggerUrl}?secret=${secret}`, unknown));
	await delay(2000);
	expect(await executionsOf(triggerWorkflowId)).toHaveLength(before);
});

/** One burst at `url` with the probe running meanwhile, then waits for the executions it started. */
async function burstPhase(
	workflowId: string,
	url: string,
	bodies: unknown[],
): Promise<{ answers: CallResult[]; probe: CallResult[]; answeredMs: number; executedMs: number }> {
	const before = (await executionsOf(workflowId)).length;
	const started = Date.now();
	const calls = burst(bodies.map((body) => ({ url, body })));
	const [answers, probe] = await Promise.all([calls, probeWhile(probeUrl, calls, PROBE_EVERY_MS)]);
	const answeredMs = Date.now() - started;
	const answered = answers.filter((r) => r.status === 200).length;
	await finishedExecutions(workflowId, before + answered, 240_000);
	return { answers, probe, answeredMs, executedMs: Date.now() - started };
}

function phaseFigures(name: string, phase: Awaited<ReturnType<typeof burstPhase>>) {
	const a = latency(phase.answers);
	const p = latency(phase.probe);
	return {
		[`${name}P50Ms`]: a.p50,
		[`${name}P99Ms`]: a.p99,
		[`${name}MaxMs`]: a.max,
		[`${name}Statuses`]: a.statuses,
		[`${name}Over10s`]: a.overApiTimeout,
		[`${name}AllAnsweredMs`]: phase.answeredMs,
		[`${name}AllExecutedMs`]: phase.executedMs,
		[`${name}ProbeCalls`]: phase.probe.length,
		[`${name}ProbeP50Ms`]: p.p50,
		[`${name}ProbeP99Ms`]: p.p99,
		[`${name}ProbeStatuses`]: p.statuses,
	};
}

test(`a burst of ${BURST} callbacks starts ${BURST} executions; n8n’s Webhook node on the same process keeps answering`, async () => {
	// 200 completed jobs on one account that runs them all at once
	await c.emu.setOptions({
		accounts: [{ email: 'us-user@example.com', region: 'US', maxJobs: 10 }, BURST_ACCOUNT],
	});
	const jobids: string[] = [];
	for (let i = 0; i < BURST; i += 20) {
		const created = await Promise.all(
			Array.from({ length: Math.min(20, BURST - i) }, (_, k) =>
				c.emu.api('POST', '/videos', {
					prompt: `queue burst ${i + k}`,
					account: `US:${BURST_ACCOUNT.email}`,
				}),
			),
		);
		for (const r of created) {
			expect(r.status).toBe(200);
			jobids.push((r.body as JobRecord).jobid);
		}
	}
	const records = await waitFor('the burst jobs completed', async () => {
		const all = (await c.emu.jobs()).filter((j) => jobids.includes(j.jobid));
		return all.length === BURST && all.every((j) => j.status === 'completed') ? all : undefined;
	});

	// Baseline: the same burst against n8n's Webhook node; then the trigger; then the trigger
	// with Download Result off (no file written into the database store by the webhook process).
	const triggerBefore = (await executionsOf(triggerWorkflowId)).length;
	const webhookNode = await burstPhase(
		baselineWorkflowId,
		baselineUrl,
		records.map((_, i) => ({ burst: i })),
	);
	const trigger = await burstPhase(triggerWorkflowId, `${triggerUrl}?secret=${secret}`, records);
	const noDownload = await burstPhase(
		noDownloadWorkflowId,
		`${noDownloadUrl}?secret=${secret}`,
		records,
	);
	report(`burst of ${BURST} callbacks on the webhook process`, {
		...phaseFigures('webhookNode', webhookNode),
		...phaseFigures('trigger', trigger),
		...phaseFigures('triggerNoDownload', noDownload),
		ratioP50: latency(trigger.answers).p50 / latency(webhookNode.answers).p50,
		ratioP99: latency(trigger.answers).p99 / latency(webhookNode.answers).p99,
		failedTriggerAnswers: trigger.answers
			.filter((r) => r.status !== 200)
			.slice(0, 3)
			.map((r) => r.body.slice(0, 200)),
	});

	expect(latency(trigger.answers).statuses).toEqual({ 200: BURST });
	// Another webhook on the process keeps answering: every call of the probe during the burst.
	expect(trigger.probe.length).toBeGreaterThan(0);
	expect(latency(trigger.probe).statuses).toEqual({ 200: trigger.probe.length });
	// one execution per callback, each with its own job, all run by workers
	const burstRuns = (await executionsOf(triggerWorkflowId)).slice(triggerBefore);
	expect(burstRuns).toHaveLength(BURST);
	const seen = new Set<string>();
	for (const summary of burstRuns) {
		const run = await c.rest.getExecution(summary.id);
		if (run.status !== 'success') throw new Error(describeExecution(run));
		seen.add(String(nodeItems(run, 'Dreamina Trigger')[0].jobid));
		expect(workersThatRan(run.id)).toHaveLength(1);
	}
	expect([...seen].sort()).toEqual([...jobids].sort());
}, 600_000);
