#!/usr/bin/env node
/**
 * Upload memory benchmark: the Upload Asset node (streamed) against the baseline of the same upload with
 * the file loaded into a Buffer, each in its own process, in the same run. Prints both and their ratio.
 * Usage: npm run bench:upload [-- --mb 40]
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const mb = process.argv.includes('--mb') ? process.argv[process.argv.indexOf('--mb') + 1] : '40';
const script = path.join(__dirname, 'bench-upload-memory.ts');

function run(mode) {
	const out = execFileSync(
		process.execPath,
		['--expose-gc', '-r', 'ts-node/register/transpile-only', script, '--mode', mode, '--mb', mb],
		{ encoding: 'utf8', cwd: path.join(__dirname, '..') },
	);
	return JSON.parse(out.trim().split('\n').pop());
}

const MiB = 1024 * 1024;
const stream = run('stream');
const buffer = run('buffer');
const row = (name, r) => ({
	upload: name,
	'file MiB': (r.fileBytes / MiB).toFixed(1),
	'peak RSS growth MiB': (r.peakDelta / MiB).toFixed(1),
	'growth / file size': (r.peakDelta / r.fileBytes).toFixed(2),
	'uploaded MiB': (r.uploadedBytes / MiB).toFixed(1),
	ms: r.ms,
});
console.table([row('Upload Asset (streamed)', stream), row('baseline: file in a Buffer', buffer)]);
console.log(
	`ratio streamed/baseline peak RSS growth: ${(Math.max(stream.peakDelta, 0) / buffer.peakDelta).toFixed(2)}`,
);
