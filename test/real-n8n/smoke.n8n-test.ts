/**
 * Proves the real-n8n machinery with a throwaway community package (smoke-package.ts):
 * install it like n8n does, check its types loaded, import a credential and a workflow, run it
 * with `n8n execute`, see a validation failure explained, then start `n8n start`, log in, list
 * node types, test the credential and run the workflow over the REST API.
 *
 * Run: npx jest -c test/real-n8n/jest.real-n8n.config.js
 */

import {
	N8nTestInstance,
	N8nServer,
	assertSucceeded,
	describeExecution,
	n8nInstall,
	nodeItems,
	nodeTypesLoaded,
	packAndInstall,
	type InstalledPackage,
} from './n8n';
import {
	SMOKE_CREDENTIAL_TYPE,
	SMOKE_NODE_TYPE,
	SMOKE_PACKAGE_NAME,
	smokeWorkflow,
	writeSmokePackage,
} from './smoke-package';
import {
	appendFile,
	delay,
	fileExists,
	joinPath,
	PATH_SEP,
	readText,
	removeDir,
	tempDir,
} from '../support/system';
import { startJsonServer } from '../support/http-server';

const GOOD_TOKEN = 'smoke-good-token';

/** A stand-in API: /ping accepts only the good token, /echo returns the Authorization header. */
async function startFakeApi(): Promise<{
	url: string;
	requests: string[];
	close: () => Promise<void>;
}> {
	const server = await startJsonServer((req) => {
		if (req.url === '/ping') {
			return req.headers.authorization === `Bearer ${GOOD_TOKEN}`
				? { status: 200, json: { pong: true } }
				: { status: 401, json: { error: 'bad token' } };
		}
		if (req.url === '/echo') {
			return { status: 200, json: { authorization: req.headers.authorization ?? null } };
		}
		return { status: 404, json: { error: 'not found' } };
	});
	return {
		url: server.origin,
		get requests() {
			return server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? '-'}`);
		},
		close: server.close,
	};
}

describe('real n8n: community package machinery (throwaway package)', () => {
	const n8n = new N8nTestInstance();
	let pkgDir: string;
	let installed: InstalledPackage;
	let api: Awaited<ReturnType<typeof startFakeApi>>;
	let server: N8nServer | undefined;
	const cachedZodVersion: string = JSON.parse(
		readText(joinPath(n8nInstall().nodeModules, 'zod', 'package.json')),
	).version;

	beforeAll(async () => {
		pkgDir = writeSmokePackage(tempDir('n8n-smoke-pkg-'));
		api = await startFakeApi();
	});

	afterAll(async () => {
		await server?.stop();
		await api?.close();
		if (pkgDir) removeDir(pkgDir);
		n8n.cleanup();
	});

	test('packs and installs the package like n8n installs community packages', async () => {
		installed = await packAndInstall(n8n.userFolder, { packageDir: pkgDir });
		expect(installed.packageName).toBe(SMOKE_PACKAGE_NAME);
		expect(installed.installDir).toBe(
			joinPath(n8n.userFolder, '.n8n', 'nodes', 'node_modules', SMOKE_PACKAGE_NAME),
		);
		const pkg = JSON.parse(readText(joinPath(installed.installDir, 'package.json')));
		expect(pkg.peerDependencies).toBeUndefined();
		expect(pkg.devDependencies).toBeUndefined();
		const ledger = JSON.parse(readText(joinPath(n8n.userFolder, '.n8n', 'nodes', 'package.json')));
		expect(ledger.dependencies).toEqual({ [SMOKE_PACKAGE_NAME]: '0.0.1' });
		// the peer dependency is n8n's own copy, never installed next to the package
		expect(
			fileExists(joinPath(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow')),
		).toBe(false);
		expect(fileExists(joinPath(installed.installDir, 'node_modules'))).toBe(false);
	});

	test('n8n loads its node and credential (n8n export:nodes + debug log)', async () => {
		const loaded = await n8n.nodeTypesLoaded(SMOKE_PACKAGE_NAME);
		expect(loaded.errors).toEqual([]);
		expect(loaded.nodes).toEqual([SMOKE_NODE_TYPE]);
		expect(loaded.toolNodes).toEqual([`${SMOKE_NODE_TYPE}Tool`]); // usableAsTool: n8n adds the AI-tool variant
		expect(loaded.credentials).toEqual([SMOKE_CREDENTIAL_TYPE]);
		expect(loaded.loadedCounts).toEqual({ nodes: 1, credentials: 1 });
		expect(loaded.expectedCounts).toEqual({ nodes: 1, credentials: 1 });
	});

	test('a package that fails to load is reported (n8n itself just skips it)', async () => {
		const broken = new N8nTestInstance();
		const dir = writeSmokePackage(tempDir('n8n-smoke-broken-'));
		try {
			appendFile(
				joinPath(dir, 'dist/nodes/RealSmokeZod/RealSmokeZod.node.js'),
				"\nrequire('no-such-module-xyz');\n",
			);
			await broken.packAndInstall({ packageDir: dir });
			const loaded = await broken.nodeTypesLoaded(SMOKE_PACKAGE_NAME);
			expect(loaded.nodes).toEqual([]);
			expect(loaded.loadedCounts).toBeUndefined();
			expect(loaded.errors.join('\n')).toMatch(
				/Failed to load package "n8n-nodes-realsmoke".*no-such-module-xyz/,
			);
		} finally {
			removeDir(dir);
			broken.cleanup();
		}
	});

	test('n8n execute runs manual trigger → the package node (zod from n8n, credential applied)', async () => {
		await n8n.importCredential({
			id: 'smokeCred000001',
			name: 'Real smoke credential',
			type: SMOKE_CREDENTIAL_TYPE,
			data: { baseUrl: api.url, apiToken: GOOD_TOKEN },
		});
		const [id] = await n8n.importWorkflow(
			smokeWorkflow({ id: 'smokeWorkflow001', credentialId: 'smokeCred000001', callApi: true }),
		);
		const run = await n8n.executeWorkflow(id);
		assertSucceeded(run);
		const [item] = nodeItems(run, 'Smoke');
		expect(item).toMatchObject({
			ok: true,
			zodVersion: cachedZodVersion,
			message: 'hello from real n8n',
		});
		// require('zod') in a community package falls through to n8n's own node_modules (NODE_PATH)
		expect(item.zodPath.startsWith(n8nInstall().nodeModules + PATH_SEP)).toBe(true);
		expect(item.api).toEqual({ authorization: `Bearer ${GOOD_TOKEN}` });
		expect(run.cli?.durationMs).toBeLessThan(60_000);
	});

	test('a workflow that fails validation comes back with its real error from the DB', async () => {
		const wf = smokeWorkflow({ id: 'smokeWorkflow002', message: '' });
		const [id] = await n8n.importWorkflow(wf);
		const run = await n8n.executeWorkflow(id);
		expect(run.status).toBe('error');
		expect(run.cli?.output).toContain('No active execution found');
		expect(run.error?.message).toMatch(/Parameter "Message" is required/);
		expect(describeExecution(run)).toContain('WorkflowHasIssuesError');
	});

	test('n8n start: owner, login, node types, credential test, REST run, public API', async () => {
		server = await n8n.startServer();
		expect(server.startupMs).toBeLessThan(120_000);
		await server.ensureOwnerAndLogin();

		const types = await nodeTypesLoaded(server, SMOKE_PACKAGE_NAME);
		expect(types.nodes).toEqual([SMOKE_NODE_TYPE]);
		expect(types.credentials).toEqual([SMOKE_CREDENTIAL_TYPE]);
		expect(types.loadedCounts).toEqual({ nodes: 1, credentials: 1 });
		expect(types.errors).toEqual([]);

		// the credential imported with the CLI, tested as the editor's "Test" button does
		const ok = await server.testCredential({
			id: 'smokeCred000001',
			name: 'Real smoke credential',
			type: SMOKE_CREDENTIAL_TYPE,
		});
		expect(ok).toEqual(expect.objectContaining({ status: 'OK' }));
		const bad = await server.testCredential({
			id: 'smokeCred000001',
			type: SMOKE_CREDENTIAL_TYPE,
			data: { baseUrl: api.url, apiToken: 'wrong-token' },
		});
		expect(bad.status).toBe('Error');

		// a manual run over the REST API
		const executionId = await server.runWorkflow('smokeWorkflow001');
		const exec = await server.waitForExecution(executionId);
		assertSucceeded(exec);
		expect(nodeItems(exec, 'Smoke')[0]).toMatchObject({
			ok: true,
			api: { authorization: `Bearer ${GOOD_TOKEN}` },
		});

		// the public API with an API key
		await server.createApiKey();
		const list = await server.publicApi('GET', '/workflows?limit=50');
		expect(list.data.map((w: { id: string }) => w.id)).toEqual(
			expect.arrayContaining(['smokeWorkflow001', 'smokeWorkflow002']),
		);
		const pub = await server.publicApi('GET', `/executions/${executionId}?includeData=true`);
		expect(pub.status).toBe('success');
	});

	test('n8n start: activated webhook workflow → package node → Wait, resumed via $execution.resumeUrl', async () => {
		expect(server).toBeDefined();
		const s = server!;
		const wf = await s.createWorkflow({
			name: 'Smoke webhook + wait',
			nodes: [
				{
					id: 'hook',
					name: 'Hook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '5e0c3a52-0000-4000-8000-00000000a001',
					parameters: { path: 'smoke-hook', httpMethod: 'POST', responseMode: 'onReceived' },
				},
				{
					id: 'smoke',
					name: 'Smoke',
					type: SMOKE_NODE_TYPE,
					typeVersion: 1,
					position: [220, 0],
					parameters: { message: '={{ $json.body.msg }}' },
				},
				{
					id: 'wait',
					name: 'Wait',
					type: 'n8n-nodes-base.wait',
					typeVersion: 1.1,
					position: [440, 0],
					webhookId: '5e0c3a52-0000-4000-8000-00000000a002',
					parameters: { resume: 'webhook', httpMethod: 'POST' },
				},
			],
			connections: {
				Hook: { main: [[{ node: 'Smoke', type: 'main', index: 0 }]] },
				Smoke: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			},
		});
		await s.activateWorkflow(wf.id); // waits until the webhook is registered
		const hook = await s.webhook('smoke-hook', { body: { msg: 'via webhook' } });
		expect(hook.status).toBe(200);

		let waitingId: string | undefined;
		for (let i = 0; i < 40 && !waitingId; i++) {
			waitingId = (await s.listExecutions(wf.id))[0]?.id;
			if (!waitingId) await delay(250);
		}
		expect(waitingId).toBeDefined();
		const waiting = await s.waitForExecution(waitingId!, { until: ['waiting'] });
		expect(nodeItems(waiting, 'Smoke')[0]).toMatchObject({ ok: true, message: 'via webhook' });

		const resumed = await fetch(s.resumeUrl(waiting), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ resumed: true }),
		});
		expect(resumed.status).toBe(200);
		const done = await s.waitForExecution(waitingId!);
		assertSucceeded(done);
		expect(nodeItems(done, 'Wait')[0].body).toEqual({ resumed: true });
	});
});
