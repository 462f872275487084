/**
 * A worker killed with SIGKILL while Generate Video waits for its job (Poll Until Done): nothing
 * releases the Bull job's lock, so the job "stalls"; n8n's queue (maxStalledCount: 0) fails it at
 * the next stall check instead of giving it to another worker, and the main ends the execution
 * as an error after a 30 s grace window (workflow-runner.js, MaxStalledCountError). The job is
 * never submitted again, by the replacement worker either, and its jobid stays findable: the API
 * lists it as executing (GET /scheduler: Dreamina → Job → List Executing), then reports it.
 *
 * This file runs last (sequencer.js): it leaves a new worker in place of the killed one.
 */
import {
	describeExecution,
	QUEUE_LOCKS,
	connect,
	delay,
	killWorker,
	newWorkerNames,
	report,
	startWorker,
	waitFor,
	workersThatRan,
	type Connection,
} from './suite';
import { MANUAL_TRIGGER_NAME, chain, generateVideo, manualTrigger } from './workflows';

const PROMPT = 'queue worker killed while waiting [slow]';

let c: Connection;

beforeAll(async () => {
	c = await connect();
	await c.emu.reset();
});

afterAll(async () => {
	await c.emu.reset();
});

test('a worker killed while its node waits for the job: the execution ends as an error, the job is never submitted twice, its jobid is findable', async () => {
	const wf = await c.rest.createWorkflow(
		chain('Queue: worker killed while waiting', [
			manualTrigger(),
			generateVideo('Generate Video', c.credential, { prompt: PROMPT, timeoutMinutes: 30 }),
		]),
	);
	const executionId = await c.rest.runWorkflow(wf.id, MANUAL_TRIGGER_NAME);
	// the job exists and the node is waiting for it
	const jobid = await waitFor('the job submitted and polled', async () => {
		const requests = await c.emu.requests();
		const post = requests.find(
			(r) => r.method === 'POST' && r.path === '/v1/dreamina/videos' && r.status === 200,
		);
		const job = (await c.emu.jobs()).find((j) => j.request.prompt === PROMPT);
		if (!post || !job) return undefined;
		// waiting: it reads the job, or the list of executing jobs (one read for many jobs)
		const polled = requests.some(
			(r) =>
				r.method === 'GET' &&
				(r.path === `/v1/dreamina/videos/${job.jobid}` || r.path === '/v1/dreamina/scheduler') &&
				r.time > post.time,
		);
		return polled ? job.jobid : undefined;
	});
	const [worker] = workersThatRan(executionId);
	expect(worker).toMatch(/^worker-/);

	const killedAt = Date.now();
	await killWorker(worker);
	const ended = await c.rest.waitForExecution(executionId, { timeoutMs: 180_000 });
	const endedAfterS = (Date.now() - killedAt) / 1000;
	expect(ended.status).toBe('error');
	const error = ended.data?.resultData?.error;
	expect(error?.message).toMatch(/failed to be processed too many times and will no longer retry/);

	// A replacement worker, and time for more stall checks: nobody runs the execution again.
	const replacement = await startWorker(newWorkerNames('worker')[0]);
	await delay(
		Number(QUEUE_LOCKS.QUEUE_WORKER_LOCK_DURATION) +
			2 * Number(QUEUE_LOCKS.QUEUE_WORKER_STALLED_INTERVAL),
	);
	expect(workersThatRan(executionId)).toEqual([worker]);
	const submissions = (await c.emu.requests()).filter(
		(r) =>
			r.method === 'POST' &&
			r.path === '/v1/dreamina/videos' &&
			(r.body as { prompt?: string }).prompt === PROMPT,
	);
	expect(submissions.map((r) => r.status)).toEqual([200]);

	// Where the user finds the job: not in the execution (the node never finished, so n8n saved
	// no run data for it), but in the API's list of executing jobs.
	const inExecution = JSON.stringify(ended.data).includes(jobid);
	const scheduler = await c.emu.api('GET', '/scheduler');
	const executing = Object.values(
		(scheduler.body as { executing: Record<string, Array<{ jobid: string }>> }).executing,
	).flat();
	expect(executing.map((j) => j.jobid)).toContain(jobid);
	report('worker killed while waiting for a job', {
		execution: executionId,
		killedWorker: worker,
		replacementWorker: replacement.name,
		endedAfterS,
		status: ended.status,
		errorMessage: error?.message,
		lastNodeExecuted: ended.data?.resultData?.lastNodeExecuted ?? null,
		jobidInExecution: inExecution,
		jobidInScheduler: true,
		submissions: submissions.length,
		describe: describeExecution(ended),
	});
});
