/**
 * Dreamina Trigger behind the webhook process (`n8n webhook`; the main serves no production
 * webhooks here). What only queue mode shows: the webhook process's copy of the trigger reads the
 * job back from the API (a posted record is not trusted), stores the MP4 in the database store,
 * and enqueues the execution for a worker; and a burst of 200 callbacks starts 200 executions
 * while n8n's own Webhook node on the same process keeps answering (a probe every 250 ms), with
 * the same burst against n8n's Webhook node as the baseline, in the same run. (Forged calls and
 * the secret are proved in test/trigger.test.ts and test/real-n8n/trigger.n8n-test.ts.)
 */
import {
	burst,
	connect,
	describeExecution,
	enqueuedBy,
	executionsOf,
	nodeOutput,
	percentile,
	probeWhile,
	report,
	waitFor,
	workersThatRan,
	type CallResult,
	type Connection,
} from './suite';
import { chain, exampleNode, noOp, webhookNode, type NodeSpec } from './workflows';

const BURST = 200;
const VIDEO_BYTES = 16 * 1024;
/** The API waits about this long for a callback's answer (docs/CALLBACKS.md). */
const API_CALLBACK_TIMEOUT_MS = 10_000;

interface JobRecord {
	jobid: string;
	status: string;
	model: string;
	response?: Record<string, unknown>;
}

let c: Connection;
const ids: Record<'trigger' | 'baseline' | 'probe', string> = {
	trigger: '',
	baseline: '',
	probe: '',
};
const urls = { ...ids };

/** Creates a workflow, publishes it and returns its webhook URL on the webhook process. */
async function published(key: keyof typeof ids, name: string, trigger: NodeSpec) {
	const saved = await c.rest.createWorkflow(chain(name, [trigger, noOp('After')]));
	await c.rest.activateWorkflow(saved.id);
	ids[key] = saved.id;
	const path = trigger.type.endsWith('.webhook')
		? String(trigger.parameters.path)
		: `${trigger.webhookId}/dreamina?secret=${c.callbackSecret}`;
	urls[key] = `${c.state.webhookUrl}webhook/${path}`;
}

const finished = (workflowId: string, count: number) =>
	waitFor(
		`${count} finished executions of ${workflowId}`,
		async () => {
			const list = (await executionsOf(workflowId)).filter(
				(e) => !['new', 'running'].includes(e.status),
			);
			return list.length >= count ? list : undefined;
		},
		{ timeoutMs: 240_000, intervalMs: 1000 },
	);

function latency(results: CallResult[]) {
	const ms = results.map((r) => r.ms);
	const statuses: Record<string, number> = {};
	for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
	return {
		p50: percentile(ms, 50),
		p99: percentile(ms, 99),
		statuses,
		overApiTimeout: ms.filter((t) => t > API_CALLBACK_TIMEOUT_MS).length,
	};
}

beforeAll(async () => {
	c = await connect();
	await c.emu.reset();
	await c.emu.setOptions({ jobDurationMs: { video: 300 }, videoBytes: VIDEO_BYTES });
	const trigger = exampleNode('callback-trigger.json', 'Dreamina Trigger', {
		credential: c.credential,
	});
	trigger.parameters = { events: ['completed'] };
	await published('trigger', 'Queue: Dreamina Trigger', trigger);
	await published(
		'baseline',
		'Queue: n8n Webhook baseline',
		webhookNode('Webhook', `baseline-${crypto.randomUUID()}`),
	);
	await published(
		'probe',
		'Queue: n8n Webhook probe',
		webhookNode('Webhook', `probe-${crypto.randomUUID()}`),
	);
});

afterAll(async () => {
	for (const id of Object.values(ids)) if (id) await c.rest.deactivateWorkflow(id);
	await c.emu.reset();
});

