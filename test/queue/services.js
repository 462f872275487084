// @ts-check
'use strict';
/**
 * Redis and PostgreSQL for n8n's queue mode, on 127.0.0.1, free ports, temporary folders, nothing
 * kept (Redis without persistence, PostgreSQL with fsync off). The programs come from Debian
 * (scripts/ensure-queue-services.sh installs them when missing).
 */
const { execFile, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const { spawnLogged, waitFor, isAlive } = require('../../scripts/lib/processes');

const ENSURE = path.resolve(__dirname, '..', '..', 'scripts', 'ensure-queue-services.sh');

/** @typedef {{ port: number, pid: number, logFile: string, psql?: string }} Service */

/** Runs scripts/ensure-queue-services.sh (apt-get install when missing) and reads the paths it prints. */
function ensureQueueServices() {
	const out = execFileSync('bash', [ENSURE], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const found = Object.fromEntries(out.split('\n').map((l) => l.trim().split('=')));
	if (!found.REDIS_SERVER || !found.PG_BIN)
		throw new Error(`${ENSURE} printed no REDIS_SERVER/PG_BIN:\n${out}`);
	return { redisServer: found.REDIS_SERVER, pgBin: found.PG_BIN };
}

/** Answers PING with +PONG? @param {number} port @returns {Promise<boolean>} */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (/** @type {boolean} */ ok) => (socket.destroy(), resolve(ok));
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
	});
}

/**
 * @param {string} redisServer
 * @param {number} port
 * @param {string} dir
 * @param {(p: { name: string, pid: number }) => void} record
 * @returns {Promise<Service>}
 */
async function startRedis(redisServer, port, dir, record) {
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'no',
		'--dir',
		dir,
	];
	const proc = spawnLogged('redis', redisServer, args, { logFile, cwd: dir });
	record(proc);
	await waitFor(`Redis on port ${port}`, () => redisPing(port), {
		timeoutMs: 20_000,
		logFile,
		alive: () => isAlive(proc.pid),
	});
	return { port, pid: proc.pid, logFile };
}

/** @param {string} file @param {string[]} args @param {{ uid?: number, gid?: number, cwd?: string }} [opts] @returns {Promise<string>} */
function run(file, args, opts = { cwd: os.tmpdir() }) {
	return new Promise((resolve, reject) =>
		execFile(file, args, { ...opts, encoding: 'utf8' }, (error, stdout, stderr) =>
			error
				? reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${error.message}\n${stderr}`))
				: resolve(stdout),
		),
	);
}

/**
 * A fresh PostgreSQL cluster (`initdb` as the postgres user, which it must be when we are root;
 * trust auth), `postgres` on 127.0.0.1:port with fsync off, and a database `n8n`.
 * @param {string} pgBin
 * @param {number} port
 * @param {string} dir
 * @param {(p: { name: string, pid: number }) => void} record
 * @returns {Promise<Service>}
 */
async function startPostgres(pgBin, port, dir, record) {
	const root = process.getuid?.() === 0;
	const id = (/** @type {string} */ flag) =>
		Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
	const ids = root ? { uid: id('-u'), gid: id('-g') } : {};
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (ids.uid !== undefined)
		for (const f of [dir, logFile]) fs.chownSync(f, ids.uid, /** @type {number} */ (ids.gid));
	const data = path.join(dir, 'data');
	await run(
		path.join(pgBin, 'initdb'),
		['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
		{ ...ids, cwd: dir },
	);
	const settings = [
		'listen_addresses=127.0.0.1',
		'fsync=off',
		'synchronous_commit=off',
		'full_page_writes=off',
		'max_connections=200',
	];
	const proc = spawnLogged(
		'postgres',
		path.join(pgBin, 'postgres'),
		['-D', data, '-p', String(port), '-k', dir, ...settings.flatMap((s) => ['-c', s])],
		{ ...ids, cwd: dir, logFile },
	);
	record(proc);
	const psql = path.join(pgBin, 'psql');
	const pg = { port, pid: proc.pid, logFile, psql };
	await waitFor(
		`PostgreSQL on port ${port}`,
		async () => (await pgQuery(pg, 'SELECT 1', 'postgres'))[0]?.[0] === '1',
		{
			timeoutMs: 30_000,
			logFile,
			alive: () => isAlive(proc.pid),
		},
	);
	await pgQuery(pg, 'CREATE DATABASE n8n', 'postgres');
	return pg;
}

/**
 * One SQL statement through psql; rows as arrays of strings.
 * @param {Service} pg
 * @param {string} sql
 * @returns {Promise<string[][]>}
 */
async function pgQuery(pg, sql, database = 'n8n') {
	const args = [
		'-h',
		'127.0.0.1',
		'-p',
		String(pg.port),
		'-U',
		'postgres',
		'-d',
		database,
		'-v',
		'ON_ERROR_STOP=1',
		'-tAF',
		'\t',
		'-c',
		sql,
	];
	const out = await run(/** @type {string} */ (pg.psql), args);
	return out
		.split('\n')
		.filter(Boolean)
		.map((l) => l.split('\t'));
}

module.exports = { ensureQueueServices, startRedis, startPostgres, pgQuery };
