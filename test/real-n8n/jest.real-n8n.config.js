/**
 * Real-n8n tests: `*.n8n-test.ts` under test/real-n8n, run against the real n8n that
 * scripts/ensure-n8n.js installs into .cache/n8n (globalSetup installs it and builds the package):
 * every file on n8n 2.41.1, and the files that prove the oldest supported n8n (README) once more on
 * n8n 1.123.81.
 *
 *   npx jest -c test/real-n8n/jest.real-n8n.config.js
 *   npx jest -c test/real-n8n/jest.real-n8n.config.js <file> --selectProjects "n8n 2.41.1"   # one version
 *
 * Env: N8N_CACHE_DIR (install location), N8N_TEST_SKIP_BUILD=1, N8N_TEST_LOG_LEVEL,
 * N8N_TEST_KEEP_FOLDERS=1 (keep the temp user folders for inspection).
 */
const path = require('path');

const { N8N_VERSION, OLDEST_N8N_VERSION } = require('../../scripts/ensure-n8n');

const rootDir = path.resolve(__dirname, '..', '..');
/** What runs on the oldest supported n8n too: the package loads and the examples work. */
const ON_OLDEST = ['package-loads', 'examples'];

/** @param {string} version @param {string[]} testMatch */
const project = (version, testMatch) => ({
	displayName: `n8n ${version}`,
	rootDir,
	// only this folder: keeps jest's file crawler out of .cache/n8n (2.4 GB of n8n)
	roots: ['<rootDir>/test/real-n8n'],
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ diagnostics: false, tsconfig: path.join(rootDir, 'tsconfig.test.json') },
		],
	},
	testMatch,
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/'],
	modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
	// N8N_TEST_VERSION for the global setup (installs that n8n) and the test files (run it)
	globals: { N8N_TEST_VERSION: version },
	globalSetup: '<rootDir>/test/real-n8n/global-setup.js',
	setupFiles: ['<rootDir>/test/real-n8n/n8n-version.js'],
	slowTestThreshold: 60,
});

module.exports = {
	projects: [
		project(N8N_VERSION, ['<rootDir>/test/real-n8n/**/*.n8n-test.ts']),
		project(
			OLDEST_N8N_VERSION,
			ON_OLDEST.map((name) => `<rootDir>/test/real-n8n/${name}.n8n-test.ts`),
		),
	],
	// every test starts n8n processes (seconds each); the CI machine has 2 cores
	testTimeout: 240_000,
	maxWorkers: 1,
	verbose: true,
};
