// @ts-check
'use strict';
/**
 * jest globalSetup of the queue-mode suite: builds the package (skip with N8N_TEST_SKIP_BUILD=1),
 * starts the cluster once (cluster.js), sets up the owner and the Dreamina API credential, and
 * writes the state file the test files read (its path in N8N_QUEUE_TEST_STATE). If this jest
 * process ends without globalTeardown (a crash, Ctrl-C), its exit handler kills every process group.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const { STATE_ENV, packageDir, startCluster, stopCluster, writeState } = require('./cluster');
const { N8nRest, REPO_ROOT } = require('../../scripts/lib/n8n-instance');
const { signalGroup } = require('../../scripts/lib/processes');

/** @param {string} msg */
const log = (msg) => process.stderr.write(`[queue] ${msg}\n`);

module.exports = async function globalSetup() {
	const started = Date.now();
	process.env[STATE_ENV] = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-state-')),
		'state.json',
	);
	/** @type {number[]} */
	const pids = [];
	process.on('exit', () => pids.forEach((pid) => signalGroup(pid, 'SIGKILL')));
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM']))
		process.once(signal, () => process.exit(130));

	if (process.env.N8N_TEST_SKIP_BUILD || packageDir() !== REPO_ROOT)
		log('not running npm run build');
	else if (
		spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
			.status !== 0
	)
		throw new Error('npm run build failed; N8N_TEST_SKIP_BUILD=1 skips it');
	const buildMs = Date.now() - started;

	const state = await startCluster({
		onProcess: (p) => pids.push(p.pid),
		// fast jobs by default; each test file sets what it needs through the control API
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
		const callbackSecret = crypto.randomBytes(18).toString('base64url');
		const { emulator } = state;
		const credential = await rest.createCredential({
			name: 'Dreamina API',
			type: 'dreaminaApi',
			data: { apiToken: emulator.token, baseUrl: emulator.baseUrl, callbackSecret },
		});
		state.timings = { ...state.timings, buildMs, setupMs: Date.now() - started };
		writeState({
			...state,
			credential: { id: credential.id, name: credential.name },
			callbackSecret,
		});
	} catch (error) {
		await stopCluster(state); // jest runs no globalTeardown when globalSetup fails
		throw error;
	}
	log(
		`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(state.timings)}`,
	);
};
