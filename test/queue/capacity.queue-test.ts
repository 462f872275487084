/**
 * Two executions at once, on two workers, each submitting 10 videos to the same Dreamina account
 * (capacity 10 running jobs): 20 jobs compete for 10 slots. Nothing in n8n coordinates the two
 * workers; the API's 429 "All accounts at capacity" (which creates nothing) is the only signal.
 * Every item must end with its video, the account must never run more than its capacity, and no
 * job may be created twice: the emulator's request log has exactly one accepted POST per prompt.
 */
import {
	describeExecution,
	nodeOutput,
	connect,
	report,
	workersThatRan,
	type Connection,
} from './suite';
import { MANUAL_TRIGGER_NAME, chain, generateVideo, manualTrigger, promptItems } from './workflows';

const ACCOUNT = 'US:us-user@example.com';
/** The seeded account's maxJobs (test/emulator/README.md). */
const CAPACITY = 10;
const ITEMS_PER_EXECUTION = 10;

let c: Connection;

beforeAll(async () => {
	c = await connect();
	await c.emu.reset();
	// long enough that the second batch meets a full account
	await c.emu.setOptions({ jobDurationMs: { video: 2500 }, videoBytes: 64 * 1024 });
});

afterAll(async () => {
	await c.emu.reset();
});

test('20 items from two concurrent executions on two workers: all finished, capacity never exceeded, no job submitted twice', async () => {
	const workflows = await Promise.all(
		['A', 'B'].map((batch) =>
			c.rest.createWorkflow(
				chain(`Capacity ${batch}`, [
					manualTrigger(),
					promptItems('Prompts', `capacity batch ${batch}`, ITEMS_PER_EXECUTION),
					generateVideo('Generate Video', c.credential, {
						account: ACCOUNT,
						prompt: '={{ $json.prompt }}',
					}),
				]),
			),
		),
	);
	const started = Date.now();
	const ids = await Promise.all(
		workflows.map((wf) => c.rest.runWorkflow(wf.id, MANUAL_TRIGGER_NAME)),
	);
	const runs = await Promise.all(
		ids.map((id) => c.rest.waitForExecution(id, { timeoutMs: 240_000 })),
	);
	const seconds = (Date.now() - started) / 1000;

	const jobids = new Set<string>();
	for (const run of runs) {
		if (run.status !== 'success') throw new Error(describeExecution(run));
		const items = nodeOutput(run, 'Generate Video');
		expect(items).toHaveLength(ITEMS_PER_EXECUTION);
		for (const item of items) {
			expect(item.json).toMatchObject({ status: 'completed', type: 'video' });
			expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
			jobids.add(String(item.json.jobid));
		}
	}
	expect(jobids.size).toBe(2 * ITEMS_PER_EXECUTION);

	// two executions, two workers (each runs one job at a time)
	const workers = ids.map((id) => workersThatRan(id));
	expect(workers.map((w) => w.length)).toEqual([1, 1]);
	expect(new Set(workers.flat()).size).toBe(2);

	const posts = (await c.emu.requests()).filter(
		(r) => r.method === 'POST' && r.path === '/v1/dreamina/videos',
	);
	const accepted = posts.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300);
	const refused = posts.filter((r) => r.status === 429);
	// every POST either created a job or was refused for capacity (which created nothing)
	expect(accepted.length + refused.length).toBe(posts.length);
	const prompts = accepted.map((r) => (r.body as { prompt: string }).prompt).sort();
	const expected = ['A', 'B']
		.flatMap((b) =>
			Array.from({ length: ITEMS_PER_EXECUTION }, (_, i) => `capacity batch ${b} ${i}`),
		)
		.sort();
	expect(prompts).toEqual(expected);
	for (const r of accepted) expect((r.body as { account?: string }).account).toBe(ACCOUNT);

	const { maxConcurrent } = await c.emu.stats();
	expect(maxConcurrent[ACCOUNT]).toBeLessThanOrEqual(CAPACITY);
	report('capacity: 20 items, 2 executions, 2 workers, one account', {
		seconds,
		workers: workers.flat(),
		acceptedPosts: accepted.length,
		refused429: refused.length,
		maxConcurrentOnAccount: maxConcurrent[ACCOUNT],
		capacity: CAPACITY,
	});
	// the account was really contended: some POSTs met it full
	expect(refused.length).toBeGreaterThan(0);
});
