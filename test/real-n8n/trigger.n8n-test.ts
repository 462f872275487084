/**
 * Dreamina Trigger in a running n8n (`n8n start`, SQLite), where only real n8n can show it: the
 * trigger is activated by the server (its webhook registered), a callback carrying the
 * credential's Callback Secret starts an execution with the job and its MP4, and neither
 * `n8n export:workflow`, the execution data, the database file nor the log holds the secret.
 * (What the trigger answers to forged, repeated and slow calls: test/trigger.test.ts, in-process;
 * the webhook process and a burst: test/queue/trigger.queue-test.ts.)
 */
import type { Emulator, JobRecord } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import { withCallbackSecret } from '../../nodes/shared/callbackSecret';
import { fileExists, joinPath, readText } from '../support/system';
import { linearWorkflow } from '../support/workflows';
import {
	N8nTestInstance,
	assertSucceeded,
	nodeBinaries,
	nodeItems,
	readBinary,
	type N8nServer,
} from './n8n';

const VIDEO_BYTES = 180_000;
/** A test value (the lint rejects literal secrets unless they say so). */
const CALLBACK_SECRET = 'example-real-n8n-callback-secret-5c1f';
const CREDENTIAL = { id: 'dreaminaTrgCred1', name: 'Dreamina (trigger test)' };
const WEBHOOK_ID = '4b8c2d1e-7f3a-4e59-9c0d-1a2b3c4d5e6f';
const NODE = 'Dreamina Trigger';
const WORKFLOW = {
	...linearWorkflow(
		[
			{
				name: NODE,
				type: 'n8n-nodes-dreamina.dreaminaTrigger',
				parameters: {},
				extra: { webhookId: WEBHOOK_ID, credentials: { dreaminaApi: CREDENTIAL } },
			},
			{ name: 'After', type: 'n8n-nodes-base.noOp' },
		],
		'trigger test',
	),
	id: 'triggerTestWf001',
};

const n8n = new N8nTestInstance();
let emu: Emulator;
let server: N8nServer;

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300 }, videoBytes: VIDEO_BYTES });
	await n8n.packAndInstall();
	await n8n.importCredential({
		...CREDENTIAL,
		type: 'dreaminaApi',
		data: { apiToken: emu.token, baseUrl: emu.baseUrl, callbackSecret: CALLBACK_SECRET },
	});
	await n8n.importWorkflow(WORKFLOW);
	server = await n8n.startServer();
	await server.ensureOwnerAndLogin();
	await server.activateWorkflow(WORKFLOW.id);
}, 240_000);

afterAll(async () => {
	await server?.stop();
	await emu?.close();
	n8n.cleanup();
});

test('the activated trigger starts an execution with the job and its MP4 from a callback with the secret', async () => {
	// The Reply URL the generation nodes build: the Production URL + the credential's secret.
	const productionUrl = `${server.url}/webhook/${WEBHOOK_ID}/dreamina`;
	const replyUrl = withCallbackSecret(productionUrl, CALLBACK_SECRET);
	const res = await fetch(`${emu.baseUrl}/videos`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ prompt: 'a kite over a wheat field', replyUrl, replyRef: 'order-7' }),
	});
	const { jobid } = (await res.json()) as JobRecord;
	const run = await server.nextExecution(WORKFLOW.id, 0);
	assertSucceeded(run);
	const [item] = nodeItems(run, NODE);
	expect(item).toMatchObject({
		event: 'completed',
		replyRef: 'order-7',
		jobid,
		status: 'completed',
	});
	expect(item.request.replyUrl).toBe(`${productionUrl}?secret=***`);
	const [binary] = nodeBinaries(run, NODE);
	const bytes = readBinary(n8n.userFolder, binary.data);
	expect([binary.data.mimeType, bytes.length, bytes.subarray(4, 8).toString('latin1')]).toEqual([
		'video/mp4',
		VIDEO_BYTES,
		'ftyp',
	]);
	expect(nodeItems(run, 'After')).toHaveLength(1);
}, 90_000);

test('no Callback Secret in n8n export:workflow, the execution data, the database file or the log', async () => {
	const exportFile = joinPath(n8n.userFolder, 'exported-workflows.json');
	expect((await n8n.cli(['export:workflow', '--all', `--output=${exportFile}`])).code).toBe(0);
	const workflows = readText(exportFile);
	expect(workflows).toContain(WEBHOOK_ID);
	expect(workflows).not.toContain(CALLBACK_SECRET);
	const executions = await server.listExecutions(WORKFLOW.id);
	expect(executions.length).toBeGreaterThanOrEqual(1);
	for (const { id } of executions)
		expect(JSON.stringify(await server.getExecution(id))).not.toContain(CALLBACK_SECRET);
	// The credential is stored encrypted; nothing else in n8n's database holds the secret.
	for (const file of ['database.sqlite', 'database.sqlite-wal']) {
		const path = joinPath(n8n.userFolder, '.n8n', file);
		if (fileExists(path)) expect(readText(path)).not.toContain(CALLBACK_SECRET);
	}
	expect(server.logs()).not.toContain(CALLBACK_SECRET);
}, 120_000);
