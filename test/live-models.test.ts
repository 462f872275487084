/**
 * Issue 9.1: the account's live model list (GET /accounts/{account} → models) decides which models
 * a job may use, the documented table what each model takes; Options › Skip Model Limit Checks
 * hands the decision to the API; structural rules stop the batch whatever the option says.
 * Through n8n's engine (WorkflowExecute in-process) against the API emulator.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina, items } from './support/workflows';

const US = 'US:us-user@example.com';
const CA = 'CA:ca-user@example.com';
const VIDEO = dreamina('dreaminaGenerateVideo');
const IMAGE = dreamina('dreaminaGenerateImage');

let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };

const client = () => emulatorClient(emu);
const videoPosts = () => client().posts('/videos');
/** Job-creating POSTs the API accepted (a 429 "All accounts at capacity" created nothing and is retried). */
const accepted = (suffix: string) =>
	client()
		.posts(suffix)
		.filter((r) => r.status === 200);
const accountReads = (account: string) =>
	emu.requests.filter((r) => r.method === 'GET' && r.path === `/v1/dreamina/accounts/${account}`);

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300, image: 200, upscale: 200 } });
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());
beforeEach(() => {
	emu.reset();
});

const rl = (value: string, mode: 'list' | 'id' = 'id') => ({ __rl: true, mode, value });

/** Generate Video's parameters: locators, waiting settings under Options. */
function videoParams(p: {
	account?: string;
	model?: string;
	prompt?: string;
	resolution?: string;
	duration?: number;
	inputMode?: string;
	wait?: 'poll' | 'none';
	options?: Record<string, unknown>;
	extra?: Record<string, unknown>;
}): Record<string, unknown> {
	const wait = p.wait ?? 'poll';
	const common = {
		inputMode: p.inputMode ?? 'prompt',
		prompt: p.prompt ?? 'a lighthouse at dawn',
		...(p.resolution ? { resolution: p.resolution } : {}),
		...(p.duration !== undefined ? { duration: p.duration } : {}),
		waitForCompletion: wait,
		...p.extra,
	};
	return {
		account: rl(p.account ?? 'auto', p.account ? 'id' : 'list'),
		model: rl(p.model ?? '', p.model ? 'id' : 'list'),
		...common,
		options: {
			downloadResult: false,
			firstCheckSeconds: 0.3,
			maxIntervalSeconds: 0.3,
			...p.options,
		},
	};
}

function run(type: string, parameters: Record<string, unknown>, inputs?: object[]) {
	return runWorkflow({
		workflow: chain([...(inputs ? [items(inputs)] : []), { name: 'Node', type, parameters }]),
		credentials,
		timeoutMs: 40_000,
	});
}