test('a posted record is not trusted: the webhook process reads the job from the API, stores the MP4 and enqueues it for a worker', async () => {
	const created = await c.emu.api('POST', '/videos', { prompt: 'queue trigger: one job' });
	const { jobid } = created.body as JobRecord;
	const job = await waitFor(`job ${jobid} completed`, async () => {
		const read = (await c.emu.api('GET', `/videos/${jobid}`)).body as JobRecord;
		return read.status === 'completed' ? read : undefined;
	});
	const forged = {
		...job,
		model: 'forged-model',
		response: { ...job.response, videoUrl: 'http://127.0.0.1:9/forged.mp4' },
	};
	expect((await burst([{ url: urls.trigger, body: forged }]))[0].status).toBe(200);
	const [summary] = await finished(ids.trigger, 1);
	const run = await c.rest.getExecution(summary.id);
	if (run.status !== 'success') throw new Error(describeExecution(run));
	const [item] = nodeOutput(run, 'Dreamina Trigger');
	expect(item.json).toMatchObject({
		event: 'completed',
		jobid,
		model: job.model,
		response: { videoUrl: job.response?.videoUrl },
	});
	expect(JSON.stringify(item.json)).not.toContain(c.callbackSecret);
	expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: VIDEO_BYTES });
	expect(item.binary?.data.id).toMatch(/^database:/);
	expect(enqueuedBy(run.id)).toEqual(['webhook']);
	expect(workersThatRan(run.id)).toEqual([expect.stringMatching(/^worker-/)]);
});

/** One burst at `url` with the probe running meanwhile, then the executions it started. */
async function burstPhase(workflowId: string, url: string, bodies: unknown[]) {
	const before = (await executionsOf(workflowId)).length;
	const started = Date.now();
	const calls = burst(bodies.map((body) => ({ url, body })));
	const [answers, probe] = await Promise.all([calls, probeWhile(urls.probe, calls, 250)]);
	const answeredMs = Date.now() - started;
	const runs = (
		await finished(workflowId, before + answers.filter((r) => r.status === 200).length)
	).slice(before);
	return { answers, probe, runs, answeredMs, executedMs: Date.now() - started };
}

test(`a burst of ${BURST} callbacks starts ${BURST} executions; n8n’s Webhook node on the same process keeps answering`, async () => {
	await c.emu.setOptions({
		accounts: [{ email: 'burst@example.com', region: 'US', maxJobs: BURST }],
	});
	const jobids: string[] = [];
	for (let i = 0; i < BURST; i += 20) {
		const created = await Promise.all(
			Array.from({ length: Math.min(20, BURST - i) }, (_, k) =>
				c.emu.api('POST', '/videos', { prompt: `queue burst ${i + k}` }),
			),
		);
		for (const r of created) jobids.push((r.body as JobRecord).jobid);
	}
	const records = await waitFor('the burst jobs completed', async () => {
		const all = (await c.emu.jobs()).filter((j) => jobids.includes(j.jobid));
		return all.length === BURST && all.every((j) => j.status === 'completed') ? all : undefined;
	});

	const baseline = await burstPhase(
		ids.baseline,
		urls.baseline,
		records.map((_, i) => ({ burst: i })),
	);
	const trigger = await burstPhase(ids.trigger, urls.trigger, records);
	const figures = (p: typeof trigger) => {
		const a = latency(p.answers);
		return {
			...a,
			allAnsweredMs: p.answeredMs,
			allExecutedMs: p.executedMs,
			probe: latency(p.probe),
		};
	};
	report(`burst of ${BURST} callbacks on the webhook process`, {
		webhookNode: figures(baseline),
		trigger: figures(trigger),
		ratioP50: latency(trigger.answers).p50 / latency(baseline.answers).p50,
		ratioP99: latency(trigger.answers).p99 / latency(baseline.answers).p99,
	});

	expect(latency(trigger.answers).statuses).toEqual({ 200: BURST });
	expect(trigger.probe.length).toBeGreaterThan(0);
	expect(latency(trigger.probe).statuses).toEqual({ 200: trigger.probe.length });
	// one execution per callback, each with its own job, each run by one worker
	expect(trigger.runs).toHaveLength(BURST);
	const seen = new Set<string>();
	for (const summary of trigger.runs) {
		const run = await c.rest.getExecution(summary.id);
		if (run.status !== 'success') throw new Error(describeExecution(run));
		seen.add(String(nodeOutput(run, 'Dreamina Trigger')[0].json.jobid));
		expect(workersThatRan(run.id)).toHaveLength(1);
	}
	expect([...seen].sort()).toEqual([...jobids].sort());
}, 600_000);
