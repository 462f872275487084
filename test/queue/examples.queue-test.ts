/**
 * Every workflow in examples/ runs in queue mode and is executed by a worker. The examples are
 * read from disk when this file runs (they change with the nodes), and only what a user edits is
 * changed: the credential, the input-file folder, the Upload Asset account, the n8n address in a
 * Reply URL and the trigger secret, plus fast polling (emulator jobs take a second, not minutes).
 *
 * Examples that start with a Manual Trigger are run as the editor runs them (the main enqueues
 * them: OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true); examples with a Dreamina Trigger are published,
 * and the callbacks that the other examples' jobs send to them start their executions through the
 * webhook process.
 */
import { makePng } from '../emulator/media';
import {
	describeExecution,
	nodeOutput,
	type Execution,
	type WorkflowJson,
	connect,
	enqueuedBy,
	executionsOf,
	readExamples,
	report,
	waitFor,
	workersThatRan,
	writeInputFiles,
	withParameters,
	type Connection,
} from './suite';
import { FAST_POLL } from './workflows';

/** The placeholders the examples use (examples/README.md, "What to edit"). */
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files/dreamina';
const EXAMPLE_N8N_URL = 'https://n8n.example.com/';
const ACCOUNT = 'US:us-user@example.com';
const VIDEO_BYTES = 200_000;
/** A Secret for examples whose trigger keeps it as a parameter (the credential's callbackSecret wins). */
const PARAMETER_SECRET = crypto.randomUUID().replace(/-/g, '');

const DREAMINA = 'n8n-nodes-dreamina.';
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const DREAMINA_TRIGGER = `${DREAMINA}dreaminaTrigger`;

let c: Connection;
let secret: string;
const examples = readExamples();
const workflowIds: Record<string, string> = {};

interface Node {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	webhookId?: string;
}

function nodesOf(wf: WorkflowJson): Node[] {
	return wf.nodes as Node[];
}

/** The example as a user sets it up on this cluster. */
function prepare(example: WorkflowJson, filesDir: string): WorkflowJson {
	let text = JSON.stringify(example)
		.split(EXAMPLE_FILES_DIR)
		.join(filesDir)
		.split(EXAMPLE_N8N_URL)
		.join(c.state.webhookUrl);
	// every placeholder secret (in Reply URLs and trigger parameters) becomes the one in use
	const placeholders = new Set<string>();
	for (const m of text.matchAll(/[?&]secret=([A-Za-z0-9._~-]+)/g)) placeholders.add(m[1]);
	for (const node of nodesOf(example))
		if (node.type === DREAMINA_TRIGGER && typeof node.parameters.secret === 'string')
			placeholders.add(node.parameters.secret);
	for (const p of placeholders) text = text.split(p).join(secret);
	const wf = JSON.parse(text) as WorkflowJson;
	for (const node of nodesOf(wf)) {
		if (!node.type.startsWith(DREAMINA)) continue;
		node.credentials = { dreaminaApi: { id: c.credential.id, name: c.credential.name } };
		const spec = node as Node & { typeVersion: number };
		if (node.type === `${DREAMINA}dreaminaUploadAsset`)
			node.parameters = withParameters(spec, { account: ACCOUNT });
		if (node.parameters.waitForCompletion === 'poll')
			node.parameters = withParameters(spec, FAST_POLL);
	}
	return wf;
}

function startNode(wf: WorkflowJson): Node {
	const triggers = nodesOf(wf).filter(
		(n) => n.type === MANUAL_TRIGGER || n.type === DREAMINA_TRIGGER,
	);
	if (triggers.length !== 1)
		throw new Error(
			`${wf.name}: expected one Manual Trigger or Dreamina Trigger, found ${triggers.length}`,
		);
	return triggers[0];
}

/** What every Dreamina node of a run put out: finished (or, with Don't Wait, created) jobs; stored files in the database store. */
function checkDreaminaOutputs(run: Execution, wf: WorkflowJson): number {
	let files = 0;
	for (const node of nodesOf(wf).filter((n) => n.type.startsWith(DREAMINA))) {
		for (const item of nodeOutput(run, node.name)) {
			if (node.type !== `${DREAMINA}dreaminaUploadAsset`) {
				const expected = node.parameters.waitForCompletion === 'none' ? 'created' : 'completed';
				expect({ node: node.name, status: item.json.status }).toEqual({
					node: node.name,
					status: expected,
				});
			}
			for (const binary of Object.values(item.binary ?? {})) {
				// queue mode's default store: n8n's database (binary-data.config: mode = 'database' in queue mode)
				expect(binary.id).toMatch(/^database:/);
				files++;
			}
		}
	}
	return files;
}

