/**
 * Twenty videos at the documented job times (60–180 s), waited for with the node's default
 * settings, in real time: the requests the emulator receives (its request log) show at most two
 * reads per job, scheduler reads shared by all jobs, and each job read once when it is done.
 * Takes about three and a half minutes; jest runs it beside the other files.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { disposeHarness, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina, items } from './support/workflows';

const ACCOUNT = 'CA:batch@example.com';
const JOBS = 20;
const LONGEST_JOB_MS = 180_000;

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({
		accounts: [{ email: 'batch@example.com', region: 'CA', maxJobs: JOBS }],
		jobDurationMs: { video: [60_000, LONGEST_JOB_MS] },
		seed: 20,
		render: false,
	});
});
afterAll(async () => {
	await emu.close();
	await disposeHarness();
});

it(
	'20 concurrent jobs cost at most 2 reads each, with the default schedule',
	async () => {
		const client = emulatorClient(emu);
		const result = await runWorkflow({
			workflow: chain([
				items(Array.from({ length: JOBS }, (_, n) => ({ prompt: `scene ${n + 1}` }))),
				{
					name: 'Dreamina',
					type: dreamina('dreaminaGenerateVideo'),
					typeVersion: 2,
					parameters: {
						account: { __rl: true, mode: 'id', value: ACCOUNT },
						inputMode: 'prompt',
						prompt: '={{ $json.prompt }}',
						waitForCompletion: 'poll',
						options: { downloadResult: false },
					},
				},
			]),
			credentials: { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } },
			timeoutMs: LONGEST_JOB_MS + 90_000,
		});
		expect(result.error).toBeUndefined();
		const out = result.output('Dreamina');
		expect(out.map((item) => (item.json as IDataObject).status)).toEqual(
			Array(JOBS).fill('completed'),
		);

		const reads = client.gets('/scheduler').length + client.gets('/videos/').length;
		expect(client.posts('/videos')).toHaveLength(JOBS);
		expect(client.gets('/videos/')).toHaveLength(JOBS);
		expect(reads / JOBS).toBeLessThanOrEqual(2);
	},
	LONGEST_JOB_MS + 120_000,
);
