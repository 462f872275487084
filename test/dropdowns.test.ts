/**
 * Issue 9.6: the lists behind the resource locators (Account, Model, Job ID), run as the editor's
 * From List search runs them (harness listSearch), and n8n's own checks of the locators' By ID
 * values.
 */
import { sleep } from 'n8n-workflow';

import { documentedVideoModels } from '../nodes/shared/capabilities';
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { listSearch, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, dreamina } from './support/workflows';

const US = 'US:us-user@example.com';
const EXPIRED = 'CA:expired@example.com';
const VIDEO = dreamina('dreaminaGenerateVideo');
const IMAGE = dreamina('dreaminaGenerateImage');

/** The documented models per region, from the package's one table (every mode takes prompt). */
const DOCUMENTED_US = documentedVideoModels('US');
const DOCUMENTED_CA_PROMPT = documentedVideoModels('CA');

let emu: Emulator;
let creds: { dreaminaApi: { apiToken: string; baseUrl: string } };

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300, image: 200, upscale: 200 } });
	creds = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const rl = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });
const accountReads = (account: string) =>
	emu.requests.filter((r) => r.method === 'GET' && r.path === `/v1/dreamina/accounts/${account}`);
/** A resource locator's From List entries, as the editor gets them. */
const search = async (node: string, method: string, parameters: Record<string, unknown>) =>
	(await listSearch(node, method, parameters, creds)).results;
const models = (account: string, inputMode = 'prompt') =>
	search(VIDEO, 'searchVideoModels', { account: rl(account), inputMode });

describe('the model list of an account with an expired session', () => {
	it('CA:expired shows the documented CA models and says to re-add the account', async () => {
		const list = await models(EXPIRED);
		expect(list.map((o) => o.value)).toEqual(['', ...DOCUMENTED_CA_PROMPT]);
		for (const entry of list) {
			expect(entry.description).toMatch(
				/documented list: Session expired: re-add the account \(Dreamina → Account → Add\)/,
			);
		}
	});
});

describe('when GET /accounts/{account} fails, the list answers quickly from the docs and says why', () => {
	it('a 500: one attempt, an answer within ~6 s, entries saying they are the documented list and why', async () => {
		emu.injectFault({
			method: 'GET',
			path: `/accounts/${US}`,
			status: 500,
			body: { error: 'Upstream exploded' },
			times: 0,
		});
		const started = Date.now();
		const list = await models(US);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeLessThan(6000);
		expect(accountReads(US)).toHaveLength(1);
		expect(list.map((o) => o.value)).toEqual(['', ...DOCUMENTED_US]);
		for (const entry of list) {
			expect(entry.description).toMatch(
				/documented list: the account could not be read \(.*500.*\)/,
			);
		}
	});

	it('no answer at all: the list gives up after its own timeout (~5 s), not n8n’s or the retries’', async () => {
		// held past the list's 5 s; not much longer, so the emulator's hold is over when the file ends
		emu.injectFault({ method: 'GET', path: `/accounts/${US}`, delayMs: 6_000, times: 0 });
		const started = Date.now();
		const list = await models(US);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeLessThan(6500);
		expect(accountReads(US)).toHaveLength(1);
		expect(list[1].description).toMatch(/documented list: the account could not be read/);
		await sleep(1500);
	}, 15_000);

	it('Generate Image’s list falls back the same way', async () => {
		emu.injectFault({ method: 'GET', path: `/accounts/${US}`, status: 500, times: 0 });
		const started = Date.now();
		const list = await search(IMAGE, 'searchImageModels', { account: rl(US) });
		expect(Date.now() - started).toBeLessThan(6000);
		expect(list.length).toBeGreaterThan(0);
		for (const entry of list)
			expect(entry.description).toMatch(/documented list: the account could not be read/);
	});

	it('the account list itself fails once and fast when GET /accounts fails', async () => {
		emu.injectFault({ method: 'GET', path: '/accounts', status: 503, times: 0 });
		const started = Date.now();
		await expect(search(VIDEO, 'searchAccountsWithAuto', {})).rejects.toThrow(/503/);
		expect(Date.now() - started).toBeLessThan(6000);
		expect(emulatorClient(emu).calls('GET', /^\/v1\/dreamina\/accounts$/)).toHaveLength(1);
	});
});

describe('n8n’s checks of the version 2 locators’ By ID values', () => {
	const generate = (account: { __rl: boolean; mode: string; value: string }) =>
		runWorkflow({
			workflow: chain([
				{
					name: 'Node',
					type: VIDEO,
					parameters: {
						account,
						prompt: 'p',
						model: rl('seedance-2.0', 'id'),
						waitForCompletion: 'none',
					},
				},
			]),
			credentials: creds,
			timeoutMs: 20_000,
		});

	it('Account By ID takes REGION:email and auto, and refuses anything else before the node runs', async () => {
		expect((await generate(rl(US, 'id'))).error).toBeUndefined();
		expect((await generate(rl('auto', 'id'))).error).toBeUndefined();
		emu.clearRequests();
		const bad = await generate(rl('us-user@example.com', 'id'));
		expect(bad.error?.message).toContain('An account ID is REGION:email');
		expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	// n8n anchors a locator's regex itself (`^${regex}$`, n8n-workflow NodeHelpers
	// validateResourceLocatorParameter): JOB_ID_PATTERN must match a whole jobid.
	it('Get Job By ID runs with a real jobid and refuses a malformed one before it runs', async () => {
		const getJob = (jobid: string) =>
			runWorkflow({
				workflow: chain([
					{
						name: 'Node',
						type: dreamina('dreaminaGetJob'),
						parameters: { jobid: rl(jobid, 'id'), waitForCompletion: 'none' },
					},
				]),
				credentials: creds,
				timeoutMs: 20_000,
			});
		const jobid = await emulatorClient(emu).submitJob('/videos', { account: US, prompt: 'typed' });
		const typed = await getJob(jobid);
		expect(typed.error).toBeUndefined();
		expect(typed.output('Node')[0].json).toMatchObject({ jobid });
		emu.clearRequests();
		const result = await getJob('hello');
		expect(result.error?.message).toContain('A Dreamina job ID starts like');
		expect(emu.requests).toHaveLength(0);
	});
});
