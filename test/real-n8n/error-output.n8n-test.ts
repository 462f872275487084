/**
 * Issue 9.2 in a real n8n 2.41.1 (`n8n execute`): Generate Video (v2) with Settings › On Error
 * = *Continue (using error output)* gets 3 items; the one whose job fails (`[fail:2038]`, content
 * filtered) arrives at the node connected to the error output, with its jobid, and the other two
 * at the node connected to the main output, in input order.
 */
import type { Emulator } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import { CREDENTIAL_REF, dreamina, linearWorkflow } from '../support/workflows';
import { N8nTestInstance, describeExecution, nodeItems, type WorkflowJson } from './n8n';

const US = 'US:us-user@example.com';
const PROMPTS = ['a lighthouse at dawn', '[fail:2038] a filtered scene', 'a harbour at dusk'];

const n8n = new N8nTestInstance();
let emu: Emulator;
let workflowId: string;

/** Manual Trigger → Code (3 items) → Generate Video → main: Succeeded, error: Failed. */
function errorOutputWorkflow(): WorkflowJson {
	const workflow = linearWorkflow(
		[
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: 'Prompts',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: `return ${JSON.stringify(PROMPTS)}.map((prompt) => ({ json: { prompt } }));`,
				},
			},
			{
				name: 'Generate Video',
				type: dreamina('dreaminaGenerateVideo'),
				typeVersion: 2,
				parameters: {
					account: { __rl: true, mode: 'id', value: US },
					model: { __rl: true, mode: 'id', value: 'seedance-2.0' },
					inputMode: 'prompt',
					prompt: '={{ $json.prompt }}',
					waitForCompletion: 'poll',
					options: { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3, downloadResult: false },
				},
				extra: { onError: 'continueErrorOutput', credentials: CREDENTIAL_REF },
			},
		],
		'Generate Video error output',
	);
	workflow.nodes.push(
		{
			id: 'node-ok',
			name: 'Succeeded',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [880, -100],
			parameters: {},
		},
		{
			id: 'node-failed',
			name: 'Failed',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [880, 100],
			parameters: {},
		},
	);
	(workflow.connections as Record<string, unknown>)['Generate Video'] = {
		main: [
			[{ node: 'Succeeded', type: 'main', index: 0 }],
			[{ node: 'Failed', type: 'main', index: 0 }],
		],
	};
	return workflow as unknown as WorkflowJson;
}

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 500, image: 300, upscale: 300 } });
	await n8n.packAndInstall();
	await n8n.importCredential({
		id: CREDENTIAL_REF.dreaminaApi.id,
		name: CREDENTIAL_REF.dreaminaApi.name,
		type: 'dreaminaApi',
		data: { apiToken: emu.token, baseUrl: emu.baseUrl },
	});
	[workflowId] = await n8n.importWorkflow(errorOutputWorkflow());
});

afterAll(async () => {
	await emu?.close();
	n8n.cleanup();
});

test('the failed item reaches the error output’s node with its jobid, the others the main output’s', async () => {
	const run = await n8n.executeWorkflow(workflowId);
	expect([run.status, describeExecution(run)]).toEqual(['success', expect.any(String)]);

	const succeeded = nodeItems(run, 'Succeeded');
	expect(succeeded.map((item) => item.request?.prompt)).toEqual([PROMPTS[0], PROMPTS[2]]);
	for (const item of succeeded) {
		expect(item).toMatchObject({ status: 'completed', type: 'video', model: 'seedance-2.0' });
		expect(item).not.toHaveProperty('error');
	}

	const failed = nodeItems(run, 'Failed');
	expect(failed).toHaveLength(1);
	const [item] = failed;
	expect(item.error).toMatch(/job failed: .*code 2038/);
	expect(item.details.jobid).toMatch(/^j\d+v-u\d+-US:us-user@example\.com-bot:dreamina$/);
	expect(item.details.description).toContain(item.details.jobid);
	// n8n merges the input item into an error item: the prompt that failed is there
	expect(item.prompt).toBe(PROMPTS[1]);

	// the failed job is the one the emulator failed; three jobs were sent, once each
	const posts = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/dreamina/videos');
	expect(posts).toHaveLength(3);
	expect(emu.jobs.get(item.details.jobid)).toMatchObject({ status: 'failed' });
}, 120_000);
