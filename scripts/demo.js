// @ts-check
'use strict';
/**
 * npm run demo — this package end to end in a real n8n:
 *
 *   1. builds the package if dist/ is missing or incomplete (npm run build)
 *   2. makes sure n8n 2.41.1 + Node 24 are installed in .cache/n8n (first run: a few minutes)
 *   3. starts the Dreamina API emulator on 127.0.0.1 (jobs finish in a few seconds), or, with
 *      DREAMINA_API_TOKEN set, uses the real API (the credential's default Base URL)
 *   4. installs the packed package into a temporary n8n user folder (as n8n installs community
 *      packages), imports the "Dreamina API" credential and examples/text-to-video.json
 *   5. runs the workflow with `n8n execute` and copies the MP4 to demo-output/
 *
 * With the emulator, the result is a clip a person can watch (the prompt, the model and the duration
 * drawn on it) when ffmpeg is available: scripts/ensure-ffmpeg.sh installs Debian's package when it
 * can (as root); without it the emulator serves a valid but empty MP4 and the demo says so.
 *
 * Environment:
 *   DREAMINA_API_TOKEN   use the real API with this useapi.net token (spends credits: one 5 s video)
 *   DREAMINA_ACCOUNT     with the real API: the account to use (REGION:email); default: Auto
 *   DREAMINA_BASE_URL    with the real API: another API root (a proxy); default the useapi.net one
 *   DEMO_KEEP_FOLDER=1   keep the temporary n8n user folder (its path is printed)
 *   N8N_CACHE_DIR        where n8n is installed (default .cache/n8n)
 *
 * Runs on the system Node; n8n runs on the cached Node 24, the emulator as its own process
 * (scripts/lib/emulator-process.js).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startEmulatorProcess } = require('./lib/emulator-process');
const {
	EXAMPLE_CREDENTIAL,
	N8nTestInstance,
	REPO_ROOT,
	assertBuilt,
	binaryDataFile,
	describeExecution,
	ensureN8n,
	killAllN8nProcesses,
	nodeBinaries,
	nodeItems,
	patchParameters,
	readExample,
} = require('./lib/n8n-instance');

const EXAMPLE = 'text-to-video';
const NODE = 'Generate Video';
const OUTPUT_DIR = path.join(REPO_ROOT, 'demo-output');

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
/** @param {string} message */ const log = (message) =>
	process.stdout.write(`[demo ${elapsed()}] ${message}\n`);

/**
 * Prints "still …" every `everyMs` while a long step runs (a first n8n install takes minutes).
 * @template T
 * @param {string} what
 * @param {number} everyMs
 * @param {Promise<T>} work
 * @returns {Promise<T>}
 */
async function withHeartbeat(what, everyMs, work) {
	const started = Date.now();
	const timer = setInterval(
		() => log(`${what} … (${Math.round((Date.now() - started) / 1000)}s so far)`),
		everyMs,
	);
	try {
		return await work;
	} finally {
		clearInterval(timer);
	}
}

/**
 * ffmpeg for the emulator's watchable clips: installed on demand (scripts/ensure-ffmpeg.sh), as
 * the tests install Chromium. Without it the demo still runs, with the synthetic MP4.
 * @returns {Promise<boolean>}
 */
function ensureFfmpeg() {
	return new Promise((resolve) => {
		const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'ensure-ffmpeg.sh')], {
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		child.on('error', () => resolve(false));
		child.on('close', (code) => resolve(code === 0));
	});
}

/**
 * What ffprobe says about the video: "H.264 480x270, 5.0 s" (undefined without ffprobe).
 * @param {string} file
 * @returns {Promise<string | undefined>}
 */
