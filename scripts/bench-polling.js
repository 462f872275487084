// @ts-check
'use strict';
/**
 * Polling cost benchmark, rerun with `npm run bench:polling`. N jobs run at once (N = 1, 5, 20),
 * their durations drawn over the documented job times (videos 60–180 s, images 15–120 s). For
 * each N it measures, on a simulated clock and in the same run:
 *
 * - the node: its real JobWatcher (nodes/shared/jobs/watcher.ts), which shares one GET /scheduler
 *   a tick among the jobs and reads a job once it has left the scheduler; one job is read directly;
 * - the node as it was (0.1.0): each job read on its own schedule (pollTimes), as the baseline
 *   for "a single job must not get worse";
 * - a fixed 10 s poll and a fixed 3 s poll of every job.
 *
 * Requests of every kind per job (scheduler reads and job reads) and the mean delay between a job
 * finishing and the node seeing it, with ratios to the fixed polls.
 */
const { DEFAULT_POLL_SCHEDULES, pollTimes } = require('../nodes/shared/jobs/polling');
const { JobWatcher } = require('../nodes/shared/jobs/watcher');

const TRIALS = 200;
const JOB_COUNTS = [1, 5, 20];
const KINDS = /** @type {const} */ ([
	{ kind: 'video', label: 'video', fromMs: 60_000, toMs: 180_000 },
	// Upscale (V), interpolation (F) and full-quality jobs are polled like videos (GET /videos); a
	// 1080p full-quality job takes 1–2 min (useapi.net/docs/api-dreamina-v1/post-dreamina-videos-full-quality, 2026-11-12).
	{ kind: 'video', label: 'video enhancement', fromMs: 60_000, toMs: 120_000 },
	{ kind: 'image', label: 'image', fromMs: 15_000, toMs: 120_000 },
]);

/**
 * Deterministic durations: the same jobs for every strategy.
 * @param {number} seed
 */
function random(seed) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

/** A clock that jumps to the next timer: hours of waiting in milliseconds of run time. */
class SimulatedClock {
	constructor() {
		this.now = 0;
		/** @type {Array<{ at: number; id: number; wake: () => void }>} */
		this.timers = [];
		this.nextId = 0;
	}

	/** @param {number} ms @param {AbortSignal} signal */
	sleep(ms, signal) {
		return new Promise((resolve, reject) => {
			const id = ++this.nextId;
			this.timers.push({ at: this.now + ms, id, wake: () => resolve(undefined) });
			signal.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((timer) => timer.id !== id);
					reject(new Error('woken'));
				},
				{ once: true },
			);
		});
	}

	/** Runs timers until `done` settles. @param {Promise<unknown>} done */
	async runUntil(done) {
		let finished = false;
		void done.then(() => (finished = true));
		while (!finished) {
			await new Promise((resolve) => setImmediate(resolve));
			if (finished || this.timers.length === 0) continue;
			this.timers.sort((a, b) => a.at - b.at);
			const timer = /** @type {{ at: number; wake: () => void }} */ (this.timers.shift());
			this.now = Math.max(this.now, timer.at);
			timer.wake();
		}
	}
}

/**
 * @typedef {{ requests: number, delayS: number }} Measured requests per job, mean delay in seconds
 * @typedef {'video' | 'image'} Kind
 */

/**
 * The node's watcher over jobs finishing at `durations` (ms after t = 0).
 * @param {Kind} kind
 * @param {number[]} durations
 * @returns {Promise<Measured>}
 */
async function measureWatcher(kind, durations) {
	const clock = new SimulatedClock();
	const doneAt = new Map(durations.map((d, i) => [`j${i}`, d]));
	let requests = 0;
	const io = {
		now: () => clock.now,
		sleep: (/** @type {number} */ ms, /** @type {AbortSignal} */ signal) => clock.sleep(ms, signal),
		readScheduler: async () => {
			requests++;
			return new Set([...doneAt].filter(([, at]) => at > clock.now).map(([jobid]) => jobid));
		},
		readJob: async (/** @type {string} */ jobid) => {
			requests++;
			const done = /** @type {number} */ (doneAt.get(jobid)) <= clock.now;
			return { jobid, status: done ? 'completed' : 'created' };
		},
	};
	const watcher = new JobWatcher(/** @type {any} */ (io));
	const signal = new AbortController().signal;
	let delay = 0;
	const all = Promise.all(
		durations.map((duration, i) =>
			watcher
				.watch({
					jobid: `j${i}`,
					kind,
					startedAt: 0,
					schedule: DEFAULT_POLL_SCHEDULES[kind],
					deadline: 3_600_000,
					onTimeout: () => new Error('timeout'),
					signal,
				})
				.then(() => (delay += clock.now - duration)),
		),
	);
	await clock.runUntil(all);
	return { requests: requests / durations.length, delayS: delay / durations.length / 1000 };
}

