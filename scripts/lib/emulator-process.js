// @ts-check
'use strict';
/**
 * The one launcher of the Dreamina API emulator (test/emulator/cli.js) as a separate program, for
 * what must not load test code into its own process: `npm run demo`, the benchmarks, the queue
 * cluster. The CLI prints one JSON line `{"baseUrl","origin","token"}` once it listens, and stops
 * on SIGTERM.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'test', 'emulator', 'cli.js');

/**
 * @typedef {object} EmulatorProcess
 * @property {string} baseUrl the API root, e.g. `http://127.0.0.1:PORT/v1/dreamina`
 * @property {string} origin `http://127.0.0.1:PORT`
 * @property {string} token the API token the emulator accepts
 * @property {() => Promise<void>} close stops the emulator
 */

/** @returns {string[]} the Node arguments that run the emulator's CLI (callers that log it themselves) */
function emulatorCliArgs() {
	return [CLI];
}

/**
 * Starts the emulator on 127.0.0.1 with the Node running this script.
 * @param {string[]} [args] CLI options, e.g. `['--video-ms', '4000']`
 * @param {{ readyTimeoutMs?: number }} [opts]
 * @returns {Promise<EmulatorProcess>}
 */
function startEmulatorProcess(args = [], opts = {}) {
	const child = spawn(process.execPath, [CLI, ...args], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (d) => (stderr += d.toString()));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const close = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
		await exited;
		clearTimeout(timer);
	};
	const readyTimeoutMs = opts.readyTimeoutMs ?? 20000;
	return new Promise((resolve, reject) => {
		/** @param {string} why */
		const fail = (why) => {
			clearTimeout(timer);
			void close();
			reject(new Error(`the emulator ${why}: ${stderr}`));
		};
		const timer = setTimeout(
			() => fail(`did not start within ${readyTimeoutMs} ms`),
			readyTimeoutMs,
		);
		child.stdout.on('data', (d) => {
			stdout += d.toString();
			const newline = stdout.indexOf('\n');
			if (newline < 0) return;
			clearTimeout(timer);
			try {
				const { baseUrl, origin, token } = JSON.parse(stdout.slice(0, newline));
				resolve({ baseUrl, origin, token, close });
			} catch {
				fail(`printed no JSON line: ${stdout.slice(0, 300)}`);
			}
		});
		child.once('exit', (code) => fail(`exited (${code}) before listening`));
	});
}

module.exports = { startEmulatorProcess, emulatorCliArgs };