function describeVideo(file) {
	return new Promise((resolve) => {
		const args = [
			'-v',
			'error',
			'-select_streams',
			'v:0',
			'-show_entries',
			'stream=codec_name,width,height:format=duration',
			'-of',
			'json',
			file,
		];
		let out = '';
		const child = spawn('ffprobe', args, { stdio: ['ignore', 'pipe', 'ignore'] });
		child.stdout.on('data', (d) => (out += d.toString()));
		child.on('error', () => resolve(undefined));
		child.on('close', (code) => {
			try {
				const probe = JSON.parse(out);
				const stream = probe.streams?.[0];
				const seconds = Number(probe.format?.duration);
				resolve(
					code === 0 && stream
						? `${stream.codec_name} ${stream.width}x${stream.height}, ${seconds.toFixed(1)} s`
						: undefined,
				);
			} catch {
				resolve(undefined);
			}
		});
	});
}

/** @returns {boolean} */
function isBuilt() {
	try {
		assertBuilt();
		return true;
	} catch {
		return false;
	}
}

/** @returns {Promise<void>} */
function npmRunBuild() {
	const npmCli = process.env.npm_execpath;
	const [cmd, args] =
		npmCli && /npm-cli\.js$/.test(npmCli)
			? [process.execPath, [npmCli, 'run', 'build']]
			: ['npm', ['run', 'build']];
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve() : reject(new Error(`npm run build exited ${code}`)),
		);
	});
}

