// @ts-check
'use strict';
/**
 * Node APIs for the emulator's TypeScript tests, which may not touch Node themselves (the lint
 * layout): timers, a callback receiver, the CLI in a child process, ffmpeg/ffprobe.
 */
const http = require('node:http');
const path = require('node:path');
const { execFile, spawn } = require('node:child_process');

const { delay } = require('./util');

const REPO_ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(__dirname, 'cli.js');

/**
 * @typedef {object} ReceivedCallback
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {unknown} body the parsed JSON body
 * @property {number} receivedAt epoch ms
 */

/**
 * @typedef {object} Receiver
 * @property {string} url
 * @property {ReceivedCallback[]} received
 * @property {() => Promise<void>} close
 */

/**
 * An HTTP server on 127.0.0.1 that records the JSON bodies POSTed to it (replyUrl callbacks).
 * `answer` decides the HTTP status (it may wait first); default 200.
 * @param {(body: unknown) => number | Promise<number>} [answer]
 * @returns {Promise<Receiver>}
 */
async function startReceiver(answer = () => 200) {
	/** @type {ReceivedCallback[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			let body;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				body = Buffer.concat(chunks).toString('utf8');
			}
			received.push({ headers: req.headers, body, receivedAt: Date.now() });
			const status = await Promise.resolve(answer(body)).catch(() => 500);
			if (!res.destroyed) res.writeHead(status).end('ok');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/**
 * @typedef {object} CliProcess
 * @property {{ baseUrl: string; origin: string; token: string }} info the line the CLI printed
 * @property {() => Promise<number | null>} stop SIGTERM, resolves with the exit code
 */

/**
 * Start `node test/emulator/cli.js ...args` and wait for its JSON line.
 * @param {string[]} args
 * @returns {Promise<CliProcess>}
 */
async function startCli(args) {
	const child = spawn(process.execPath, [CLI, ...args], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
	const line = await new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => {
			out += d;
			if (out.includes('\n')) resolve(out.split('\n')[0]);
		});
		child.stderr.on('data', (d) => (err += d));
		exited.then((code) => reject(new Error(`cli exited ${code}: ${err}`)));
	});
	return {
		info: JSON.parse(line),
		stop: () => {
			child.kill('SIGTERM');
			return exited;
		},
	};
}

/**
 * @param {string} file
 * @param {string[]} args
 * @param {number} timeoutMs
 * @returns {Promise<string>} stdout
 */
function run(file, args, timeoutMs) {
	return new Promise((resolve, reject) => {
		execFile(
			file,
			args,
			{ timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
			(err, stdout, stderr) => {
				if (err) reject(new Error(`${file} failed: ${err.message}\n${stderr}`));
				else resolve(stdout);
			},
		);
	});
}

/**
 * Install ffmpeg if missing (scripts/ensure-ffmpeg.sh); resolves with its path.
 * @returns {Promise<string>}
 */
async function ensureFfmpeg() {
	const out = await run('bash', [path.join(REPO_ROOT, 'scripts', 'ensure-ffmpeg.sh')], 600_000);
	return out.trim().split('\n').pop() ?? '';
}

/**
 * @typedef {object} ProbeResult
 * @property {Array<{ codec_type: string; codec_name: string; width?: number; height?: number; duration?: string }>} streams
 * @property {{ duration?: string; format_name: string }} format
 */

/**
 * What ffprobe reports about a file or URL.
 * @param {string} input
 * @returns {Promise<ProbeResult>}
 */
async function ffprobe(input) {
	const args = ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', input];
	return JSON.parse(await run('ffprobe', args, 30_000));
}

/**
 * One frame of a video or a picture as 8-bit gray pixels (to see whether text was drawn).
 * @param {string} input a file or URL
 * @param {number} atSeconds
 * @returns {Promise<{ width: number; height: number; pixels: Uint8Array }>}
 */
async function grayFrame(input, atSeconds) {
	const probe = await ffprobe(input);
	const video = probe.streams.find((st) => st.codec_type === 'video');
	const width = video?.width ?? 0;
	const height = video?.height ?? 0;
	const args = ['-v', 'error', '-ss', String(atSeconds), '-i', input, '-frames:v', '1'];
	const pixels = await new Promise((resolve, reject) => {
		execFile(
			'ffmpeg',
			[...args, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
			{ encoding: 'buffer', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
			(err, stdout) => (err ? reject(err) : resolve(new Uint8Array(stdout))),
		);
	});
	return { width, height, pixels };
}

module.exports = { delay, startReceiver, startCli, ensureFfmpeg, ffprobe, grayFrame };
