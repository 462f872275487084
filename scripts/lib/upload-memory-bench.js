// @ts-check
'use strict';
/**
 * Runs scripts/bench-upload-memory.js in a fresh Node process (its own heap, so one mode's
 * garbage does not count against the next) and returns its JSON report. Used by
 * `npm run bench:upload` and by the memory test in test/upload-asset.test.ts.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * @typedef {object} UploadBenchReport
 * @property {string} mode
 * @property {number} fileBytes
 * @property {number} peakDelta peak RSS growth during the run, bytes
 * @property {number} buffersDelta growth of `memoryUsage().arrayBuffers`, bytes
 * @property {number} uploadedBytes bytes the API received
 * @property {number} ms
 */

/**
 * @param {{ mode: string, mb?: number, baseUrl?: string, token?: string, account?: string }} opts
 *   without `baseUrl` the script starts its own emulator
 * @returns {Promise<UploadBenchReport>}
 */
function runUploadMemoryBench(opts) {
	const args = [
		'--expose-gc',
		'-r',
		'ts-node/register/transpile-only',
		path.join(REPO_ROOT, 'scripts', 'bench-upload-memory.js'),
		'--mode',
		opts.mode,
		'--mb',
		String(opts.mb ?? 40),
	];
	if (opts.baseUrl) args.push('--base-url', opts.baseUrl);
	if (opts.token) args.push('--token', opts.token);
	if (opts.account) args.push('--account', opts.account);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, {
			cwd: REPO_ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) {
				reject(new Error(`bench-upload-memory --mode ${opts.mode} exited with ${code}: ${stderr}`));
				return;
			}
			try {
				resolve(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
			} catch {
				reject(new Error(`bench-upload-memory printed no JSON report: ${stdout.slice(-500)}`));
			}
		});
	});
}

module.exports = { runUploadMemoryBench };
