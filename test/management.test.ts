/**
 * The Dreamina node (accounts, generation history, executing jobs): in-process n8n runs
 * (test/harness) against the API emulator (test/emulator).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Dreamina } from '../nodes/Dreamina/Dreamina.node';
import { resources } from '../nodes/Dreamina/actions/router';
import type { Emulator } from './emulator/server';
import { DEFAULT_ACCOUNTS, startEmulator } from './emulator/server';
import { disposeHarness, listSearch, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { chain, items } from './support/workflows';

// The node comes from package.json's n8n.nodes (dist/nodes/Dreamina/Dreamina.node.js → the .ts source),
// loaded the way n8n loads it.

const TOKEN = 'dummy-token-manage-5b8e20d4';
const CA = 'CA:ca-user@example.com';
const US = 'US:us-user@example.com';
const EXPIRED = 'CA:expired@example.com';
const NODE = 'n8n-nodes-dreamina.dreamina';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ token: TOKEN });
});
afterAll(async () => {
	await emu.close();
	await disposeHarness();
});
beforeEach(() => emu.reset());

const credentials = () => ({ dreaminaApi: { apiToken: TOKEN, baseUrl: emu.baseUrl } });

/** Runs Start → [Items] → Dreamina and returns the run, checking the token never shows. */
async function run(
	parameters: IDataObject,
	options: { input?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	const workflow = chain(
		[
			...(options.input ? [items(options.input)] : []),
			{ name: 'Dreamina', type: NODE, parameters, continueOnFail: options.continueOnFail },
		],
		'Dreamina node test',
	);
	const result = await runWorkflow({ workflow, credentials: credentials() });
	expect(JSON.stringify([result.runData, result.error ?? null])).not.toContain(TOKEN);
	return result;
}
const output = async (parameters: IDataObject, options?: Parameters<typeof run>[1]) => {
	const result = await run(parameters, options);
	expect(result.error).toBeUndefined();
	return result.output('Dreamina');
};
const apiCalls = (method: string, pattern: RegExp) =>
	emu.requests.filter((r) => r.method === method && pattern.test(r.path));

const startSlowJob = (account: string) =>
	emulatorClient(emu).submitJob('/videos', {
		account,
		prompt: 'Waves rolling onto a beach [slow]',
	});

describe('Dreamina node: description', () => {
	it('has Account, Asset and Job resources whose operations each have an action and an execute', () => {
		const { description } = new Dreamina();
		expect(description.usableAsTool).toBe(true);
		const resource = description.properties.find((p) => p.name === 'resource')!;
		expect(resource.options?.map((o) => (o as { value: string }).value)).toEqual([
			'account',
			'asset',
			'job',
		]);
		const operations = description.properties.filter((p) => p.name === 'operation');
		const byResource: Record<string, string[]> = Object.fromEntries(
			operations.map((p: INodeProperties) => [
				p.displayOptions?.show?.resource?.[0],
				(p.options as Array<{ value: string; action: string }>).map((o) => o.value),
			]),
		);
		expect(byResource).toEqual({
			account: ['add', 'delete', 'get', 'list'],
			asset: ['delete', 'list'],
			job: ['cancel', 'listExecuting'],
		});
		for (const [name, ops] of Object.entries(byResource)) {
			for (const op of ops) expect(typeof resources[name][op].execute).toBe('function');
		}
		// Every operation's own fields show only for it.
		for (const property of description.properties.filter(
			(p) => !['resource', 'operation'].includes(p.name),
		)) {
			expect(property.displayOptions?.show).toMatchObject({
				resource: [expect.any(String)],
				operation: [expect.any(String)],
			});
		}
	});

	it('lists the accounts for the Account locator from GET /accounts', async () => {
		const { results } = await listSearch(
			NODE,
			'searchAccounts',
			{ resource: 'account', operation: 'get' },
			credentials(),
		);
		expect(results.map((o) => o.value)).toEqual([CA, EXPIRED, US]);
	});
});

describe('Account', () => {
	it('List: one item per configured account', async () => {
		const out = await output({ resource: 'account', operation: 'list' });
		expect(out.map((i) => i.json.account)).toEqual([US, CA, EXPIRED]);
		expect(out[0].json).toMatchObject({
			email: 'us-user@example.com',
			region: 'US',
			maxJobs: 10,
			sessionExpires: expect.any(String),
		});
		expect(out[2].json.error).toBe('Session expired');
		expect(out.every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(
			true,
		);
	});

	it('Get: credits, session expiry and models; without them when upstream does not answer', async () => {
		let [item] = await output({ resource: 'account', operation: 'get', account: CA });
		expect(item.json).toMatchObject({
			account: CA,
			credits: { total: 24065 },
			session: { daysUntilExpiry: expect.any(Number) },
			models: {
				video: expect.arrayContaining(['seedance-2.0']),
				image: expect.arrayContaining(['seedream-4.0']),
			},
		});
		expect(apiCalls('GET', /^\/v1\/dreamina\/accounts\/CA:ca-user@example\.com$/)[0].rawPath).toBe(
			'/v1/dreamina/accounts/CA%3Aca-user%40example.com',
		);

		emu.setOptions({
			accounts: [
				...DEFAULT_ACCOUNTS,
				{ email: 'flaky@example.com', region: 'US', liveDataFails: true },
			],
		});
		[item] = await output({
			resource: 'account',
			operation: 'get',
			account: 'US:flaky@example.com',
		});
		expect(item.json).toMatchObject({ account: 'US:flaky@example.com', maxJobs: 10 });
		expect(item.json).not.toHaveProperty('credits');
		expect(item.json).not.toHaveProperty('models');
	});

	// per item with Continue On Fail / the error output: test/error-output.test.ts
	it('Get: an unknown account is a 404 that says what to do', async () => {
		const failing = await run({
			resource: 'account',
			operation: 'get',
			account: 'US:nobody@example.com',
		});
		expect(failing.status).toBe('error');
		expect(failing.nodeError('Dreamina')).toMatchObject({
			httpCode: '404',
			message: expect.stringMatching(/^Dreamina account not found \(404\)/),
			description: expect.stringMatching(/Pick an account from the Account list/),
		});
	});

	it('Delete: removes the account; deleting it again is a 404', async () => {
		const [item] = await output({ resource: 'account', operation: 'delete', account: US });
		expect(item.json).toEqual({ account: US, deleted: true, remaining: 2 });
		const again = await run({ resource: 'account', operation: 'delete', account: US });
		expect(again.nodeError('Dreamina')?.message).toMatch(/^Dreamina account not found \(404\)/);
		const listed = await output({ resource: 'account', operation: 'list' });
		expect(listed.map((i) => i.json.account)).toEqual([CA, EXPIRED]);
	});
});

describe('Asset', () => {
	const historyCalls = () => apiCalls('GET', /^\/v1\/dreamina\/assets\/US:us-user@example\.com$/);

	it('List › Return All pages through nextOffset while hasMore', async () => {
		const out = await output({
			resource: 'asset',
			operation: 'list',
			account: US,
			returnAll: true,
			options: { pageSize: 10 },
		});
		expect(out).toHaveLength(25);
		expect(historyCalls().map((r) => r.query)).toEqual([
			{ count: '10' },
			{ count: '10', offset: '10' },
			{ count: '10', offset: '20' },
		]);
		expect(new Set(out.map((i) => i.json.assetId)).size).toBe(25);
		expect(out[0].json).toMatchObject({
			account: US,
			type: 'image',
			assetRef: expect.stringMatching(/^US:us-user@example\.com-image:/),
		});
		expect(out[2].json).toMatchObject({ type: 'video', videoUrl: expect.any(String) });
		expect(out.every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(
			true,
		);

		emu.clearRequests();
		expect(
			await output({ resource: 'asset', operation: 'list', account: US, returnAll: true }),
		).toHaveLength(25);
		expect(historyCalls().map((r) => r.query)).toEqual([{ count: '100' }]);
	});

	it('List › Limit asks for no more than needed, paging when the limit exceeds a page', async () => {
		let out = await output({
			resource: 'asset',
			operation: 'list',
			account: US,
			returnAll: false,
			limit: 5,
		});
		expect(out).toHaveLength(5);
		expect(historyCalls().map((r) => r.query)).toEqual([{ count: '5' }]);

		emu.clearRequests();
		out = await output({
			resource: 'asset',
			operation: 'list',
			account: US,
			returnAll: false,
			limit: 12,
			options: { pageSize: 5 },
		});
		expect(out).toHaveLength(12);
		expect(historyCalls().map((r) => r.query)).toEqual([
			{ count: '5' },
			{ count: '5', offset: '5' },
			{ count: '2', offset: '10' },
		]);

		emu.clearRequests();
		out = await output({
			resource: 'asset',
			operation: 'list',
			account: US,
			returnAll: false,
			limit: 60,
		});
		expect(out).toHaveLength(25);
		expect(historyCalls()).toHaveLength(1);
	});

	it('List: a page size outside 1–100 is named; an expired session (596) becomes an error item with Continue On Fail', async () => {
		let result = await run({
			resource: 'asset',
			operation: 'list',
			account: US,
			returnAll: true,
			options: { pageSize: 500 },
		});
		expect(result.nodeError('Dreamina')?.message).toBe(
			'Options › Page Size (pageSize): must be a whole number from 1 to 100',
		);
		expect(historyCalls()).toHaveLength(0);

		result = await run(
			{ resource: 'asset', operation: 'list', account: EXPIRED, returnAll: true },
			{ continueOnFail: true },
		);
		expect(result.output('Dreamina')).toEqual([
			{
				json: {
					error: 'The Dreamina session of CA:expired@example.com has expired (596)',
					description: expect.stringMatching(
						/Re-add the account with its email and password \(Dreamina node → Account → Add\)/,
					),
				},
				pairedItem: { item: 0 },
			},
		]);
		// 596 needs the user: it is not retried.
		expect(apiCalls('GET', /^\/v1\/dreamina\/assets\/CA:expired@example\.com$/)).toHaveLength(1);
	});

	it('Delete: removes a history asset by its assetId; an unknown one is a 404 (error item with Continue On Fail)', async () => {
		const [first, second] = await output({
			resource: 'asset',
			operation: 'list',
			account: CA,
			returnAll: false,
			limit: 2,
		});
		const result = await run(
			{ resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}' },
			{
				input: [
					{ assetId: first.json.assetId },
					{ assetId: `${CA}-1:2` },
					{ assetId: second.json.assetId },
				],
				continueOnFail: true,
			},
		);
		const out = result.output('Dreamina');
		expect(out[0].json).toEqual({ deleted: true, assetId: first.json.assetId, account: CA });
		expect(out[1]).toEqual({
			json: {
				error: `Not found (404) when trying to delete asset ${CA}-1:2: Asset ${CA}-1:2 not found`,
				description: expect.any(String),
			},
			pairedItem: { item: 1 },
		});
		expect(out[2].json).toMatchObject({ deleted: true, assetId: second.json.assetId });
		const remaining = await output({
			resource: 'asset',
			operation: 'list',
			account: CA,
			returnAll: true,
		});
		expect(remaining).toHaveLength(23);
		expect(remaining.map((i) => i.json.assetId)).not.toContain(first.json.assetId);

		const empty = await run({ resource: 'asset', operation: 'delete', assetId: '  ' });
		expect(empty.nodeError('Dreamina')?.message).toBe('Asset ID (assetId): is required');
	});
});

describe('Job', () => {
	it('List Executing: one item per running job, with its account; Cancel fails a running job', async () => {
		expect(await output({ resource: 'job', operation: 'listExecuting' })).toEqual([]);

		const caJob = await startSlowJob(CA);
		const usJob = await startSlowJob(US);
		const running = await output({ resource: 'job', operation: 'listExecuting' });
		expect(running.map((i) => [i.json.account, i.json.jobid])).toEqual(
			expect.arrayContaining([
				[CA, caJob],
				[US, usJob],
			]),
		);
		expect(running).toHaveLength(2);
		expect(running[0].json).toMatchObject({
			model: expect.any(String),
			elapsedSeconds: expect.any(Number),
			submitId: expect.any(String),
		});

		const [cancelled] = await output({ resource: 'job', operation: 'cancel', jobid: caJob });
		expect(cancelled.json).toEqual({ jobid: caJob, removed: true });
		expect(emu.jobs.get(caJob)).toMatchObject({ status: 'failed', error: 'Cancelled by user' });
		expect(apiCalls('DELETE', /^\/v1\/dreamina\/scheduler\//)[0].rawPath).toBe(
			`/v1/dreamina/scheduler/${encodeURIComponent(caJob)}`,
		);
		expect(
			(await output({ resource: 'job', operation: 'listExecuting' })).map((i) => i.json.jobid),
		).toEqual([usJob]);
	});

	it('Cancel: a value that is not a job ID is named; an unknown job is a 404', async () => {
		let result = await run({ resource: 'job', operation: 'cancel', jobid: 'abc' });
		expect(result.nodeError('Dreamina')?.message).toBe('Job ID: "abc" is not a Dreamina job ID');
		expect(apiCalls('DELETE', /scheduler/)).toHaveLength(0);

		const unknown = 'j0101010101000000000v-u12345-US:us-user@example.com-bot:dreamina';
		result = await run(
			{ resource: 'job', operation: 'cancel', jobid: unknown },
			{ continueOnFail: true },
		);
		expect(result.output('Dreamina')[0].json).toMatchObject({
			error: 'Job not found (404) when trying to cancel the job: Job not found',
			jobid: unknown,
		});
	});
});
