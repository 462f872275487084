// @ts-check
'use strict';
/**
 * Redis and PostgreSQL for n8n's queue mode, started on 127.0.0.1 on free ports with temporary
 * data folders, and nothing kept: Redis without persistence, PostgreSQL with fsync off.
 * The programs come from Debian (scripts/ensure-queue-services.sh installs them on demand).
 */
const { execFile, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const { spawnLogged, stopGroup, waitFor, isAlive } = require('../../scripts/lib/processes');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ENSURE_SCRIPT = path.join(REPO_ROOT, 'scripts', 'ensure-queue-services.sh');

/**
 * @typedef {object} ServicePrograms
 * @property {string} redisServer  path of redis-server
 * @property {string} pgBin        folder with initdb, postgres, psql
 * @property {number} ensureMs     how long scripts/ensure-queue-services.sh took (installs included)
 */

/**
 * Runs scripts/ensure-queue-services.sh (apt-get install when missing) and reads the paths it prints.
 * @returns {ServicePrograms}
 */
function ensureQueueServices() {
	const started = Date.now();
	const out = execFileSync('bash', [ENSURE_SCRIPT], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	/** @type {Record<string, string>} */
	const found = {};
	for (const line of out.split('\n')) {
		const m = /^([A-Z_]+)=(.+)$/.exec(line.trim());
		if (m) found[m[1]] = m[2];
	}
	if (!found.REDIS_SERVER || !found.PG_BIN)
		throw new Error(`${ENSURE_SCRIPT} printed no REDIS_SERVER/PG_BIN:\n${out}`);
	return { redisServer: found.REDIS_SERVER, pgBin: found.PG_BIN, ensureMs: Date.now() - started };
}

/**
 * @typedef {object} RedisService
 * @property {number} port
 * @property {number} pid
 * @property {string} dir
 * @property {string} logFile
 */

/**
 * Answers PING with +PONG?
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let reply = '';
		const done = (/** @type {boolean} */ ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			reply += d.toString();
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}

/**
 * `redis-server` on 127.0.0.1:port, no RDB snapshots, no AOF, its folder `dir`.
 * @param {{ redisServer: string, port: number, dir: string }} opts
 * @returns {Promise<RedisService>}
 */
async function startRedis({ redisServer, port, dir }) {
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const proc = spawnLogged(
		'redis',
		redisServer,
		[
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
		],
		{ logFile, cwd: dir },
	);
	await waitFor(`Redis on port ${port}`, () => redisPing(port), {
		timeoutMs: 20_000,
		logFile,
		alive: () => isAlive(proc.pid),
	});
	return { port, pid: proc.pid, dir, logFile };
}

/**
 * @typedef {object} PostgresService
 * @property {number} port
 * @property {number} pid          the postmaster (its process group holds the backends)
 * @property {string} dir          data folder parent (socket here too)
 * @property {string} logFile
 * @property {string} database     'n8n'
 * @property {string} user         'postgres' (trust authentication on 127.0.0.1)
 * @property {string} psql
 */

/** The postgres user's uid/gid when running as root (initdb and postgres refuse to run as root). */
function postgresIds() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

/**
 * @param {string} file
 * @param {string[]} args
 * @param {{ uid?: number, gid?: number, cwd?: string }} opts
 * @returns {Promise<string>}
 */
function run(file, args, opts) {
	return new Promise((resolve, reject) => {
		execFile(file, args, { ...opts, encoding: 'utf8' }, (error, stdout, stderr) => {
			if (error)
				reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${error.message}\n${stderr}`));
			else resolve(stdout);
		});
	});
}

/**
 * A fresh PostgreSQL cluster (`initdb` as the postgres user, trust auth), `postgres` on
 * 127.0.0.1:port with its socket in its own folder and fsync off, and a database `n8n`.
 * @param {{ pgBin: string, port: number, dir: string }} opts
 * @returns {Promise<PostgresService>}
 */
async function startPostgres({ pgBin, port, dir }) {
	const ids = postgresIds();
	fs.mkdirSync(dir, { recursive: true });
	if (ids.uid !== undefined) fs.chownSync(dir, ids.uid, /** @type {number} */ (ids.gid));
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (ids.uid !== undefined) fs.chownSync(logFile, ids.uid, /** @type {number} */ (ids.gid));
	await run(
		path.join(pgBin, 'initdb'),
		[
			'-D',
			dataDir,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-sync',
			'--no-instructions',
		],
		{ ...ids, cwd: dir },
	);
	const proc = spawnLogged(
		'postgres',
		path.join(pgBin, 'postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{ ...ids, cwd: dir, logFile },
	);
	const psql = path.join(pgBin, 'psql');
	const psqlArgs = [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'-v',
		'ON_ERROR_STOP=1',
	];
	await waitFor(
		`PostgreSQL on port ${port}`,
		async () =>
			(await run(psql, [...psqlArgs, '-tAc', 'SELECT 1'], { cwd: os.tmpdir() })).trim() === '1',
		{ timeoutMs: 30_000, logFile, alive: () => isAlive(proc.pid) },
	);
	await run(psql, [...psqlArgs, '-c', 'CREATE DATABASE n8n'], { cwd: os.tmpdir() });
	return { port, pid: proc.pid, dir, logFile, database: 'n8n', user: 'postgres', psql };
}

/**
 * One SQL query through psql; rows as arrays of strings (tab-separated, unaligned).
 * @param {Pick<PostgresService, 'psql' | 'port' | 'database' | 'user'>} pg
 * @param {string} sql
 * @returns {Promise<string[][]>}
 */
async function pgQuery(pg, sql) {
	const out = await run(
		pg.psql,
		[
			'-h',
			'127.0.0.1',
			'-p',
			String(pg.port),
			'-U',
			pg.user,
			'-d',
			pg.database,
			'-v',
			'ON_ERROR_STOP=1',
			'-tAF',
			'\t',
			'-c',
			sql,
		],
		{ cwd: os.tmpdir() },
	);
	return out
		.split('\n')
		.filter((l) => l.length > 0)
		.map((l) => l.split('\t'));
}

/** @param {{ pid: number }} redis */
async function stopRedis(redis) {
	await stopGroup(redis.pid, { signal: 'SIGTERM', graceMs: 5000 });
}

/** SIGINT to the postmaster is PostgreSQL's "fast shutdown" (it ends its backends itself). @param {{ pid: number }} pg */
async function stopPostgres(pg) {
	await stopGroup(pg.pid, { signal: 'SIGINT', graceMs: 10_000, leaderSignalOnly: true });
}

module.exports = {
	ensureQueueServices,
	startRedis,
	startPostgres,
	stopRedis,
	stopPostgres,
	pgQuery,
	redisPing,
};
