#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Callback burst benchmark: one real n8n 2.41.1 server (SQLite, as the real-n8n tests run it) with
 * two active workflows, measured in the same run:
 * - baseline: n8n's own Webhook node (`n8n-nodes-base.webhook`, Respond: Immediately) → No Op;
 * - Dreamina Trigger (Verify With API on, Download Result on) → No Op.
 * Each gets a burst of `--count` (200) completed-job callbacks at once, POSTed the way the Dreamina
 * API does (a JSON job record, 10 s timeout, never retried). The bench counts answers (200 / other
 * / timeout), answer latency (p50, p99) and the executions n8n started, prints a table with the
 * ratio to the baseline, and fails (exit 1) if the trigger lost more callbacks than the Webhook node.
 *
 * The API emulator (test/emulator/) runs as its own process: it serves the trigger's job reads and
 * result downloads (MP4s of `--video-bytes`). The bench POSTs the job records itself (the emulator
 * does not fire a burst of callbacks on its own yet).
 *
 * Run it with n8n's defaults and with `--n8n-env N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`: by
 * default n8n 2.41 cold-starts an expression isolate for every webhook call of any node but its own
 * Webhook node before it reads the body, which under a burst outlasts the API's 10 s (the numbers
 * and the reasons are in docs/CALLBACKS.md).
 *
 *   node scripts/bench-callbacks.js [--count 200] [--video-bytes 262144] [--skip-build]
 *                                   [--log-level info] [--n8n-env NAME=value …] [--keep]
 */
const { spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { startEmulatorProcess } = require('./lib/emulator-process');
const { N8nTestInstance, ensureN8n, freePort } = require('./lib/n8n-instance');

const REPO_ROOT = path.resolve(__dirname, '..');
/** How long the Dreamina API waits for a callback's answer (it does not retry). */
const API_TIMEOUT_MS = 10_000;
/**
 * n8n has settled when its execution count has not changed for this long and none is running. A
 * trigger starts its execution only once its download is done, which under a burst takes a while.
 */
const SETTLE_MS = 30_000;
const SETTLE_TIMEOUT_MS = 300_000;
/** A test value, not a real secret. */
const CALLBACK_SECRET = 'example-bench-callback-secret-1f9a7c';
const CREDENTIAL = { id: 'benchDreaminaCred', name: 'Dreamina (bench)', type: 'dreaminaApi' };

/**
 * @param {string} flag
 * @param {string} fallback
 * @returns {string}
 */
function option(flag, fallback) {
	const i = process.argv.indexOf(flag);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const COUNT = Number(option('--count', '200'));
const VIDEO_BYTES = Number(option('--video-bytes', String(256 * 1024)));
const LOG_LEVEL = /** @type {'info'} */ (option('--log-level', 'info'));
/** `--n8n-env NAME=value` (repeatable): settings for the n8n server, e.g. its expression engine. */
const N8N_ENV = Object.fromEntries(
	process.argv
		.flatMap((arg, i) => (arg === '--n8n-env' && process.argv[i + 1] ? [process.argv[i + 1]] : []))
		.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {import('./lib/n8n-instance').WorkflowJson} WorkflowJson
 * @typedef {object} Target
 * @property {string} label
 * @property {string} workflowId
 * @property {WorkflowJson} workflow
 * @property {(serverUrl: string) => string} url where the callbacks go
 * @property {boolean} needsFreshJobs a trigger remembers a job it already started (duplicates)
 */

/**
 * @param {string} id
 * @param {string} name
 * @param {Record<string, unknown>} trigger the first node
 * @returns {WorkflowJson}
 */
function workflow(id, name, trigger) {
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: randomUUID(), position: [0, 0], ...trigger },
			{
				id: randomUUID(),
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: {
			[String(trigger.name)]: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * @param {string} id
 * @returns {Target}
 */
function dreaminaTarget(id) {
	const webhookId = randomUUID();
	return {
		label: 'Dreamina Trigger (verify + download)',
		workflowId: id,
		workflow: workflow(id, 'bench: Dreamina Trigger', {
			name: 'Dreamina Trigger',
			type: 'n8n-nodes-dreamina.dreaminaTrigger',
			typeVersion: 2,
			webhookId,
			parameters: {},
			credentials: { dreaminaApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		}),
		url: (serverUrl) => `${serverUrl}/webhook/${webhookId}/dreamina?secret=${CALLBACK_SECRET}`,
		needsFreshJobs: true,
	};
}

/** @returns {Target} */
function baselineTarget() {
	return {
		label: 'baseline: n8n Webhook node (onReceived)',
		workflowId: 'benchWebhookBase',
		workflow: workflow('benchWebhookBase', 'bench: n8n Webhook node', {
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: randomUUID(),
			parameters: {
				httpMethod: 'POST',
				path: 'bench-baseline',
				responseMode: 'onReceived',
				options: {},
			},
		}),
		url: (serverUrl) => `${serverUrl}/webhook/bench-baseline`,
		needsFreshJobs: false,
	};
}

/**
 * @param {{ baseUrl: string; token: string }} emu
 * @param {string} method
 * @param {string} apiPath
 * @param {unknown} [body]
 * @returns {Promise<{ status: number; json: any }>}
 */
async function api(emu, method, apiPath, body) {
	const response = await fetch(emu.baseUrl + apiPath, {
		method,
		headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, json: await response.json() };
}

/**
 * `count` completed video jobs, as the API serves (and posts) them. Submitted one at a time;
 * a 429 (all accounts busy) is retried once a job has finished.
 * @param {{ baseUrl: string; token: string }} emu
 * @param {number} count
 * @returns {Promise<object[]>}
 */
async function completedJobs(emu, count) {
	/** @type {string[]} */ const jobids = [];
	while (jobids.length < count) {
		const { status, json } = await api(emu, 'POST', '/videos', {
			prompt: `bench callback ${jobids.length}`,
		});
		if (status === 429) {
			await sleep(50);
			continue;
		}
		if (status !== 200) throw new Error(`POST /videos answered ${status}: ${JSON.stringify(json)}`);
		jobids.push(json.jobid);
	}
	const records = [];
	for (const jobid of jobids) {
		for (;;) {
			const { json } = await api(emu, 'GET', `/videos/${encodeURIComponent(jobid)}`);
			if (json.status === 'completed') {
				records.push(json);
				break;
			}
			if (json.status === 'failed') throw new Error(`bench job ${jobid} failed: ${json.error}`);
			await sleep(50);
		}
	}
	return records;
}

/**
 * @typedef {object} Answer
 * @property {number | 'timeout' | 'error'} status
 * @property {number} ms
 */

/**
 * POSTs every record at once, each with the API's 10 s timeout.
 * @param {string} url
 * @param {object[]} records
 * @returns {Promise<Answer[]>}
 */
async function burst(url, records) {
	return await Promise.all(
		records.map(async (record) => {
			const startedAt = performance.now();
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(record),
					signal: AbortSignal.timeout(API_TIMEOUT_MS),
				});
				await response.arrayBuffer().catch(() => undefined);
				return { status: response.status, ms: performance.now() - startedAt };
			} catch (error) {
				/** @type {Answer['status']} */
				const status = /** @type {Error} */ (error).name === 'TimeoutError' ? 'timeout' : 'error';
				return { status, ms: performance.now() - startedAt };
			}
		}),
	);
}

/**
 * Waits until n8n has started and finished everything it will for this workflow.
 * @param {InstanceType<typeof N8nTestInstance>} n8n
 * @param {string} workflowId
 * @returns {Promise<{ started: number; succeeded: number; statuses: Record<string, number> }>}
 */
async function settledExecutions(n8n, workflowId) {
	const deadline = Date.now() + SETTLE_TIMEOUT_MS;
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const list = await n8n.readExecutions({ workflowId, limit: 100_000, withData: false });
		/** @type {Record<string, number>} */ const statuses = {};
		for (const e of list) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
		const busy = (statuses.running ?? 0) + (statuses.new ?? 0);
		if (list.length !== last) {
			last = list.length;
			stableSince = Date.now();
		}
		const settled = busy === 0 && (list.length >= COUNT || Date.now() - stableSince >= SETTLE_MS);
		if (settled || Date.now() > deadline) {
			return { started: list.length, succeeded: statuses.success ?? 0, statuses };
		}
		await sleep(1000);
	}
}

/**
 * Samples a process's resident memory (Linux /proc) until stopped; resolves with the peak in MiB.
 * @param {number | undefined} pid
 * @returns {{ stop: () => number }}
 */
function sampleRss(pid) {
	let peak = 0;
	const read = () => {
		try {
			const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			peak = Math.max(peak, kb / 1024);
		} catch {
			/* not Linux, or the process is gone */
		}
	};
	read();
	const timer = setInterval(read, 200);
	return {
		stop: () => {
			clearInterval(timer);
			read();
			return peak;
		},
	};
}

/**
 * n8n's error and warning lines, counted by message (ids and numbers masked).
 * @param {string} text
 * @returns {string}
 */
function problemLines(text) {
	/** @type {Map<string, number>} */ const counts = new Map();
	for (const line of text.split('\n')) {
		if (!/\b(error|warn)\b|Database is not ready/i.test(line)) continue;
		const key = line
			.replace(/\d+/g, 'N')
			.replace(/[0-9a-f-]{36}/gi, 'ID')
			.trim()
			.slice(0, 200);
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return [...counts]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 8)
		.map(([line, n]) => `  ${n}× ${line}`)
		.join('\n');
}

/**
 * @param {number[]} sorted
 * @param {number} p
 */
function percentile(sorted, p) {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * @param {Answer[]} answers
 * @param {{ started: number; succeeded: number; statuses: Record<string, number> }} executions
 */
function summarize(answers, executions) {
	const ms = answers
		.filter((a) => typeof a.status === 'number')
		.map((a) => a.ms)
		.sort((a, b) => a - b);
	/** @type {Record<string, number>} */ const other = {};
	for (const a of answers) {
		if (typeof a.status === 'number' && a.status !== 200)
			other[a.status] = (other[a.status] ?? 0) + 1;
	}
	return {
		answered200: answers.filter((a) => a.status === 200).length,
		other,
		timeout: answers.filter((a) => a.status === 'timeout').length,
		error: answers.filter((a) => a.status === 'error').length,
		p50: percentile(ms, 50),
		p99: percentile(ms, 99),
		...executions,
	};
}

async function main() {
	if (!process.argv.includes('--skip-build')) {
		const built = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
		if (built.status !== 0) throw new Error('npm run build failed (or pass --skip-build)');
	}
	await ensureN8n();
	const emu = await startEmulatorProcess([
		'--video-ms',
		'50',
		'--video-bytes',
		String(VIDEO_BYTES),
	]);
	const n8n = new N8nTestInstance({ logLevel: LOG_LEVEL });
	/** @type {any} */ let server;
	const log = (/** @type {string} */ text) => process.stderr.write(`[bench-callbacks] ${text}\n`);
	try {
		const targets = [baselineTarget(), dreaminaTarget('benchDreamina')];
		await n8n.packAndInstall();
		await n8n.importCredential({
			...CREDENTIAL,
			data: { apiToken: emu.token, baseUrl: emu.baseUrl, callbackSecret: CALLBACK_SECRET },
		});
		await n8n.importWorkflow(targets.map((t) => t.workflow));
		server = await n8n.startServer({ port: await freePort(), logLevel: LOG_LEVEL, env: N8N_ENV });
		await server.ensureOwnerAndLogin();
		for (const target of targets) await server.activateWorkflow(target.workflowId);
		log(
			`n8n ${server.url} ready; ${COUNT} callbacks per burst, MP4s of ${VIDEO_BYTES} bytes; ${JSON.stringify(N8N_ENV)}`,
		);

		let shared = await completedJobs(emu, COUNT);
		const rows = [];
		for (const target of targets) {
			const records = target.needsFreshJobs ? await completedJobs(emu, COUNT) : shared;
			log(`${target.label}: burst of ${records.length} …`);
			const logStart = server.logs().length;
			const rss = sampleRss(server.pid);
			const answers = await burst(target.url(server.url), records);
			const executions = await settledExecutions(n8n, target.workflowId);
			rows.push({ target, ...summarize(answers, executions), peakRssMiB: rss.stop() });
			const problems = problemLines(server.logs().slice(logStart));
			if (problems) log(`n8n logged during this burst:\n${problems}`);
		}
		shared = [];

		const [base] = rows;
		const fmt = (/** @type {number} */ n) => (Number.isFinite(n) ? Math.round(n) : '-');
		const ratio = (/** @type {number} */ a, /** @type {number} */ b) =>
			b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : '-';
		console.table(
			rows.map((r) => ({
				workflow: r.target.label,
				callbacks: COUNT,
				'answered 200': r.answered200,
				'other answers':
					Object.entries(r.other)
						.map(([code, n]) => `${n}×${code}`)
						.join(' ') || '0',
				timeout: r.timeout,
				error: r.error,
				'executions started': r.started,
				succeeded: r.succeeded,
				lost: COUNT - r.started,
				'p50 ms': fmt(r.p50),
				'p99 ms': fmt(r.p99),
				'n8n peak RSS MiB': fmt(r.peakRssMiB),
				'executions / baseline': ratio(r.started, base.started),
				'p50 / baseline': ratio(r.p50, base.p50),
				'p99 / baseline': ratio(r.p99, base.p99),
			})),
		);
		const trigger = rows[1];
		const lostTrigger = COUNT - trigger.started;
		const lostBase = COUNT - base.started;
		console.log(
			`Dreamina Trigger lost ${lostTrigger} of ${COUNT} callbacks, the Webhook node ${lostBase}: ${
				lostTrigger <= lostBase ? 'no more than the baseline' : 'MORE THAN THE BASELINE'
			}`,
		);
		if (lostTrigger > lostBase) process.exitCode = 1;
	} finally {
		await server?.stop();
		await emu.close();
		if (!process.argv.includes('--keep')) n8n.cleanup();
		else log(`kept ${n8n.userFolder}`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