/**
 * Each job read on its own schedule (0.1.0's node: one GET per check).
 * @param {Kind} kind
 * @param {number[]} durations
 * @returns {Measured}
 */
function measurePerJob(kind, durations) {
	let requests = 0;
	let delay = 0;
	for (const duration of durations) {
		const times = pollTimes(DEFAULT_POLL_SCHEDULES[kind], duration);
		requests += times.length;
		delay += times[times.length - 1] - duration;
	}
	return { requests: requests / durations.length, delayS: delay / durations.length / 1000 };
}

/**
 * Every job read every `intervalMs` from its start.
 * @param {number} intervalMs
 * @param {number[]} durations
 * @returns {Measured}
 */
function measureFixed(intervalMs, durations) {
	let requests = 0;
	let delay = 0;
	for (const duration of durations) {
		const checks = Math.ceil(duration / intervalMs);
		requests += checks;
		delay += checks * intervalMs - duration;
	}
	return { requests: requests / durations.length, delayS: delay / durations.length / 1000 };
}

/** @param {Measured[]} results */
const average = (results) => ({
	requests: results.reduce((sum, r) => sum + r.requests, 0) / results.length,
	delayS: results.reduce((sum, r) => sum + r.delayS, 0) / results.length,
});

async function main() {
	const rows = [];
	const verdicts = [];
	for (const { kind, label, fromMs, toMs } of KINDS) {
		for (const count of JOB_COUNTS) {
			/** @type {Record<'node' | 'old' | 'fixed10' | 'fixed3', Measured[]>} */
			const trials = { node: [], old: [], fixed10: [], fixed3: [] };
			for (let trial = 0; trial < TRIALS; trial++) {
				const next = random(7919 * (trial + 1) + count);
				const durations = Array.from({ length: count }, () => fromMs + next() * (toMs - fromMs));
				trials.node.push(await measureWatcher(kind, durations));
				trials.old.push(measurePerJob(kind, durations));
				trials.fixed10.push(measureFixed(10_000, durations));
				trials.fixed3.push(measureFixed(3_000, durations));
			}
			const [node, old, fixed10, fixed3] = [
				trials.node,
				trials.old,
				trials.fixed10,
				trials.fixed3,
			].map(average);
			rows.push({
				kind: label,
				jobs: count,
				'node req/job': node.requests.toFixed(2),
				'0.1.0 req/job': old.requests.toFixed(2),
				'fixed 10 s req/job': fixed10.requests.toFixed(2),
				'fixed 3 s req/job': fixed3.requests.toFixed(2),
				'req ratio node/10 s': (node.requests / fixed10.requests).toFixed(2),
				'req ratio node/3 s': (node.requests / fixed3.requests).toFixed(2),
				'node delay s': node.delayS.toFixed(1),
				'fixed 10 s delay s': fixed10.delayS.toFixed(1),
				'fixed 3 s delay s': fixed3.delayS.toFixed(1),
			});
			if (count === 20) {
				verdicts.push(
					`${label}, 20 jobs: ${node.requests.toFixed(2)} requests per job (target ≤ 2: ${node.requests <= 2 ? 'met' : 'MISSED'}); delay ${node.delayS.toFixed(1)} s vs fixed 10 s ${fixed10.delayS.toFixed(1)} s (target no worse: ${node.delayS <= fixed10.delayS ? 'met' : 'MISSED'})`,
				);
			}
			if (count === 1) {
				verdicts.push(
					`${label}, 1 job: ${node.requests.toFixed(2)} requests vs 0.1.0's ${old.requests.toFixed(2)} (target no more: ${node.requests <= old.requests + 1e-9 ? 'met' : 'MISSED'})`,
				);
			}
		}
	}
	console.log(`Polling, ${TRIALS} trials per row over the documented job times (simulated clock)`);
	console.table(rows);
	for (const verdict of verdicts) console.log(verdict);
	if (verdicts.some((verdict) => verdict.includes('MISSED'))) process.exitCode = 1;
}

if (require.main === module) void main();

// test/unit/helpers.test.ts holds the node to the 20-job figure with the same simulation
module.exports = { measureWatcher, random };
