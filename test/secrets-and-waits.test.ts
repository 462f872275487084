/**
 * Secrets live in credentials (Dreamina → Account → Add, version 2) and no wait is hidden: a 429
 * "All accounts at capacity" is retried only for Options › Wait for Capacity, in every mode.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { disposeHarness, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina } from './support/workflows';

const LOGIN_PHRASE = 'a-very-private-pa55word';
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 300, image: 200, upscale: 200 },
		render: false,
	});
});
afterAll(async () => {
	await emu.close();
	await disposeHarness();
});
beforeEach(() => {
	emu.clearRequests();
	emu.clearFaults();
});

function addAccount(login: { email: string; password: string; region: string }, maxJobs = 4) {
	const workflow = chain([
		{
			name: 'Dreamina',
			type: dreamina('dreamina'),
			typeVersion: 2,
			parameters: { resource: 'account', operation: 'add', options: { maxJobs } },
		},
	]);
	const node = workflow.nodes.find((n) => n.name === 'Dreamina')!;
	Object.assign(node, {
		credentials: {
			dreaminaApi: { id: 'api', name: 'Dreamina API' },
			dreaminaAccountApi: { id: 'login', name: 'Dreamina login' },
		},
	});
	return {
		workflow,
		run: async () =>
			await runWorkflow({
				workflow,
				credentials: {
					dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl },
					dreaminaAccountApi: login,
				},
			}),
	};
}

describe('Account → Add (version 2) takes the login from the Dreamina Account credential', () => {
	it('adds the account (email trimmed); the password is in no parameter, output or execution data', async () => {
		const { workflow, run } = addAccount({
			email: ' fresh@example.com\n',
			password: LOGIN_PHRASE,
			region: 'CA',
		});
		const result = await run();
		expect(result.error).toBeUndefined();
		expect(result.output('Dreamina')[0].json).toMatchObject({
			account: 'CA:fresh@example.com',
			maxJobs: 4,
		});
		const [post] = emulatorClient(emu).posts('/accounts');
		expect(post.body).toEqual({
			email: 'fresh@example.com',
			password: LOGIN_PHRASE,
			region: 'CA',
			maxJobs: 4,
		});
		expect(JSON.stringify(workflow)).not.toContain(LOGIN_PHRASE);
		expect(JSON.stringify(result.executionData)).not.toContain(LOGIN_PHRASE);
	});

	it('a failed login reads clearly and carries no password', async () => {
		const { run } = addAccount({ email: 'someone@example.com', password: 'wrong', region: 'US' });
		const result = await run();
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/could not log in/i);
		expect(JSON.stringify(result.executionData)).not.toContain('"wrong"');
		expect(emulatorClient(emu).posts('/accounts')).toHaveLength(1);
	});

	it('an invalid login in the credential is named as the credential’s, Max Jobs beside it, and nothing is sent', async () => {
		const login = { email: 'not-an-email', password: LOGIN_PHRASE, region: 'CA' };
		const result = await addAccount(login, 80).run();
		expect(result.error?.message).toMatch(
			/email.*must be the Dreamina account’s email address \(in the Dreamina Account credential\)/,
		);
		expect(result.error?.description).toMatch(
			/Also: Options › Max Jobs \(maxJobs\): must be 1–50\. Nothing was sent to Dreamina/,
		);
		expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});
});

describe('no hidden waits: a 429 is retried only for Options › Wait for Capacity', () => {
	it.each(['none', 'poll'])(
		'in %s mode the node gives up after the capacity wait, not the job timeout',
		async (mode) => {
			emu.injectFault({
				method: 'POST',
				path: '/videos',
				status: 429,
				body: { error: 'All accounts at capacity' },
				times: 0,
			});
			const started = Date.now();
			const result = await runWorkflow({
				workflow: chain([
					{
						name: 'Dreamina',
						type: dreamina('dreaminaGenerateVideo'),
						typeVersion: 2,
						parameters: {
							account: { __rl: true, mode: 'list', value: 'auto' },
							inputMode: 'prompt',
							prompt: 'busy',
							waitForCompletion: mode,
							options: { capacityWaitMinutes: 0.1, timeoutMinutes: 60 },
						},
					},
				]),
				credentials: { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } },
				timeoutMs: 30_000,
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/at capacity \(429\)/);
			expect(Date.now() - started).toBeLessThan(15_000);
			expect(emulatorClient(emu).posts('/videos').length).toBeGreaterThan(1);
		},
	);
});
