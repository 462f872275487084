/**
 * The Dreamina API credential's test (as the editor's Test button runs it) and the live lists of
 * the Account and Model resource locators (as the editor searches them), against the emulator.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { documentedVideoModels, findVideoModel } from '../nodes/shared/capabilities';
import type { VideoMode } from '../nodes/shared/videoInputModes';
import { REGION_MODELS } from './emulator/catalog';
import { listSearch, testCredential } from './harness';
import { unusedPort } from './support/http-server';
import { dreamina } from './support/workflows';

let emu: Emulator;
let creds: { dreaminaApi: { apiToken: string; baseUrl: string } };

beforeAll(async () => {
	emu = await startEmulator();
	creds = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());

async function deadUrl(): Promise<string> {
	return `http://127.0.0.1:${await unusedPort()}/v1/dreamina`;
}

describe('credential test', () => {
	it('passes with the right token', async () => {
		expect(
			await testCredential('dreaminaApi', { apiToken: emu.token, baseUrl: emu.baseUrl }),
		).toEqual({
			status: 'OK',
			message: expect.stringMatching(/success/i),
		});
		expect(emu.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/dreamina/accounts' });
	});

	it('says the token was refused when it is wrong, without echoing it', async () => {
		const result = await testCredential('dreaminaApi', {
			apiToken: 'wrong-dummy-token-42',
			baseUrl: emu.baseUrl,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API token was refused \(401 Unauthorized\)/);
		expect(result.message).not.toContain('wrong-dummy-token-42');
	});

	it('tells an unreachable server apart from a wrong token', async () => {
		const result = await testCredential('dreaminaApi', {
			apiToken: emu.token,
			baseUrl: await deadUrl(),
		});
		expect(result.status).toBe('Error');
		expect(result.message).not.toMatch(/token was refused/);
		expect(result.message).toMatch(/ECONNREFUSED|connect|refused/i);
	});
});

const rl = (value: string) => ({ __rl: true, mode: 'list', value });
/** A resource locator's From List entries, as the editor gets them. */
const loadOptions = async (node: string, method: string, parameters: Record<string, unknown>) =>
	(await listSearch(node, method, parameters, creds)).results;

describe('resource locator lists', () => {
	const node = dreamina('dreaminaGenerateVideo');

	it('lists the token’s accounts with their region, plus Auto where the API allows it', async () => {
		const withAuto = await loadOptions(node, 'searchAccountsWithAuto', {});
		expect(withAuto[0]).toMatchObject({ value: 'auto', name: expect.stringMatching(/^Auto/) });
		expect(withAuto.slice(1).map((o) => o.value)).toEqual([
			'CA:ca-user@example.com',
			'CA:expired@example.com',
			'US:us-user@example.com',
		]);
		expect(withAuto.find((o) => o.value === 'US:us-user@example.com')!.description).toMatch(
			/Region US · up to 10 jobs/,
		);
		const plain = await loadOptions(dreamina('dreaminaGenerateImage'), 'searchAccounts', {});
		expect(plain.map((o) => o.value)).not.toContain('auto');
	});

	it('lists the models the chosen account offers for the input mode, with what each takes', async () => {
		const us = await loadOptions(node, 'searchVideoModels', {
			account: rl('US:us-user@example.com'),
			inputMode: 'prompt',
		});
		// the account's live list, less the models the package's table says lack the mode
		const takes = (region: 'US' | 'CA', mode: VideoMode) => [
			'',
			...REGION_MODELS[region].video.filter((m) => findVideoModel(m)?.modes.includes(mode) ?? true),
		];
		expect(us.map((o) => o.value)).toEqual(takes('US', 'prompt'));
		expect(us.find((o) => o.value === 'seedance-1.5-pro')!.description).toMatch(
			/^5, 10 or 12 s · 720p\/1080p/,
		);
		const caMulti = await loadOptions(node, 'searchVideoModels', {
			account: rl('CA:ca-user@example.com'),
			inputMode: 'multi_frame',
		});
		expect(caMulti.map((o) => o.value)).toEqual(takes('CA', 'multi_frame'));
		expect(caMulti.map((o) => o.value)).toContain('seedance-1.0-fast');
		const caOmni = await loadOptions(node, 'searchVideoModels', {
			account: rl('CA:ca-user@example.com'),
			inputMode: 'omni',
		});
		expect(caOmni.map((o) => o.value)).toEqual(takes('CA', 'omni'));
		expect(caOmni.map((o) => o.value)).toEqual(
			expect.arrayContaining(['seedance-2.5', 'seedance-2.0']),
		);
		expect(
			emu.requests.some((r) => r.path === '/v1/dreamina/accounts/CA:ca-user@example.com'),
		).toBe(true);
	});

	it('shows a model the account offers that the docs do not know yet', async () => {
		emu.setOptions({
			accounts: [
				{
					email: 'new@example.com',
					region: 'CA',
					models: { video: ['seedance-3.0', 'seedance-2.0'], image: ['seedream-6.0'] },
				},
			],
		});
		try {
			const models = await loadOptions(node, 'searchVideoModels', {
				account: rl('CA:new@example.com'),
				inputMode: 'prompt',
			});
			expect(models.map((o) => o.value)).toEqual(['', 'seedance-3.0', 'seedance-2.0']);
			const images = await loadOptions(dreamina('dreaminaGenerateImage'), 'searchImageModels', {
				account: rl('CA:new@example.com'),
			});
			expect(images.map((o) => o.value)).toEqual(['seedream-6.0']);
		} finally {
			emu.reset();
		}
	});

	it("falls back to the documented list (the account's region's, when known) when the account is Auto or its call fails", async () => {
		const auto = await loadOptions(node, 'searchVideoModels', {
			account: rl('auto'),
			inputMode: 'prompt',
		});
		// the package's table (every model it knows or names), not an account's list
		expect(auto.map((o) => o.value)).toEqual(['', ...documentedVideoModels()]);
		expect(auto.map((o) => o.value)).toContain('sora2');
		emu.injectFault({
			method: 'GET',
			path: '/accounts/US:us-user@example.com',
			status: 404,
			body: { error: 'Unable to find configuration' },
			times: 0,
		});
		try {
			const failing = await loadOptions(node, 'searchVideoModels', {
				account: rl('US:us-user@example.com'),
				inputMode: 'first_frame',
			});
			// the documented First Frame models of US accounts
			const firstFrameUS = documentedVideoModels('US').filter(
				(m) => findVideoModel(m)?.modes.includes('first_frame') ?? true,
			);
			expect(failing.map((o) => o.value)).toEqual(['', ...firstFrameUS]);
			expect(firstFrameUS).not.toContain('sora2');
		} finally {
			emu.clearFaults();
		}
		const liveless = await loadOptions(dreamina('dreaminaGenerateImage'), 'searchImageModels', {
			account: rl('={{ $json.account }}'),
		});
		expect(liveless).toHaveLength(7);
	});
});
