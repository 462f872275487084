#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * n8n's community package scanner (@n8n/scan-community-package) on this package, without a registry.
 *
 * The scanner's CLI only checks published packages: it checks the npm provenance, downloads the
 * source at the attested commit and the tarball, and runs its exported `analyzePackage()` on both
 * (scanner/scanner.mjs, `analyzePackageByName`):
 *   source leg   the checkout, files `SOURCE_FILE_PATTERNS` (package.json, {nodes,credentials}/**)
 *   tarball leg  the unpacked tarball, files `**\/*.js` and `package.json`
 * This script runs the same two legs on this repository and on `npm pack`'s tarball (dist/ must be
 * built), with the scanner's own ESLint config (`buildScanConfig()`), and reports errors and
 * warnings per file (`analyzePackage()` itself only fails on errors).
 *
 *   node scripts/scan-package.js          human-readable report; exit 1 on any error or warning
 *   node scripts/scan-package.js --json   one JSON line (used by test/real-n8n/scan.n8n-test.ts)
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPO_ROOT = path.resolve(__dirname, '..');
const SCANNER_PACKAGE = '@n8n/scan-community-package';

/**
 * @typedef {object} LegReport
 * @property {string} leg `source` or `tarball`
 * @property {string[]} patterns the file patterns the scanner uses for this leg
 * @property {string[]} files the files linted, relative to the leg's folder
 * @property {number} errorCount
 * @property {number} warningCount
 * @property {Array<{ file: string, line: number, ruleId: string | null, severity: number, message: string }>} messages
 * @property {boolean} passed what the scanner's `analyzePackage()` decided
 * @property {string} [scannerMessage] its message when it did not pass
 */

/**
 * @typedef {object} ScanReport
 * @property {string} scannerVersion
 * @property {string} eslintPluginVersion version of the community-nodes ESLint plugin the scanner uses
 * @property {number} ruleCount rules the scanner's config switches on
 * @property {string} tarball the packed file name
 * @property {LegReport[]} legs
 */

/** @param {string} id a module as the scanner resolves it (its own dependency versions) */
function resolveFromScanner(id) {
	const scannerDir = path.dirname(require.resolve(`${SCANNER_PACKAGE}/package.json`));
	return require.resolve(id, { paths: [scannerDir] });
}

/**
 * A dependency's version as the scanner resolves it (its package.json is not always exported).
 * @param {string} name
 * @returns {string}
 */
function packageVersion(name) {
	for (
		let dir = path.dirname(resolveFromScanner(name));
		dir !== path.dirname(dir);
		dir = path.dirname(dir)
	) {
		const file = path.join(dir, 'package.json');
		if (!fs.existsSync(file)) continue;
		const json = JSON.parse(fs.readFileSync(file, 'utf8'));
		if (json.name === name) return json.version;
	}
	throw new Error(`no package.json of ${name} above ${resolveFromScanner(name)}`);
}

/**
 * Packs the package (as `npm publish` would) into a temp folder and unpacks it.
 * @param {string} workDir
 * @returns {{ tarball: string, unpacked: string }}
 */
function packAndUnpack(workDir) {
	const out = execFileSync(
		'npm',
		['pack', '--ignore-scripts', '--json', '--pack-destination', workDir],
		{
			cwd: REPO_ROOT,
			encoding: 'utf8',
		},
	);
	const [{ filename }] = JSON.parse(out);
	const unpacked = path.join(workDir, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', [
		'-xzf',
		path.join(workDir, filename),
		'-C',
		unpacked,
		'--strip-components=1',
	]);
	return { tarball: filename, unpacked };
}