describe('Generate Video: what the live list allows is sent', () => {
	it('seedance-2.0 on the US account is sent and completes', async () => {
		const result = await run(VIDEO, videoParams({ account: US, model: 'seedance-2.0' }));
		expect(result.error).toBeUndefined();
		const [item] = result.output('Node');
		expect(item.json).toMatchObject({ status: 'completed', model: 'seedance-2.0' });
		expect(videoPosts()).toHaveLength(1);
		expect(videoPosts()[0].body).toMatchObject({ account: US, model: 'seedance-2.0' });
	});

	it('seedance-2.0 at 1080p on the CA account is sent and completes', async () => {
		const result = await run(
			VIDEO,
			videoParams({ account: CA, model: 'seedance-2.0', resolution: '1080p' }),
		);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Node');
		expect(item.json).toMatchObject({ status: 'completed', model: 'seedance-2.0' });
		expect(videoPosts()).toHaveLength(1);
		expect(videoPosts()[0].body).toMatchObject({ account: CA, resolution: '1080p' });
	});

	it('seedance-2.0 at 1080p on the US account is refused before sending, naming Resolution and US', async () => {
		const result = await run(
			VIDEO,
			videoParams({ account: US, model: 'seedance-2.0', resolution: '1080p' }),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message.startsWith(`Resolution (resolution): `)).toBe(true);
		expect(result.error?.message).toMatch(/\bUS\b/);
		expect(result.error?.message).toContain('720p');
		expect(result.error?.description).toMatch(/Nothing was sent/);
		expect(videoPosts()).toHaveLength(0);
	});

	it('a model the account’s live list does not offer is refused, naming the account and what it offers', async () => {
		// The docs give CA accounts every model; this account's live list has only two.
		emu.setOptions({
			accounts: [
				{
					email: 'narrow@example.com',
					region: 'CA',
					models: { video: ['seedance-2.0', 'seedance-1.0-mini'], image: ['seedream-4.5'] },
				},
			],
		});
		const account = 'CA:narrow@example.com';
		const result = await run(VIDEO, videoParams({ account, model: 'seedance-1.5-pro' }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`Model (model): seedance-1.5-pro is not offered by`);
		expect(result.error?.message).toContain(account);
		expect(result.error?.message).toContain('seedance-2.0, seedance-1.0-mini');
		expect(videoPosts()).toHaveLength(0);
		expect(accountReads(account)).toHaveLength(1);
	});

	it('a model the docs list for CA only is sent when a US account’s live list offers it', async () => {
		emu.setOptions({
			accounts: [
				{
					email: 'sora@example.com',
					region: 'US',
					models: { video: ['sora2', 'seedance-2.0'], image: ['seedream-4.5'] },
				},
			],
		});
		const account = 'US:sora@example.com';
		const result = await run(VIDEO, videoParams({ account, model: 'sora2', duration: 8 }));
		expect(result.error).toBeUndefined();
		expect(result.output('Node')[0].json).toMatchObject({ status: 'completed', model: 'sora2' });
		expect(accepted('/videos')).toHaveLength(1);
	});

	it('a model the live list offers that the docs do not know is sent (the API decides)', async () => {
		emu.setOptions({
			accounts: [
				{
					email: 'new@example.com',
					region: 'CA',
					models: { video: ['seedance-3.0', 'seedance-2.0'], image: ['seedream-4.5'] },
				},
			],
		});
		const account = 'CA:new@example.com';
		const result = await run(VIDEO, videoParams({ account, model: 'seedance-3.0' }));
		// The emulator knows no such model's limits: it may create or refuse, but the node sent it.
		expect(videoPosts()).toHaveLength(1);
		expect(videoPosts()[0].body).toMatchObject({ account, model: 'seedance-3.0' });
		if (result.status === 'error') expect(result.error?.message).not.toMatch(/not offered by/);
	});
});

describe('Options › Skip Model Limit Checks (v2)', () => {
	it('sends 1080p seedance-2.0 on US, and the API’s 400 names the parameter and says nothing was created', async () => {
		const result = await run(
			VIDEO,
			videoParams({
				account: US,
				model: 'seedance-2.0',
				resolution: '1080p',
				options: { skipModelChecks: true },
			}),
		);
		expect(videoPosts()).toHaveLength(1);
		expect(videoPosts()[0].status).toBe(400);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/Dreamina rejected the request to submit the video job \(400\)/,
		);
		expect(result.error?.message).toContain('Parameter resolution (1080p)');
		expect(result.error?.description).toMatch(/Change Resolution \(resolution\) and run again/);
		expect(result.error?.description).toMatch(/Nothing was created/);
		// No account read is needed when the limits are not checked.
		expect(accountReads(US)).toHaveLength(0);
	});

	it('sends a model the live list does not offer, and the API refuses it by name', async () => {
		const result = await run(
			VIDEO,
			videoParams({ account: US, model: 'sora2', options: { skipModelChecks: true } }),
		);
		expect(videoPosts()).toHaveLength(1);
		expect(result.error?.message).toContain('Parameter model (sora2)');
		expect(result.error?.description).toMatch(
			/Change Model \(model\) and run again\. Nothing was created/,
		);
	});

	it('still stops the whole batch on a structural rule before any POST (omni @image2 without a reference)', async () => {
		const result = await run(
			VIDEO,
			{
				...videoParams({
					account: CA,
					model: 'seedance-2.0',
					inputMode: 'omni',
					prompt: '={{ $json.prompt }}',
					options: { skipModelChecks: true },
				}),
				imageReferences: {
					reference: [{ source: 'assetRef', assetRef: '={{ $json.ref }}' }],
				},
			},
			await (async () => {
				const [ref] = await client().historyImages(CA);
				return [
					{ prompt: '@image1 walks', ref },
					{ prompt: '@image1 meets @image2', ref },
					{ prompt: '@image1 runs', ref },
				];
			})(),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Prompt \(prompt\): mentions @image2/);
		expect(result.error?.context).toMatchObject({ itemIndex: 1 });
		expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});
});

describe('the live list is read once per account per execution', () => {
	it('20 items on one account: at most one GET /accounts/{account}', async () => {
		const inputs = Array.from({ length: 20 }, (_, i) => ({ prompt: `shot ${i + 1}` }));
		const result = await run(
			VIDEO,
			videoParams({
				account: US,
				model: 'seedance-2.0',
				prompt: '={{ $json.prompt }}',
				wait: 'none',
			}),
			inputs,
		);
		expect(result.error).toBeUndefined();
		expect(result.output('Node')).toHaveLength(20);
		expect(accepted('/videos')).toHaveLength(20);
		expect(accountReads(US).length).toBeLessThanOrEqual(1);
	});

	it('20 items over two accounts: at most one read of each (Generate Video and Image alike)', async () => {
		const inputs = Array.from({ length: 20 }, (_, i) => ({
			account: i % 2 ? US : CA,
			prompt: `shot ${i + 1}`,
		}));
		const video = await run(
			VIDEO,
			videoParams({
				account: '={{ $json.account }}',
				model: 'seedance-2.0',
				prompt: '={{ $json.prompt }}',
				wait: 'none',
			}),
			inputs,
		);
		expect(video.error).toBeUndefined();
		expect(accepted('/videos')).toHaveLength(20);
		expect(accountReads(US).length).toBeLessThanOrEqual(1);
		expect(accountReads(CA).length).toBeLessThanOrEqual(1);

		emu.clearRequests();
		const image = await run(
			IMAGE,
			{
				account: rl('={{ $json.account }}'),
				model: rl('seedream-4.5'),
				prompt: '={{ $json.prompt }}',
				waitForCompletion: 'none',
			},
			inputs,
		);
		expect(image.error).toBeUndefined();
		expect(accepted('/images')).toHaveLength(20);
		expect(accountReads(US).length).toBeLessThanOrEqual(1);
		expect(accountReads(CA).length).toBeLessThanOrEqual(1);
	});
});
