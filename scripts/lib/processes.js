// @ts-check
'use strict';
/**
 * Child processes of the n8n tests and scripts: each runs detached in its own process group (n8n
 * spawns a task runner, PostgreSQL forks backends: signalling the group ends them all). The queue
 * suite's (spawnLogged) append their output to a log file, so any jest process (global setup, a
 * test file, teardown) can read the logs and signal them by pid; test/queue/cluster.js records
 * each in the cluster's state file, and teardown ends every group recorded there.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');

/**
 * @typedef {object} StartedProcess
 * @property {string} name      e.g. 'worker-1'
 * @property {number} pid       also the process group id (detached)
 * @property {string} logFile   stdout + stderr
 */

/**
 * Spawns `cmd args` detached, output to `logFile`, and does not keep the caller alive.
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile: string, uid?: number, gid?: number }} opts
 * @returns {StartedProcess}
 */
function spawnLogged(name, cmd, args, opts) {
	const fd = fs.openSync(opts.logFile, 'a');
	try {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: ['ignore', fd, fd],
			detached: true,
			uid: opts.uid,
			gid: opts.gid,
		});
		if (child.pid === undefined) throw new Error(`${name}: ${cmd} did not start`);
		child.unref();
		return { name, pid: child.pid, logFile: opts.logFile };
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Whether a process (or, with `group`, any process of its group) still exists.
 * @param {number} pid
 * @param {boolean} [group]
 */
function isAlive(pid, group = false) {
	try {
		process.kill(group ? -pid : pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/**
 * Sends a signal to a whole process group; false when nothing was left to signal.
 * @param {number | undefined} pid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
	if (pid === undefined) return false;
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

/** @param {number} ms */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Stops a process group: `signal` to the group (or only to `leaderSignalOnly`'s leader, e.g.
 * PostgreSQL's postmaster, which then ends its backends itself), SIGKILL to the group after
 * `graceMs`, and waits until the group is gone.
 * @param {number} pid
 * @param {{ signal?: NodeJS.Signals, graceMs?: number, leaderSignalOnly?: boolean }} [opts]
 */
async function stopGroup(pid, opts = {}) {
	const { signal = 'SIGTERM', graceMs = 10_000, leaderSignalOnly = false } = opts;
	if (!isAlive(pid, true)) return;
	if (leaderSignalOnly) {
		try {
			process.kill(pid, signal);
		} catch {
			/* leader gone: the group gets SIGKILL below */
		}
	} else {
		signalGroup(pid, signal);
	}
	const deadline = Date.now() + graceMs;
	while (isAlive(pid, true) && Date.now() < deadline) await delay(100);
	if (isAlive(pid, true)) {
		signalGroup(pid, 'SIGKILL');
		const killDeadline = Date.now() + 5000;
		while (isAlive(pid, true) && Date.now() < killDeadline) await delay(50);
	}
}

/**
 * Synchronous last resort (process 'exit' handlers cannot wait): SIGKILL to every group.
 * @param {number[]} pids
 */
function killGroupsNow(pids) {
	for (const pid of pids) signalGroup(pid, 'SIGKILL');
}

/**
 * A log file's text from byte `from` on (to read only what was written after a mark).
 * @param {string} file
 * @param {number} [from]
 */
function readLog(file, from = 0) {
	let text;
	try {
		text = fs.readFileSync(file);
	} catch {
		return '';
	}
	// n8n colours some console output even with NO_COLOR
	return text
		.subarray(from)
		.toString('utf8')
		.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * The current size of a log file: a mark for readLog(file, mark).
 * @param {string} file
 */
function logSize(file) {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

/**
 * Polls `check` until it returns something truthy (returned) or the timeout passes (throws with
 * `what` and, when given, the tail of a log file).
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined | null | false> | T | undefined | null | false} check
 * @param {{ timeoutMs?: number, intervalMs?: number, logFile?: string, alive?: () => boolean, detail?: () => string }} [opts]   `detail`: what was seen last, for the error
 * @returns {Promise<T>}
 */
async function waitFor(what, check, opts = {}) {
	const { timeoutMs = 60_000, intervalMs = 200 } = opts;
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		const dead = opts.alive && !opts.alive();
		if (dead || Date.now() > deadline) {
			const log = opts.logFile
				? `\n--- ${opts.logFile} (tail) ---\n${readLog(opts.logFile).slice(-4000)}`
				: '';
			const reason = dead ? 'the process exited' : `not within ${timeoutMs} ms`;
			const cause = lastError ? ` (last error: ${/** @type {Error} */ (lastError).message})` : '';
			const detail = opts.detail ? ` (${opts.detail()})` : '';
			throw new Error(`${what}: ${reason}${detail}${cause}${log}`);
		}
		await delay(intervalMs);
	}
}

/**
 * A TCP port free on 127.0.0.1 right now.
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
		});
	});
}

module.exports = {
	freePort,
	spawnLogged,
	isAlive,
	signalGroup,
	stopGroup,
	killGroupsNow,
	readLog,
	logSize,
	waitFor,
	delay,
};
