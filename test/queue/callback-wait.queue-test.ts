/**
 * Generate Video › Wait for Callback in queue mode: the worker submits the job with the
 * execution's resume URL as its Reply URL (built from WEBHOOK_URL: the webhook process) and puts
 * the execution into n8n's waiting state, which frees the worker. Nothing polls: the emulator's
 * completion callback reaches the webhook process, whose copy of the node reads the job back and
 * downloads the video, and a worker runs the rest of the execution.
 */
import {
	connect,
	describeExecution,
	nodeOutput,
	enqueuedBy,
	report,
	waitFor,
	workersThatRan,
	type Connection,
} from './suite';
import {
	MANUAL_TRIGGER_NAME,
	chain,
	generateVideo,
	manualTrigger,
	noOp,
	promptItems,
} from './workflows';

let c: Connection;
/** Items of one execution: every job calls back, one callback resumes it. */
const ITEMS = 5;
const VIDEO_BYTES = 128 * 1024;

beforeAll(async () => {
	c = await connect();
	await c.emu.reset();
	// long enough that the execution is waiting well before the job completes
	await c.emu.setOptions({ jobDurationMs: { video: 4000 }, videoBytes: VIDEO_BYTES });
});

afterAll(async () => {
	await c.emu.reset();
});

test(`Wait for Callback, ${ITEMS} item(s): waits with no job reads, the callback reaches the webhook process, a worker resumes it with the MP4`, async () => {
	const wf = await c.rest.createWorkflow(
		chain(`Wait for Callback x${ITEMS}`, [
			manualTrigger(),
			promptItems('Prompts', 'wait for callback', ITEMS),
			generateVideo('Generate Video', c.credential, {
				prompt: '={{ $json.prompt }}',
				waitForCompletion: 'callback',
				timeoutMinutes: 10,
			}),
			noOp('After'),
		]),
	);
	const started = Date.now();
	const executionId = await c.rest.runWorkflow(wf.id, MANUAL_TRIGGER_NAME);
	const waiting = await c.rest.waitForExecution(executionId, {
		until: ['waiting', 'success', 'error', 'crashed'],
	});
	if (waiting.status !== 'waiting') throw new Error(describeExecution(waiting));
	const waitingAfterMs = Date.now() - started;

	const resumeBase = `${c.state.webhookUrl}webhook-waiting/${executionId}`;
	const jobsOf = async () =>
		(await c.emu.jobs()).filter((j) => String(j.request.replyUrl ?? '').startsWith(resumeBase));
	expect(await jobsOf()).toHaveLength(ITEMS);

	const done = await c.rest.waitForExecution(executionId, { timeoutMs: 120_000 });
	if (done.status !== 'success') throw new Error(describeExecution(done));
	const seconds = (Date.now() - started) / 1000;

	const jobs = await jobsOf();
	const after = nodeOutput(done, 'After');
	expect(after).toHaveLength(ITEMS);
	expect(new Set(after.map((i) => i.json.jobid))).toEqual(new Set(jobs.map((j) => j.jobid)));
	for (const item of after) {
		expect(item.json).toMatchObject({ status: 'completed', type: 'video' });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: VIDEO_BYTES });
		expect(item.binary?.data.id).toMatch(/^database:/);
	}
	const video = await c.rest.binaryData(after[0].binary!.data);
	expect(video.subarray(4, 8).toString('latin1')).toBe('ftyp');

	// No polling: not one read of a job before it completed (reads after it are webhook() verifying it).
	const requests = await c.emu.requests();
	let readsBeforeCompletion = 0;
	for (const job of jobs) {
		const completedAt = Date.parse(job.updated!);
		readsBeforeCompletion += requests.filter(
			(r) =>
				r.method === 'GET' && r.path === `/v1/dreamina/videos/${job.jobid}` && r.time < completedAt,
		).length;
	}
	expect(readsBeforeCompletion).toBe(0);
	// nor of the list of executing jobs before the first job completed
	const firstCompletion = Math.min(...jobs.map((j) => Date.parse(j.updated!)));
	expect(
		requests.filter(
			(r) => r.method === 'GET' && r.path === '/v1/dreamina/scheduler' && r.time < firstCompletion,
		),
	).toHaveLength(0);

	// Every job's completion callback went to the webhook process; one of them resumed the
	// execution (200). With several items the others come while it resumes or after it ended, and
	// n8n answers those itself (409 / 500: not waiting any more); the API does not retry either way.
	const completed = await waitFor('every completion callback answered', async () => {
		const list = (await c.emu.callbacks()).filter(
			(cb) =>
				cb.url.startsWith(resumeBase) && (cb.body as { status?: string }).status === 'completed',
		);
		return list.length >= ITEMS ? list : undefined;
	});
	expect(completed).toHaveLength(ITEMS);
	expect(completed.some((cb) => cb.status === 200)).toBe(true);
	const callbackStatuses = (await c.emu.callbacks())
		.filter((cb) => cb.url.startsWith(resumeBase))
		.map((cb) => `${(cb.body as { status?: string }).status}:${cb.status}`);

	// The main enqueued the run, the webhook process enqueued the resume, workers ran both parts.
	const enqueued = enqueuedBy(executionId);
	expect(enqueued[0]).toBe('main');
	expect(enqueued.slice(1)).toEqual(Array(enqueued.length - 1).fill('webhook'));
	expect(enqueued.length).toBeGreaterThanOrEqual(2);
	const workers = workersThatRan(executionId);
	expect(workers).toHaveLength(enqueued.length);
	report(`Wait for Callback, ${ITEMS} item(s)`, {
		execution: executionId,
		waitingAfterMs,
		seconds,
		workers,
		enqueuedBy: enqueued,
		jobReadsBeforeCompletion: readsBeforeCompletion,
		callbackAnswers: callbackStatuses,
	});
});