/** @returns {Promise<ScanReport>} */
async function scanPackage() {
	// eslint-plugin-n8n-nodes-base switches to fake file names for its own tests when
	// NODE_ENV=test (lib/ast/utils/filename.js), which jest sets: every node file then breaks
	// its file-name rules. The scanner never runs that way.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
	const scanner = await import(
		pathToFileURL(resolveFromScanner(`${SCANNER_PACKAGE}/scanner/scanner.mjs`)).href
	);
	const { ESLint } = require(resolveFromScanner('eslint'));
	const glob = require(resolveFromScanner('fast-glob'));
	const config = await scanner.buildScanConfig();
	/** @type {Set<string>} */
	const rules = new Set();
	for (const block of config) {
		for (const [rule, setting] of Object.entries(block.rules ?? {})) {
			const level = Array.isArray(setting) ? setting[0] : setting;
			if (level !== 'off' && level !== 0) rules.add(rule);
		}
	}

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dreamina-scan-'));
	try {
		const { tarball, unpacked } = packAndUnpack(workDir);
		const legs = [
			{ leg: 'source', dir: REPO_ROOT, patterns: scanner.SOURCE_FILE_PATTERNS },
			{ leg: 'tarball', dir: unpacked, patterns: ['**/*.js', 'package.json'] },
		];
		/** @type {LegReport[]} */
		const reports = [];
		for (const { leg, dir, patterns } of legs) {
			// the scanner's verdict, exactly as it computes it …
			const verdict = await scanner.analyzePackage(dir, patterns);
			// … and every message, warnings included, with the same config and the same file list
			const eslint = new ESLint({
				cwd: dir,
				allowInlineConfig: false,
				overrideConfigFile: true,
				overrideConfig: config,
			});
			/** @type {string[]} */
			const files = glob.sync(patterns, {
				cwd: dir,
				absolute: true,
				ignore: ['node_modules/**', '**/package-lock.json'],
			});
			/** @type {Array<{ filePath: string, errorCount: number, warningCount: number, messages: Array<{ line: number, ruleId: string | null, severity: number, message: string }> }>} */
			const results = await eslint.lintFiles(files);
			reports.push({
				leg,
				patterns,
				files: files.map((f) => path.relative(dir, f)).sort(),
				errorCount: results.reduce((n, r) => n + r.errorCount, 0),
				warningCount: results.reduce((n, r) => n + r.warningCount, 0),
				messages: results.flatMap((r) =>
					r.messages.map((m) => ({
						file: path.relative(dir, r.filePath),
						line: m.line,
						ruleId: m.ruleId,
						severity: m.severity,
						message: m.message,
					})),
				),
				passed: verdict.passed === true,
				scannerMessage: verdict.passed ? undefined : verdict.message,
			});
		}
		return {
			scannerVersion: require(resolveFromScanner(`${SCANNER_PACKAGE}/package.json`)).version,
			eslintPluginVersion: packageVersion('@n8n/eslint-plugin-community-nodes'),
			ruleCount: rules.size,
			tarball,
			legs: reports,
		};
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

/** @param {ScanReport} report */
function printReport(report) {
	const lines = [
		`${SCANNER_PACKAGE} ${report.scannerVersion} (community-nodes rules ${report.eslintPluginVersion}, ${report.ruleCount} rules on) on ${report.tarball}`,
	];
	for (const leg of report.legs) {
		lines.push(
			`  ${leg.leg}: ${leg.files.length} files (${leg.patterns.join(', ')}): ${leg.errorCount} errors, ${leg.warningCount} warnings; scanner ${leg.passed ? 'passed' : `failed: ${leg.scannerMessage}`}`,
		);
		for (const m of leg.messages) {
			lines.push(
				`    ${m.file}:${m.line} ${m.severity === 2 ? 'error' : 'warning'} ${m.message} (${m.ruleId})`,
			);
		}
	}
	process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) {
	scanPackage().then(
		(report) => {
			if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report)}\n`);
			else printReport(report);
			const clean = report.legs.every(
				(l) => l.passed && l.errorCount === 0 && l.warningCount === 0,
			);
			process.exit(clean ? 0 : 1);
		},
		(error) => {
			process.stderr.write(`scan failed: ${error instanceof Error ? error.stack : error}\n`);
			process.exit(2);
		},
	);
}

module.exports = { scanPackage };
