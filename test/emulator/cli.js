// @ts-check
'use strict';
/**
 * Start the Dreamina API emulator from the command line:
 *   node test/emulator/cli.js --port 5680 --token test-token   (npm run emulator -- …)
 * Prints one JSON line {"baseUrl","origin","token"} to stdout once listening; stops on SIGINT/SIGTERM.
 * Options: see USAGE.
 */
const { startEmulator } = require('./server');

/** @typedef {import('./types').EmulatorOptions} EmulatorOptions */

const USAGE = `Usage: node test/emulator/cli.js [--host 127.0.0.1] [--port 0] [--token test-token]
  [--video-ms 1500 | --video-ms 60000-180000] [--image-ms 800] [--upscale-ms 800] [--seed 1]
  [--timeout-ms 3600000]
  [--video-bytes 262144] [--callback-retries 0] [--callback-timeout-ms 10000]
  [--render | --no-render] [--ffmpeg ffmpeg]
`;

/**
 * @param {string} message
 * @returns {never}
 */
function usageError(message) {
	process.stderr.write(`${message}\n${USAGE}`);
	process.exit(2);
}

/**
 * @param {string} flag
 * @param {string | undefined} v
 */
function num(flag, v) {
	const n = Number(v);
	if (v === undefined || v === '' || !Number.isFinite(n))
		usageError(`Option ${flag} needs a number`);
	return n;
}

/**
 * A duration: `1500`, or a range `60000-180000` drawn per job.
 * @param {string} flag
 * @param {string | undefined} v
 * @returns {import('./types').DurationSpec}
 */
function duration(flag, v) {
	const m = /^(\d+)-(\d+)$/.exec(v ?? '');
	return m ? [Number(m[1]), Number(m[2])] : num(flag, v);
}

/** @type {Record<string, (o: EmulatorOptions, v: string | undefined, flag: string) => void>} */
const FLAGS = {
	'--port': (o, v, f) => (o.port = num(f, v)),
	'--host': (o, v) => (o.host = v),
	'--token': (o, v) => (o.token = v),
	'--video-ms': (o, v, f) => (o.jobDurationMs = { ...o.jobDurationMs, video: duration(f, v) }),
	'--image-ms': (o, v, f) => (o.jobDurationMs = { ...o.jobDurationMs, image: duration(f, v) }),
	'--upscale-ms': (o, v, f) => (o.jobDurationMs = { ...o.jobDurationMs, upscale: duration(f, v) }),
	'--seed': (o, v, f) => (o.seed = num(f, v)),
	'--timeout-ms': (o, v, f) => (o.jobTimeoutMs = num(f, v)),
	'--video-bytes': (o, v, f) => (o.videoBytes = num(f, v)),
	'--callback-retries': (o, v, f) => (o.callbackRetries = num(f, v)),
	'--callback-timeout-ms': (o, v, f) => (o.callbackTimeoutMs = num(f, v)),
	'--ffmpeg': (o, v) => (o.ffmpegPath = v),
};

/**
 * @param {string[]} argv
 * @returns {EmulatorOptions}
 */
function parseArgs(argv) {
	/** @type {EmulatorOptions} */
	// A person runs the CLI (npm run emulator, npm run demo): results they can open, when ffmpeg is there.
	const opts = { render: true };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const flag = eq > 0 ? arg.slice(0, eq) : arg;
		if (flag === '--help' || flag === '-h') {
			process.stdout.write(USAGE);
			process.exit(0);
		}
		if (flag === '--render' || flag === '--no-render') {
			opts.render = flag === '--render';
			continue;
		}
		const set = FLAGS[flag];
		if (!set) usageError(`Unknown option ${arg}`);
		set(opts, eq > 0 ? arg.slice(eq + 1) : argv[++i], flag);
	}
	return opts;
}

async function main() {
	const emu = await startEmulator(parseArgs(process.argv.slice(2)));
	const { baseUrl, origin, token } = emu;
	process.stdout.write(`${JSON.stringify({ baseUrl, origin, token })}\n`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		emu.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
		setTimeout(() => process.exit(0), 2000).unref();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`${e?.stack ?? e}\n`);
		process.exit(1);
	});
}

module.exports = { parseArgs };
