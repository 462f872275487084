#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Upload memory benchmark: the Upload Asset node (streamed) against the baseline of the same upload with
 * the file loaded into a Buffer, each in its own process, in the same run. Prints both and their ratio.
 * Usage: npm run bench:upload [-- --mb 40]
 */
const { runUploadMemoryBench } = require('./lib/upload-memory-bench');

const mb = process.argv.includes('--mb')
	? Number(process.argv[process.argv.indexOf('--mb') + 1])
	: 40;

const MiB = 1024 * 1024;
/**
 * @param {string} name
 * @param {import('./lib/upload-memory-bench').UploadBenchReport} r
 */
const row = (name, r) => ({
	upload: name,
	'file MiB': (r.fileBytes / MiB).toFixed(1),
	'peak RSS growth MiB': (r.peakDelta / MiB).toFixed(1),
	'growth / file size': (r.peakDelta / r.fileBytes).toFixed(2),
	'uploaded MiB': (r.uploadedBytes / MiB).toFixed(1),
	ms: r.ms,
});

async function main() {
	const stream = await runUploadMemoryBench({ mode: 'stream', mb });
	const buffer = await runUploadMemoryBench({ mode: 'buffer', mb });
	console.table([
		row('Upload Asset (streamed)', stream),
		row('baseline: file in a Buffer', buffer),
	]);
	console.log(
		`ratio streamed/baseline peak RSS growth: ${(Math.max(stream.peakDelta, 0) / buffer.peakDelta).toFixed(2)}`,
	);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
