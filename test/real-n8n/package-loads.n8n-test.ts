/**
 * This repo's package (built dist/, `npm pack`ed) installed into a real n8n 2.41.1 as a
 * community package: every node and credential its package.json lists must load, in the CLI
 * and in the server. Expectations come from package.json, so new nodes are covered as added.
 */

import { N8nTestInstance, REPO_ROOT, nodeTypesLoaded, type N8nServer } from './n8n';
import { fileExists, joinPath, readJson } from '../support/system';

const pkg = readJson(joinPath(REPO_ROOT, 'package.json')) as {
	name: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
};
const nodeFiles: string[] = pkg.n8n?.nodes ?? [];
const credentialFiles: string[] = pkg.n8n?.credentials ?? [];

describe(`${pkg.name} in real n8n`, () => {
	const n8n = new N8nTestInstance();
	let server: N8nServer | undefined;

	afterAll(async () => {
		await server?.stop();
		n8n.cleanup();
	});

	test('installs as a community package without its peer dependency', async () => {
		const installed = await n8n.packAndInstall();
		expect(installed.packageName).toBe(pkg.name);
		for (const f of [...nodeFiles, ...credentialFiles]) {
			expect(fileExists(joinPath(installed.installDir, f))).toBe(true);
		}
		expect(
			fileExists(joinPath(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow')),
		).toBe(false);
	});

	test('every listed node and credential loads (CLI)', async () => {
		const loaded = await n8n.nodeTypesLoaded(pkg.name);
		expect(loaded.errors).toEqual([]);
		expect(loaded.loadedCounts).toEqual({
			nodes: nodeFiles.length,
			credentials: credentialFiles.length,
		});
		expect(loaded.nodes).toHaveLength(nodeFiles.length);
		expect(loaded.credentials).toHaveLength(credentialFiles.length);
	});

	test('every listed node and credential is served by n8n start (/types/*.json)', async () => {
		server = await n8n.startServer();
		await server.ensureOwnerAndLogin();
		const loaded = await nodeTypesLoaded(server, pkg.name);
		expect(loaded.errors).toEqual([]);
		expect(loaded.loadedCounts).toEqual({
			nodes: nodeFiles.length,
			credentials: credentialFiles.length,
		});
		expect(loaded.nodes).toHaveLength(nodeFiles.length);
		expect(loaded.credentials).toHaveLength(credentialFiles.length);
	});
});
