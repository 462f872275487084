// @ts-check
'use strict';
/**
 * The Dreamina API emulator (test/emulator/) as a separate program, for scripts that must not load
 * test code into their own process (`npm run demo`). The emulator's CLI prints one JSON line
 * `{"baseUrl","origin","token"}` once it listens, and stops on SIGTERM.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * @typedef {object} EmulatorProcess
 * @property {string} baseUrl the API root, e.g. `http://127.0.0.1:PORT/v1/dreamina`
 * @property {string} origin `http://127.0.0.1:PORT`
 * @property {string} token the API token the emulator accepts
 * @property {() => Promise<void>} close stops the emulator
 */

/**
 * How to run the emulator's CLI: `test/emulator/cli.js` with plain Node, or the TypeScript
 * `cli.ts` through ts-node while the emulator is still written in TypeScript.
 * @returns {string[]} node arguments
 */
function emulatorCliArgs() {
	const js = path.join(REPO_ROOT, 'test', 'emulator', 'cli.js');
	if (fs.existsSync(js)) return [js];
	return [
		'-r',
		'ts-node/register/transpile-only',
		path.join(REPO_ROOT, 'test', 'emulator', 'cli.ts'),
	];
}

/**
 * Starts the emulator on 127.0.0.1 with the system Node (the one running this script).
 * @param {string[]} [args] CLI options, e.g. `['--video-ms', '4000']`
 * @param {{ readyTimeoutMs?: number }} [opts]
 * @returns {Promise<EmulatorProcess>}
 */
function startEmulatorProcess(args = [], opts = {}) {
	const child = spawn(process.execPath, [...emulatorCliArgs(), ...args], {
		cwd: REPO_ROOT,
		env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (d) => (stderr += d.toString()));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	/** @returns {Promise<void>} */
	const close = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
		await exited;
		clearTimeout(timer);
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			void close();
			reject(
				new Error(
					`the emulator did not start within ${opts.readyTimeoutMs ?? 20000} ms: ${stderr}`,
				),
			);
		}, opts.readyTimeoutMs ?? 20000);
		child.stdout.on('data', (d) => {
			stdout += d.toString();
			const newline = stdout.indexOf('\n');
			if (newline < 0) return;
			clearTimeout(timer);
			try {
				const ready = JSON.parse(stdout.slice(0, newline));
				resolve({ baseUrl: ready.baseUrl, origin: ready.origin, token: ready.token, close });
			} catch {
				void close();
				reject(new Error(`the emulator printed no JSON line: ${stdout.slice(0, 300)} ${stderr}`));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the emulator exited (${code}) before listening: ${stderr}`));
		});
	});
}

module.exports = { startEmulatorProcess, emulatorCliArgs };
