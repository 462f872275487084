// @ts-check
'use strict';
/**
 * npm run demo — this package end to end in a real n8n:
 *   1. builds the package if dist/ is incomplete (npm run build)
 *   2. installs n8n + its Node into .cache/n8n if needed (first run: a few minutes)
 *   3. starts the Dreamina API emulator (jobs finish in seconds), or, with DREAMINA_API_TOKEN set,
 *      uses the real API (the credential's default Base URL; spends credits for one 5 s video)
 *   4. installs the packed package into a temporary n8n user folder, imports the credential and
 *      examples/text-to-video.json, runs it with `n8n execute` and copies the MP4 to demo-output/
 * With ffmpeg (scripts/ensure-ffmpeg.sh installs Debian's when it can) the emulator's clip shows
 * the prompt, the model and the duration; without it the MP4 is valid but empty.
 *
 * Env: DREAMINA_API_TOKEN, DREAMINA_ACCOUNT (REGION:email, default Auto), DREAMINA_BASE_URL,
 * DEMO_KEEP_FOLDER=1 (keep the n8n user folder), N8N_CACHE_DIR.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { startEmulatorProcess } = require('./lib/emulator-process');
const lib = require('./lib/n8n-instance');

const NODE = 'Generate Video';
const OUTPUT_DIR = path.join(lib.REPO_ROOT, 'demo-output');
const t0 = Date.now();
/** @param {string} message */
const log = (message) =>
	process.stdout.write(`[demo ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}\n`);

/** @returns {Promise<{ kind: 'emulator' | 'real', baseUrl: string, token: string, account?: string, close: () => Promise<void> }>} */
async function startApi() {
	const token = process.env.DREAMINA_API_TOKEN?.trim();
	if (token) {
		const { DEFAULT_BASE_URL } = require(
			path.join(lib.REPO_ROOT, 'dist', 'credentials', 'DreaminaApi.credentials.js'),
		);
		const baseUrl = (process.env.DREAMINA_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
		const account = process.env.DREAMINA_ACCOUNT?.trim() || undefined;
		log(
			`using the real API at ${baseUrl} (account ${account ?? 'Auto'}): one 5 s 720p video, a few minutes`,
		);
		return { kind: 'real', baseUrl, token, account, close: async () => undefined };
	}
	const ffmpeg = spawnSync('bash', [path.join(__dirname, 'ensure-ffmpeg.sh')], {
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	log(
		ffmpeg.status === 0
			? 'ffmpeg found: the emulator renders clips you can watch'
			: 'no ffmpeg: the emulator serves synthetic files',
	);
	const emu = await startEmulatorProcess([
		'--video-ms',
		'4000',
		'--image-ms',
		'2000',
		'--upscale-ms',
		'2000',
	]);
	log(`API emulator at ${emu.baseUrl} (no DREAMINA_API_TOKEN: nothing leaves this machine)`);
	return { kind: 'emulator', ...emu };
}

async function main() {
	try {
		lib.assertBuilt();
	} catch {
		log('dist/ is incomplete: npm run build');
		if (spawnSync('npm', ['run', 'build'], { cwd: lib.REPO_ROOT, stdio: 'inherit' }).status !== 0)
			throw new Error('npm run build failed');
	}
	log('checking the n8n install (first run: ~2 GB into .cache/n8n, a few minutes)');
	const install = await lib.ensureN8n();
	log(`n8n ${install.n8nVersion} on Node ${install.nodeVersion} ready`);
	const api = await startApi();
	const real = api.kind === 'real';
	const n8n = new lib.N8nTestInstance({ timeoutMs: real ? 40 * 60_000 : 5 * 60_000 });
	const stop = () => {
		void api.close();
		if (process.env.DEMO_KEEP_FOLDER) log(`kept the n8n user folder ${n8n.userFolder}`);
		else n8n.cleanup();
	};
	process.once('SIGINT', () => (stop(), process.exit(130)));
	try {
		const pkg = await n8n.packAndInstall();
		log(`installed ${pkg.packageName}@${pkg.version} as a community package in ${n8n.userFolder}`);
		await n8n.importCredential({
			...lib.EXAMPLE_CREDENTIAL,
			data: { apiToken: api.token, baseUrl: api.baseUrl },
		});
		const workflow = lib.readExample('text-to-video');
		const node = lib.workflowNode(workflow, NODE);
		// emulator jobs take seconds: look every second instead of after 45 s, then every 10–30 s
		if (!real) node.parameters.options = { firstCheckSeconds: 1, maxIntervalSeconds: 1 };
		if (api.account) node.parameters.account = { __rl: true, mode: 'id', value: api.account };
		const [workflowId] = await n8n.importWorkflow(workflow);
		log(`running examples/text-to-video.json ("${workflow.name}") with n8n execute`);
		const run = await n8n.executeWorkflow(workflowId);
		lib.assertSucceeded(run);
		const [job] = lib.nodeItems(run, NODE);
		const video = lib.nodeBinaries(run, NODE)[0]?.data;
		if (!video)
			throw new Error(`"${NODE}" output no binary data: ${JSON.stringify(job).slice(0, 500)}`);
		fs.mkdirSync(OUTPUT_DIR, { recursive: true });
		const target = path.join(OUTPUT_DIR, video.fileName ?? `dreamina-video-${Date.now()}.mp4`);
		fs.writeFileSync(target, lib.readBinary(n8n.userFolder, video));
		const probe = spawnSync(
			'ffprobe',
			['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', target],
			{ encoding: 'utf8' },
		);
		log(`done (n8n execute ${((run.cli?.durationMs ?? 0) / 1000).toFixed(1)}s)`);
		process.stdout.write(
			`\njobid=${job.jobid} status=${job.status} size=${fs.statSync(target).size} bytes mime=${video.mimeType} api=${api.kind}\n${target}\n`,
		);
		if (!real)
			process.stdout.write(
				probe.status === 0 && probe.stdout.trim()
					? `(a clip you can watch: ${probe.stdout.trim()})\n`
					: '(a valid MP4 with an empty track; install ffmpeg for a clip)\n',
			);
	} finally {
		stop();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(
			`\n[demo] failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exit(1);
	},
);