beforeAll(async () => {
	c = await connect();
	secret = c.callbackSecret ?? PARAMETER_SECRET;
	await c.emu.reset();
	await c.emu.setOptions({
		jobDurationMs: { video: 600, image: 300, upscale: 300 },
		videoBytes: VIDEO_BYTES,
	});
	const filesDir = writeInputFiles({
		'first-frame.png': makePng(1024, 576, 1),
		'reference.png': makePng(768, 768, 2),
		'keyframes/keyframe-1.png': makePng(1024, 576, 11),
		'keyframes/keyframe-2.png': makePng(1024, 576, 12),
		'keyframes/keyframe-3.png': makePng(1024, 576, 13),
		'results/.keep': Buffer.alloc(0),
	});
	for (const { file, workflow } of examples) {
		const wf = prepare(workflow, filesDir);
		const saved = await c.rest.createWorkflow(wf);
		workflowIds[file] = saved.id;
		if (startNode(wf).type !== MANUAL_TRIGGER) await c.rest.activateWorkflow(saved.id);
	}
});

afterAll(async () => {
	for (const { file, workflow } of examples)
		if (startNode(workflow).type !== MANUAL_TRIGGER && workflowIds[file])
			await c.rest.deactivateWorkflow(workflowIds[file]);
});

const manual = examples.filter(({ workflow }) => startNode(workflow).type === MANUAL_TRIGGER);
const triggered = examples.filter(({ workflow }) => startNode(workflow).type !== MANUAL_TRIGGER);

test('the examples folder has workflows of both kinds', () => {
	expect(manual.length).toBeGreaterThan(0);
	expect(triggered.length).toBeGreaterThan(0);
});

test.each(manual.map((e) => [e.file, e]))(
	'%s: the main enqueues the manual run, a worker executes it',
	async (file, { workflow }) => {
		const wf = prepare(workflow, c.state.filesDir);
		const started = Date.now();
		const executionId = await c.rest.runWorkflow(workflowIds[file], startNode(wf).name);
		const settled = ['waiting', 'success', 'error', 'crashed', 'canceled'];
		let run = await c.rest.waitForExecution(executionId, { until: settled, timeoutMs: 120_000 });
		let resumed = 0;
		for (; run.status === 'waiting' && resumed < 3; resumed++) {
			// a Wait node (draft-then-finish.json): resumed as a person would, through the webhook process
			const url = `${c.state.webhookUrl}webhook-waiting/${executionId}?signature=${run.data.resumeToken}`;
			expect((await fetch(url)).status).toBe(200);
			run = await c.rest.waitForExecution(executionId, { until: settled, timeoutMs: 120_000 });
		}
		if (run.status !== 'success') throw new Error(describeExecution(run));
		// the main enqueues the run, the webhook process each resume; a worker runs each part
		expect(enqueuedBy(executionId)).toEqual(['main', ...Array(resumed).fill('webhook')]);
		const workers = workersThatRan(executionId);
		expect(workers).toEqual(Array(resumed + 1).fill(expect.stringMatching(/^worker-/)));
		const files = checkDreaminaOutputs(run, wf);
		report(`example ${file}`, {
			execution: executionId,
			worker: workers[0],
			files,
			seconds: (Date.now() - started) / 1000,
		});
	},
);

test.each(triggered.map((e) => [e.file, e]))(
	'%s: the callbacks of the examples’ jobs start it through the webhook process, a worker executes it',
	async (file, { workflow }) => {
		const wf = prepare(workflow, c.state.filesDir);
		// the manual examples ran before (test order); a Don't Wait job with this trigger's URL as its
		// Reply URL calls back when it completes
		const executions = await waitFor(
			`an execution of ${file}`,
			async () => {
				const list = await executionsOf(workflowIds[file]);
				return list.length > 0 &&
					list.every((e) => ['success', 'error', 'crashed'].includes(e.status))
					? list
					: undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 500 },
		);
		for (const summary of executions) {
			const run = await c.rest.getExecution(summary.id);
			if (run.status !== 'success') throw new Error(describeExecution(run));
			const workers = workersThatRan(run.id);
			expect(workers).toHaveLength(1);
			expect(workers[0]).toMatch(/^worker-/);
			expect(enqueuedBy(run.id)).toEqual(['webhook']);
			const files = checkDreaminaOutputs(run, wf);
			expect(files).toBeGreaterThan(0);
			report(`example ${file}`, { execution: run.id, worker: workers[0], files });
		}
		// one execution per completed job whose Reply URL is this trigger's
		const trigger = startNode(wf);
		const jobs = (await c.emu.jobs()).filter(
			(j) =>
				j.status === 'completed' &&
				String(j.request.replyUrl ?? '').includes(`/${trigger.webhookId}/`),
		);
		expect(executions).toHaveLength(jobs.length);
	},
);