/**
 * @typedef {object} Api
 * @property {'emulator' | 'real'} kind
 * @property {string} baseUrl
 * @property {string} token
 * @property {string} [account]
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Api>} */
async function startApi() {
	const token = process.env.DREAMINA_API_TOKEN?.trim();
	if (token) {
		// The credential's own default, from the package as n8n loads it (built above).
		const { DEFAULT_BASE_URL } = require(
			path.join(REPO_ROOT, 'dist', 'credentials', 'DreaminaApi.credentials.js'),
		);
		const baseUrl = (process.env.DREAMINA_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
		const account = process.env.DREAMINA_ACCOUNT?.trim() || undefined;
		log(
			`DREAMINA_API_TOKEN is set: using the real API at ${baseUrl}${account ? ` with account ${account}` : ' (account: Auto)'}`,
		);
		log(
			'this spends Dreamina credits for one 5 s 720p video (seedance-2.0); a real job takes a few minutes',
		);
		return { kind: 'real', baseUrl, token, account, close: async () => undefined };
	}
	const watchable = await ensureFfmpeg();
	log(
		watchable
			? 'ffmpeg found: the emulator renders clips you can watch'
			: 'no ffmpeg (scripts/ensure-ffmpeg.sh needs root to install it): the emulator serves synthetic files',
	);
	// a separate program: the demo runs no test code in its own process
	const emu = await startEmulatorProcess([
		'--video-ms',
		'4000',
		'--image-ms',
		'2000',
		'--upscale-ms',
		'2000',
	]);
	log(
		`API emulator listening at ${emu.baseUrl} (no DREAMINA_API_TOKEN: nothing leaves this machine)`,
	);
	return { kind: 'emulator', baseUrl: emu.baseUrl, token: emu.token, close: () => emu.close() };
}

/** @returns {Promise<void>} */
async function main() {
	/** @type {Api | undefined} */ let api;
	/** @type {N8nTestInstance | undefined} */ let n8n;
	let cleaning = false;
	const cleanup = async () => {
		if (cleaning) return;
		cleaning = true;
		killAllN8nProcesses();
		await api?.close().catch(() => undefined);
		if (n8n) {
			if (process.env.DEMO_KEEP_FOLDER) log(`kept the n8n user folder ${n8n.userFolder}`);
			else fs.rmSync(n8n.userFolder, { recursive: true, force: true });
		}
	};
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
		process.on(signal, () => {
			log(`${signal}: stopping n8n and the emulator`);
			void cleanup().finally(() => process.exit(130));
		});
	}

	try {
		// 1. build
		if (isBuilt()) log('package already built (dist/)');
		else {
			log('dist/ is missing or incomplete: npm run build');
			await npmRunBuild();
			assertBuilt();
			log('built');
		}

		// 2. n8n
		log(
			'checking the n8n install (first run: installs n8n 2.41.1 + Node 24 into .cache/n8n, ~2 GB, a few minutes)',
		);
		const install = await withHeartbeat('still installing n8n', 20_000, ensureN8n());
		log(`n8n ${install.n8nVersion} on Node ${install.nodeVersion} ready`);

		// 3. the API
		api = await startApi();

		// 4. user folder, package, credential, workflow
		const real = api.kind === 'real';
		n8n = new N8nTestInstance({
			userFolder: fs.mkdtempSync(path.join(os.tmpdir(), 'dreamina-demo-')),
			timeoutMs: real ? 40 * 60_000 : 5 * 60_000,
		});
		log(`n8n user folder ${n8n.userFolder}`);
		const installed = await n8n.packAndInstall();
		log(
			`installed ${installed.packageName}@${installed.version} as a community package (npm pack → .n8n/nodes)`,
		);
		await n8n.importCredential({
			...EXAMPLE_CREDENTIAL,
			data: { apiToken: api.token, baseUrl: api.baseUrl },
		});
		log(`imported the credential "${EXAMPLE_CREDENTIAL.name}" (Base URL ${api.baseUrl})`);

		const workflow = readExample(EXAMPLE);
		if (!real) {
			// emulator jobs take seconds: look every second instead of after 45 s, then every 10–30 s
			patchParameters(workflow, NODE, { options: { firstCheckSeconds: 1, maxIntervalSeconds: 1 } });
		}
		if (api.account) {
			patchParameters(workflow, NODE, { account: { __rl: true, mode: 'id', value: api.account } });
		}
		const [workflowId] = await n8n.importWorkflow(workflow);
		log(`imported examples/${EXAMPLE}.json ("${workflow.name}")`);

		// 5. run it
		log(
			`running it with \`n8n execute\`${real ? ' (polls the job: first check after 45 s, then every 10–30 s)' : ''}`,
		);
		const run = await withHeartbeat(
			'n8n is running the workflow',
			real ? 30_000 : 15_000,
			n8n.executeWorkflow(workflowId),
		);
		if (run.status !== 'success')
			throw new Error(`the workflow did not succeed: ${describeExecution(run)}`);
		const [job] = nodeItems(run, NODE);
		const [binaries] = nodeBinaries(run, NODE);
		const video = binaries?.data;
		if (!video)
			throw new Error(`"${NODE}" output no binary data: ${JSON.stringify(job).slice(0, 500)}`);

		const source = binaryDataFile(n8n.userFolder, video);
		fs.mkdirSync(OUTPUT_DIR, { recursive: true });
		const target = path.join(OUTPUT_DIR, video.fileName ?? `dreamina-video-${Date.now()}.mp4`);
		fs.copyFileSync(source, target);
		const size = fs.statSync(target).size;
		if (video.bytes !== undefined && video.bytes !== size) {
			throw new Error(`copied ${size} bytes but n8n recorded ${video.bytes}`);
		}

		log(`done in ${elapsed()} (n8n execute ${((run.cli?.durationMs ?? 0) / 1000).toFixed(1)}s)`);
		process.stdout.write(
			`\njobid=${job.jobid} status=${job.status} size=${size} bytes mime=${video.mimeType} api=${api.kind}\n`,
		);
		process.stdout.write(`${target}\n`);
		const probed = await describeVideo(target);
		if (real) return;
		process.stdout.write(
			probed && !probed.startsWith('undefined')
				? `(an emulator clip you can watch: ${probed}, showing the prompt, the model and the duration)\n`
				: '(an emulator video: a valid MP4 container with an empty track, not a watchable clip; install ffmpeg for a clip)\n',
		);
	} finally {
		await cleanup();
	}
}

main().then(
	() => process.exit(0),
	/** @param {unknown} error */ (error) => {
		process.stderr.write(
			`\n[demo] failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exit(1);
	},
);
