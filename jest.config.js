/** Unit, emulator and in-process n8n tests run on the system Node; real-n8n tests live in test/real-n8n. */
module.exports = {
	testEnvironment: 'node',
	// tsconfig.test.json: tsconfig.json is the build config and leaves tests out
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/nodes/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/real-n8n/'],
	modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
	testTimeout: 60000,
};
