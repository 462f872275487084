// @ts-check
'use strict';
/**
 * Child processes of the n8n tests and scripts: each runs detached in its own process group (n8n
 * spawns a task runner, PostgreSQL forks backends: signalling the group ends them all), its output
 * appended to a log file, so any jest process (global setup, a test file, teardown) can read the
 * log and signal the group by its pid.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');

/**
 * Spawns `cmd args` detached, output to `opts.logFile`; does not keep the caller alive.
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile: string, uid?: number, gid?: number }} opts
 * @returns {{ name: string, pid: number, logFile: string }}
 */
function spawnLogged(name, cmd, args, opts) {
	const fd = fs.openSync(opts.logFile, 'a');
	try {
		const { logFile, ...spawnOpts } = opts;
		const child = spawn(cmd, args, { ...spawnOpts, stdio: ['ignore', fd, fd], detached: true });
		if (child.pid === undefined) throw new Error(`${name}: ${cmd} did not start`);
		child.unref();
		return { name, pid: child.pid, logFile };
	} finally {
		fs.closeSync(fd);
	}
}

/** Whether a process (with `group`: any process of its group) still exists. @param {number} pid */
function isAlive(pid, group = false) {
	try {
		process.kill(group ? -pid : pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/** A signal to a whole process group; false when nothing was left. @param {number | undefined} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
	try {
		return pid !== undefined && process.kill(-pid, signal);
	} catch {
		return false;
	}
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops a process group: `signal` to the group (with `leaderOnly`, to its leader alone, e.g.
 * PostgreSQL's postmaster, which ends its backends itself), SIGKILL after `graceMs`, and waits
 * until the group is gone.
 * @param {number} pid
 * @param {{ signal?: NodeJS.Signals, graceMs?: number, leaderOnly?: boolean }} [opts]
 */
async function stopGroup(pid, { signal = 'SIGTERM', graceMs = 10_000, leaderOnly = false } = {}) {
	if (leaderOnly) {
		try {
			process.kill(pid, signal);
		} catch {
			/* leader gone: the group gets SIGKILL below */
		}
	} else signalGroup(pid, signal);
	const deadline = Date.now() + graceMs;
	while (isAlive(pid, true) && Date.now() < deadline) await delay(100);
	signalGroup(pid, 'SIGKILL');
	for (let i = 0; i < 100 && isAlive(pid, true); i++) await delay(50);
}

/** A log file's text from byte `from` on, ANSI colours stripped. @param {string} file */
function readLog(file, from = 0) {
	try {
		return fs
			.readFileSync(file)
			.subarray(from)
			.toString('utf8')
			.replace(/\u001b\[[0-9;]*m/g, '');
	} catch {
		return '';
	}
}

/**
 * Polls `check` until it returns something truthy (returned) or the time is up (throws with
 * `what`, the last error, `detail()` and the tail of `logFile`). `alive`: stop early when false.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined | null | false> | T | undefined | null | false} check
 * @param {{ timeoutMs?: number, intervalMs?: number, logFile?: string, alive?: () => boolean, detail?: () => string }} [opts]
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
				? `\n--- ${opts.logFile} ---\n${readLog(opts.logFile).slice(-4000)}`
				: '';
			const cause = lastError ? ` (last error: ${/** @type {Error} */ (lastError).message})` : '';
			const detail = opts.detail ? ` (${opts.detail()})` : '';
			throw new Error(
				`${what}: ${dead ? 'the process exited' : `not within ${timeoutMs} ms`}${detail}${cause}${log}`,
			);
		}
		await delay(intervalMs);
	}
}

/** A TCP port free on 127.0.0.1 right now. @returns {Promise<number>} */
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
	readLog,
	waitFor,
	delay,
};
