/**
 * Wait for Callback with five items in a running n8n 2.41.1 (`n8n start`, WEBHOOK_URL = the server):
 * one execution submits all five jobs with its resume URL, waits with zero job reads while the API
 * calls back for each as it finishes (at different times), and resumes once, after the last, with
 * five results and their MP4s in input order.
 */
import { randomUUID } from 'crypto';

import type { Emulator, JobRecord } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import {
	EXAMPLE_CREDENTIAL,
	N8nTestInstance,
	assertSucceeded,
	freePort,
	nodeBinaries,
	nodeItems,
	readBinary,
	type N8nServer,
	type WorkflowJson,
} from './n8n';

const VIDEO_BYTES = 60_000;
const PROMPTS = ['a fox', 'a boat', 'a kite', 'a train', 'a lamp'];
const WORKFLOW_ID = 'cbBatchOfFive001';

const n8n = new N8nTestInstance();
let emu: Emulator;
let server: N8nServer;

function node(name: string, type: string, typeVersion: number, parameters: object, x: number) {
	return { id: randomUUID(), name, type, typeVersion, position: [x, 0], parameters };
}

/** Five prompts → Generate Video (Wait for Callback) → After, as the editor would export it. */
function batchWorkflow(): WorkflowJson {
	return {
		id: WORKFLOW_ID,
		name: 'Wait for Callback: five items',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
			node(
				'Prompts',
				'n8n-nodes-base.set',
				3.4,
				{
					mode: 'raw',
					jsonOutput: JSON.stringify({ prompts: PROMPTS }),
				},
				220,
			),
			node('One per Prompt', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'prompts' }, 440),
			{
				...node(
					'Generate Video',
					'n8n-nodes-dreamina.dreaminaGenerateVideo',
					2,
					{
						account: { __rl: true, mode: 'id', value: 'CA:ca-user@example.com' },
						inputMode: 'prompt',
						prompt: '={{ $json.prompts }}',
						model: { __rl: true, mode: 'id', value: 'seedance-2.0' },
						waitForCompletion: 'callback',
						options: { timeoutMinutes: 5 },
					},
					660,
				),
				webhookId: randomUUID(),
				credentials: { dreaminaApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name } },
			},
			node('After', 'n8n-nodes-base.noOp', 1, {}, 880),
		],
		connections: {
			Start: { main: [[{ node: 'Prompts', type: 'main', index: 0 }]] },
			Prompts: { main: [[{ node: 'One per Prompt', type: 'main', index: 0 }]] },
			'One per Prompt': { main: [[{ node: 'Generate Video', type: 'main', index: 0 }]] },
			'Generate Video': { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

beforeAll(async () => {
	// Jobs finish 2–8 s after submission, each at its own time, as real jobs do.
	emu = await startEmulator({
		jobDurationMs: { video: [2000, 8000] },
		seed: 5,
		videoBytes: VIDEO_BYTES,
		render: false,
	});
	const port = await freePort();
	await n8n.packAndInstall();
	await n8n.importCredential({
		...EXAMPLE_CREDENTIAL,
		data: { apiToken: emu.token, baseUrl: emu.baseUrl },
	});
	await n8n.importWorkflow([batchWorkflow()]);
	server = await n8n.startServer({ port });
	await server.ensureOwnerAndLogin();
}, 180_000);

afterAll(async () => {
	await server?.stop();
	await emu?.close();
	n8n.cleanup();
});

test('five items: one waiting execution, zero job reads until the last callback, five MP4s in order', async () => {
	const executionId = await server.runWorkflow(WORKFLOW_ID);
	const waiting = await server.waitForExecution(executionId, {
		until: ['waiting', 'success', 'error', 'crashed'],
	});
	expect(waiting.status).toBe('waiting');

	const jobs = PROMPTS.map(
		(prompt) => [...emu.jobs.values()].find((job) => job.request.prompt === prompt)!,
	);
	expect(jobs.every(Boolean)).toBe(true);
	expect(new Set(jobs.map((job) => job.request.replyUrl))).toEqual(
		new Set([server.resumeUrl(waiting)]),
	);

	const done = await server.waitForExecution(executionId, { timeoutMs: 60_000 });
	assertSucceeded(done);

	const terminal = emu.callbacks.filter(
		(call) =>
			call.url === server.resumeUrl(waiting) && (call.body as JobRecord).status === 'completed',
	);
	expect(terminal).toHaveLength(PROMPTS.length);
	// The last callback is sent when the last job finishes; its handling resumes the execution.
	const lastCallback = Math.max(...terminal.map((call) => call.sentAt));
	const jobReads = emu.requests.filter((r) => r.method === 'GET' && r.path.includes('/videos/'));
	expect(jobReads.filter((r) => r.time < lastCallback)).toHaveLength(0);
	expect(jobReads).toHaveLength(PROMPTS.length);

	const out = nodeItems(done, 'After');
	expect(out.map((item) => item.jobid)).toEqual(jobs.map((job) => job.jobid));
	expect(out.map((item) => item.status)).toEqual(Array(PROMPTS.length).fill('completed'));
	const binaries = nodeBinaries(done, 'Generate Video');
	expect(binaries).toHaveLength(PROMPTS.length);
	for (const binary of binaries) {
		expect(binary.data.mimeType).toBe('video/mp4');
		expect(readBinary(n8n.userFolder, binary.data).length).toBe(VIDEO_BYTES);
	}
}, 120_000);
