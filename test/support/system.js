// @ts-check
'use strict';
/**
 * What the TypeScript tests need from Node: files, paths, timers, environment and child
 * processes. n8n's lint (`npx n8n-node lint`) applies its community-node rules to every `*.ts`
 * file, and those rules forbid Node built-ins and globals such as `process` and `setTimeout`;
 * `.js` files get no rules, so the tests reach Node through this file (see test/README.md).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The platform's path separator. */
const PATH_SEP = path.sep;

/** @type {(...segments: string[]) => string} a path inside the repository */
const repoPath = (...segments) => path.join(REPO_ROOT, ...segments);
/** @type {(...segments: string[]) => string} `path.join` */
const joinPath = (...segments) => path.join(...segments);
/** @type {(ms: number) => Promise<void>} */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @type {(name: string) => string | undefined} an environment variable, undefined when unset or empty */
const env = (name) => process.env[name] || undefined;
/** True when N8N_TEST_KEEP_FOLDERS asks to keep temp folders for inspection. */
const keepFolders = () => Boolean(process.env.N8N_TEST_KEEP_FOLDERS);

/** @type {(prefix: string) => string} a new empty folder in the OS temp folder */
const tempDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
/** @type {(dir: string) => void} removes a folder and everything in it (no error if it is gone) */
const removeDir = (dir) => fs.rmSync(dir, { recursive: true, force: true });
/** @type {(dir: string) => void} */
const makeDir = (dir) => void fs.mkdirSync(dir, { recursive: true });
/** @type {(dir: string) => string[]} file names in a folder, sorted */
const listDir = (dir) => fs.readdirSync(dir).sort();
/** @type {(file: string) => Buffer} */
const readFile = (file) => fs.readFileSync(file);
/** @type {(file: string) => string} */
const readText = (file) => fs.readFileSync(file, 'utf8');
/** @type {(file: string) => unknown} a JSON file, parsed */
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
/** @type {(file: string, data: string | Uint8Array) => void} */
const writeFile = (file, data) => fs.writeFileSync(file, data);
/** @type {(file: string, text: string) => void} */
const appendFile = (file, text) => fs.appendFileSync(file, text);
/** @type {(file: string, bytes: number) => void} sets a file's size; a longer file is padded with zeros (sparse) */
const truncateFile = (file, bytes) => fs.truncateSync(file, bytes);
/** @type {(file: string) => number} */
const fileSize = (file) => fs.statSync(file).size;
/** @type {(file: string) => boolean} */
const fileExists = (file) => fs.existsSync(file);

/**
 * Writes a line to the test process's stderr (measurements a test reports, outside jest's
 * console capture).
 * @param {string} text
 */
function report(text) {
	process.stderr.write(`${text}\n`);
}

/**
 * @typedef {object} ProcessResult
 * @property {number | null} code exit code (null when killed by a signal)
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * Runs a program to its end and collects its output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, inheritOutput?: boolean }} [opts] `inheritOutput` shows the output live
 * @returns {Promise<ProcessResult>}
 */
function runProgram(command, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: opts.cwd ?? REPO_ROOT,
			stdio: [
				'ignore',
				opts.inheritOutput ? 'inherit' : 'pipe',
				opts.inheritOutput ? 'inherit' : 'pipe',
			],
		});
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/**
 * Runs a script with the Node that runs the tests (`process.execPath`).
 * @param {string[]} args node arguments, e.g. `['--expose-gc', 'scripts/x.js']`
 * @param {{ cwd?: string }} [opts]
 * @returns {Promise<ProcessResult>}
 */
function runNode(args, opts = {}) {
	return runProgram(process.execPath, args, opts);
}

module.exports = {
	REPO_ROOT,
	PATH_SEP,
	repoPath,
	joinPath,
	delay,
	env,
	keepFolders,
	tempDir,
	removeDir,
	makeDir,
	listDir,
	readFile,
	readText,
	readJson,
	writeFile,
	appendFile,
	truncateFile,
	fileSize,
	fileExists,
	report,
	runProgram,
	runNode,
};
