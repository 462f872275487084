#!/usr/bin/env node
/**
 * Keeps `npm ci` working with this registry: some optional, platform-specific binaries (e.g. unrs-resolver's
 * darwin/win32 builds, used only by the lint toolchain) are not published here, so `npm install` leaves them
 * out of package-lock.json and `npm ci` then calls the lock out of sync. This adds lock entries for them with
 * their os/cpu, so npm ci sees them as optional packages for other platforms and skips them.
 * Run after `npm install` changes the lock: node scripts/lock-platform-stubs.js
 */
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = {
	android: 'android',
	darwin: 'darwin',
	freebsd: 'freebsd',
	linux: 'linux',
	win32: 'win32',
	openharmony: 'openharmony',
	wasm32: null,
};
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x'];

function platformOf(name) {
	const tail = name.split('/').pop();
	const os = Object.keys(OS).find((o) => tail.includes(`-${o}-`));
	const cpu =
		CPU.find((c) => tail.includes(`-${c}`)) ?? (tail.includes('-arm-') ? 'arm' : undefined);
	return os && OS[os] ? { os: [OS[os]], cpu: cpu ? [cpu] : undefined } : undefined;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
	for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
		const nested = `${location ? location + '/' : ''}node_modules/${name}`;
		const hoisted = `node_modules/${name}`;
		if (packages[nested] || packages[hoisted]) continue;
		const platform = platformOf(name);
		if (!platform) continue;
		packages[hoisted] = {
			version,
			dev: true,
			optional: true,
			os: platform.os,
			...(platform.cpu ? { cpu: platform.cpu } : {}),
		};
		added++;
	}
}
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform stub entries to package-lock.json`);
