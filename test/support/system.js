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

/**
 * A path inside the repository.
 * @param {...string} segments
 * @returns {string}
 */
function repoPath(...segments) {
	return path.join(REPO_ROOT, ...segments);
}

/**
 * `path.join`.
 * @param {...string} segments
 * @returns {string}
 */
function joinPath(...segments) {
	return path.join(...segments);
}

/** The platform's path separator. */
const PATH_SEP = path.sep;

/**
 * Waits `ms` milliseconds.
 * @param {number} ms
 * @returns {Promise<void>}
 */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An environment variable (undefined when unset or empty).
 * @param {string} name
 * @returns {string | undefined}
 */
function env(name) {
	return process.env[name] || undefined;
}

/** True when N8N_TEST_KEEP_FOLDERS asks to keep temp folders for inspection. */
function keepFolders() {
	return Boolean(process.env.N8N_TEST_KEEP_FOLDERS);
}

/**
 * A new empty folder in the OS temp folder.
 * @param {string} prefix
 * @returns {string}
 */
function tempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Removes a folder and everything in it (no error if it is gone).
 * @param {string} dir
 */
function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * @param {string} dir
 */
function makeDir(dir) {
	fs.mkdirSync(dir, { recursive: true });
}

/**
 * File names in a folder, sorted.
 * @param {string} dir
 * @returns {string[]}
 */
function listDir(dir) {
	return fs.readdirSync(dir).sort();
}

/**
 * @param {string} file
 * @returns {Buffer}
 */
function readFile(file) {
	return fs.readFileSync(file);
}

/**
 * @param {string} file
 * @returns {string}
 */
function readText(file) {
	return fs.readFileSync(file, 'utf8');
}

/**
 * A JSON file, parsed.
 * @param {string} file
 * @returns {unknown}
 */
function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * @param {string} file
 * @param {string | Uint8Array} data
 */
function writeFile(file, data) {
	fs.writeFileSync(file, data);
}

/**
 * @param {string} file
 * @param {string} text
 */
function appendFile(file, text) {
	fs.appendFileSync(file, text);
}

/**
 * Sets a file's size: a longer file is padded with zeros (sparse on most file systems).
 * @param {string} file
 * @param {number} bytes
 */
function truncateFile(file, bytes) {
	fs.truncateSync(file, bytes);
}

/**
 * @param {string} file
 * @returns {number}
 */
function fileSize(file) {
	return fs.statSync(file).size;
}

/**
 * @param {string} file
 * @returns {boolean}
 */
function fileExists(file) {
	return fs.existsSync(file);
}

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
