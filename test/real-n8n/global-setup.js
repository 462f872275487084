/*
 * jest globalSetup of each test/real-n8n project: installs its n8n (scripts/ensure-n8n.js, a no-op
 * when the cache is ready; it waits for an install already under way, e.g. CI's early one) and
 * builds the package once per jest run (`npm run build`; skip with N8N_TEST_SKIP_BUILD=1).
 */
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
let built = false;

module.exports = async function globalSetup(_globalConfig, projectConfig) {
	const t0 = Date.now();
	const { ensureN8n } = require(path.join(REPO_ROOT, 'scripts', 'ensure-n8n.js'));
	const install = await ensureN8n({ n8n: projectConfig.globals.N8N_TEST_VERSION });
	process.stderr.write(
		`\n[real-n8n] n8n ${install.n8nVersion} on Node ${install.nodeVersion} ready (${Date.now() - t0} ms)\n`,
	);
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
