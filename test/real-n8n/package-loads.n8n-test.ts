/**
 * This repo's package (built dist/, `npm pack`ed) installed into real n8n as a community package,
 * without its peer dependency: every node and credential its package.json lists is loaded and
 * served by `n8n start` (/types/*.json), with no load error in n8n's log. Expectations come from
 * package.json, so new nodes are covered as they are added. (`n8n execute` loading them:
 * examples.n8n-test.ts.)
 */
import { N8nTestInstance, REPO_ROOT, nodeTypesLoaded, type N8nServer } from './n8n';
import { fileExists, joinPath, readJson } from '../support/system';

const pkg = readJson(joinPath(REPO_ROOT, 'package.json')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};
const n8n = new N8nTestInstance();
let server: N8nServer | undefined;

afterAll(async () => {
	await server?.stop();
	n8n.cleanup();
});

test('every listed node and credential loads from the installed package', async () => {
	const installed = await n8n.packAndInstall();
	for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials])
		expect(fileExists(joinPath(installed.installDir, f))).toBe(true);
	expect(
		fileExists(joinPath(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow')),
	).toBe(false);

	server = await n8n.startServer();
	await server.ensureOwnerAndLogin();
	const loaded = await nodeTypesLoaded(server, pkg.name);
	expect(loaded.errors).toEqual([]);
	expect(loaded.loadedCounts).toEqual({
		nodes: pkg.n8n.nodes.length,
		credentials: pkg.n8n.credentials.length,
	});
	expect(loaded.nodes).toHaveLength(pkg.n8n.nodes.length);
	expect(loaded.credentials).toHaveLength(pkg.n8n.credentials.length);
});
