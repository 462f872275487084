/**
 * Start the Dreamina API emulator from the command line:
 *   node -r ts-node/register/transpile-only test/emulator/cli.ts --port 5680 --token test-token
 * Options: --host, --port, --token, --video-ms, --image-ms, --upscale-ms, --timeout-ms,
 *          --video-bytes, --callback-retries
 * Prints one JSON line {"baseUrl","origin","token"} to stdout once listening; stops on SIGINT/SIGTERM.
 */
import { EmulatorOptions, startEmulator } from './server';

function parseArgs(argv: string[]): EmulatorOptions {
	const opts: EmulatorOptions = {};
	const durations: NonNullable<EmulatorOptions['jobDurationMs']> = {};
	const num = (name: string, v: string | undefined): number => {
		const n = Number(v);
		if (v === undefined || !Number.isFinite(n)) {
			process.stderr.write(`Option ${name} needs a number\n`);
			process.exit(2);
		}
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=')
			? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
			: [a, undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				opts.port = num(flag, value());
				break;
			case '--host':
				opts.host = value();
				break;
			case '--token':
				opts.token = value();
				break;
			case '--video-ms':
				durations.video = num(flag, value());
				break;
			case '--image-ms':
				durations.image = num(flag, value());
				break;
			case '--upscale-ms':
				durations.upscale = num(flag, value());
				break;
			case '--timeout-ms':
				opts.jobTimeoutMs = num(flag, value());
				break;
			case '--video-bytes':
				opts.videoBytes = num(flag, value());
				break;
			case '--callback-retries':
				opts.callbackRetries = num(flag, value());
				break;
			case '--help':
			case '-h':
				process.stdout.write(
					'Usage: cli.ts [--host 127.0.0.1] [--port 0] [--token test-token] [--video-ms 1500] [--image-ms 800]\n' +
						'              [--upscale-ms 800] [--timeout-ms 3600000] [--video-bytes 262144] [--callback-retries 0]\n',
				);
				process.exit(0);
				break;
			default:
				process.stderr.write(`Unknown option ${a}\n`);
				process.exit(2);
		}
	}
	if (Object.keys(durations).length) opts.jobDurationMs = durations;
	return opts;
}

async function main(): Promise<void> {
	const emu = await startEmulator(parseArgs(process.argv.slice(2)));
	process.stdout.write(
		`${JSON.stringify({ baseUrl: emu.baseUrl, origin: emu.origin, token: emu.token })}\n`,
	);
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

main().catch((e) => {
	process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
	process.exit(1);
});
