// @ts-check
'use strict';
/**
 * jest globalSetup of the queue-mode suite: builds the package (skip with N8N_TEST_SKIP_BUILD=1),
 * starts the cluster once (cluster.js: Redis, PostgreSQL, the emulator, n8n main + 2 workers +
 * webhook process), sets up the owner and the Dreamina API credential, and writes the state
 * file the test files read (its path in N8N_QUEUE_TEST_STATE). If this jest process ends
 * without globalTeardown (a crash, Ctrl-C), its exit handler kills every process group started.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const {
	STATE_ENV,
	REPO_ROOT,
	packageDir,
	startCluster,
	stopCluster,
	writeState,
} = require('./cluster');
const { N8nRest } = require('./n8n-rest');
const { killGroupsNow } = require('../../scripts/lib/processes');

/** @param {string} msg */
function log(msg) {
	process.stderr.write(`[queue] ${msg}\n`);
}

function build() {
	if (process.env.N8N_TEST_SKIP_BUILD || packageDir() !== REPO_ROOT) {
		log('N8N_TEST_SKIP_BUILD or N8N_TEST_PACKAGE_DIR set: not running npm run build');
		return 0;
	}
	const started = Date.now();
	const npmCli = process.env.npm_execpath;
	const [cmd, args] =
		npmCli && /npm-cli\.js$/.test(npmCli)
			? [process.execPath, [npmCli, 'run', 'build']]
			: ['npm', ['run', 'build']];
	const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	if (r.status !== 0)
		throw new Error(`npm run build failed (exit ${r.status}); N8N_TEST_SKIP_BUILD=1 skips it`);
	return Date.now() - started;
}

/** Whether the built credential type has a callbackSecret field (the v2 Dreamina Trigger reads it there). */
function credentialHasCallbackSecret() {
	const mod = require(path.join(packageDir(), 'dist', 'credentials', 'DreaminaApi.credentials.js'));
	return new mod.DreaminaApi().properties.some(
		(/** @type {{ name: string }} */ p) => p.name === 'callbackSecret',
	);
}

module.exports = async function globalSetup() {
	const started = Date.now();
	const stateFile = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-state-')),
		'state.json',
	);
	process.env[STATE_ENV] = stateFile;

	/** @type {number[]} */
	const pids = [];
	const killAll = () => killGroupsNow(pids);
	process.on('exit', killAll);
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
		process.once(signal, () => {
			killAll();
			process.kill(process.pid, signal);
		});
	}

	const buildMs = build();
	const state = await startCluster({
		onProcess: (p) => pids.push(p.pid),
		// Fast jobs by default; each test file sets what it needs through the control API.
		emulatorOptions: [
			'--video-ms',
			'1500',
			'--image-ms',
			'600',
			'--upscale-ms',
			'600',
			'--video-bytes',
			'200000',
		],
		log,
	});
	writeState(state);

	try {
		const rest = new N8nRest(state.main.url);
		await rest.ensureOwnerAndLogin(state.owner);
		const callbackSecret = credentialHasCallbackSecret()
			? crypto.randomBytes(18).toString('base64url')
			: undefined;
		const credential = await rest.createCredential({
			name: 'Dreamina API',
			type: 'dreaminaApi',
			data: {
				apiToken: state.emulator.token,
				baseUrl: state.emulator.baseUrl,
				...(callbackSecret ? { callbackSecret } : {}),
			},
		});
		writeState({
			...state,
			timings: { ...state.timings, buildMs, setupMs: Date.now() - started },
			credential: { id: credential.id, name: credential.name },
			callbackSecret,
		});
	} catch (error) {
		// jest runs no globalTeardown when globalSetup fails
		await stopCluster(state);
		throw error;
	}
	log(
		`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
			`(build ${(buildMs / 1000).toFixed(1)} s, ${JSON.stringify(state.timings)})`,
	);
};
