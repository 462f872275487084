#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * npm run emulator [-- --port 5680 …]: the Dreamina API emulator on 127.0.0.1 for manual testing,
 * in the foreground (test/emulator/cli.js; options: `npm run emulator -- --help`).
 */
const { spawn } = require('node:child_process');

const { emulatorCliArgs } = require('./lib/emulator-process');

const child = spawn(process.execPath, [...emulatorCliArgs(), ...process.argv.slice(2)], {
	stdio: 'inherit',
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
