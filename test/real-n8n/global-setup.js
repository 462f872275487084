/*
 * jest globalSetup of test/real-n8n: installs the n8n of each selected project (scripts/ensure-n8n.js, a no-op
 * when the cache is ready; it waits for an install already under way, e.g. CI's early one) and
 * builds the package once per jest run (`npm run build`; skip with N8N_TEST_SKIP_BUILD=1).
 */
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
let built = false;

module.exports = async function globalSetup(globalConfig) {
	const { ensureN8n } = require(path.join(REPO_ROOT, 'scripts', 'ensure-n8n.js'));
	// jest runs a globalSetup file once, however many projects name it: install every selected
	// project's n8n here (waiting for an install under way), not only the first project's.
	const { projects } = require('./jest.real-n8n.config.js');
	const selected = globalConfig.selectProjects;
	for (const project of projects) {
		if (selected && !selected.includes(project.displayName)) continue;
		const t0 = Date.now();
		const install = await ensureN8n({ n8n: project.globals.N8N_TEST_VERSION });
		process.stderr.write(
			`\n[real-n8n] n8n ${install.n8nVersion} on Node ${install.nodeVersion} ready (${Date.now() - t0} ms)\n`,
		);
	}
	if (built) return;
	built = true;
	if (process.env.N8N_TEST_SKIP_BUILD) {
		process.stderr.write('[real-n8n] N8N_TEST_SKIP_BUILD set: not running npm run build\n');
		return;
	}
	const t1 = Date.now();
	const npmCli = process.env.npm_execpath;
	const [cmd, args] =
		npmCli && /npm-cli\.js$/.test(npmCli)
			? [process.execPath, [npmCli, 'run', 'build']]
			: ['npm', ['run', 'build']];
	const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
	if (r.status !== 0) {
		throw new Error(
			`[real-n8n] npm run build failed (exit ${r.status}); set N8N_TEST_SKIP_BUILD=1 to run without building`,
		);
	}
	process.stderr.write(`[real-n8n] npm run build done (${Date.now() - t1} ms)\n`);
};
