import { ExecutionCancelledError } from '../sleep';
import type { JobKind, JobRecord } from './records';
import { isTerminal } from './records';
import type { PollSchedule } from './polling';
import { nextPollDelay } from './polling';

/**
 * Waits for many jobs with few requests. One `GET /scheduler` lists every executing job of the
 * token, so while two or more jobs are past their first check, one scheduler read per tick covers
 * them all, and a job is read itself (`GET /videos|images/{jobid}`) only once it has left the
 * scheduler (it finished) — or when the scheduler can't be read. A single job is read directly on
 * its own schedule, as before: one job costs no more than it did.
 *
 * Time and requests come in through `WatchIo`, so scripts/bench-polling.js runs this very code on a
 * simulated clock.
 */
export interface WatchIo {
	now(): number;
	/** waits; rejects when `signal` aborts */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	/** the jobids executing right now, or undefined when the scheduler can't be read */
	readScheduler(): Promise<Set<string> | undefined>;
	readJob(jobid: string, kind: JobKind): Promise<JobRecord>;
}

export interface WatchedJob {
	jobid: string;
	kind: JobKind;
	/** when the job started (ms), which paces its checks */
	startedAt: number;
	schedule: PollSchedule;
	/** give up at this time: the promise rejects with `onTimeout()` */
	deadline: number;
	onTimeout: () => Error;
	signal: AbortSignal;
}

/** The shared tick while `active` jobs are past their first check: shorter the more jobs share it. */
export function sharedInterval(schedule: PollSchedule, elapsedMs: number, active: number): number {
	const own = nextPollDelay(schedule, Math.max(elapsedMs, schedule.firstCheckMs));
	const floor = Math.min(SHARED_MIN_INTERVAL_MS, schedule.minIntervalMs);
	return Math.max(floor, Math.round(own / Math.sqrt(active)));
}

/**
 * Never more often than this, however many jobs wait (a scheduler read is one request), unless
 * the user asked for checks closer together (Options › Max Interval).
 */
export const SHARED_MIN_INTERVAL_MS = 7_000;

interface Entry extends WatchedJob {
	nextCheckAt: number;
	resolve: (job: JobRecord) => void;
	reject: (error: Error) => void;
}

export class JobWatcher {
	private readonly entries = new Map<string, Entry>();
	private looping = false;
	/** one abort listener per signal, however many jobs share it (a run's 20 items share one) */
	private readonly listening = new WeakSet<AbortSignal>();
	/** aborts the loop's current sleep when a job is added, so its first check is planned in */
	private wake = new AbortController();

	constructor(private readonly io: WatchIo) {}

	watch(job: WatchedJob): Promise<JobRecord> {
		return new Promise<JobRecord>((resolve, reject) => {
			const now = this.io.now();
			const firstCheckAt = now + nextPollDelay(job.schedule, now - job.startedAt);
			this.entries.set(job.jobid, { ...job, nextCheckAt: firstCheckAt, resolve, reject });
			if (!this.listening.has(job.signal)) {
				this.listening.add(job.signal);
				job.signal.addEventListener('abort', () => this.abortAll(job.signal), { once: true });
			}
			if (job.signal.aborted) this.abortAll(job.signal);
			this.wake.abort();
			if (!this.looping) void this.loop();
		});
	}

	private abortAll(signal: AbortSignal) {
		const reason = new ExecutionCancelledError();
		for (const entry of [...this.entries.values()]) {
			if (entry.signal === signal) this.settle(entry, { error: reason });
		}
	}

	private settle(entry: Entry, outcome: { job: JobRecord } | { error: Error }) {
		if (!this.entries.delete(entry.jobid)) return;
		if ('job' in outcome) entry.resolve(outcome.job);
		else entry.reject(outcome.error);
	}

	private async loop(): Promise<void> {
		this.looping = true;
		try {
			while (this.entries.size > 0) {
				const now = this.io.now();
				const next = Math.min(
					...[...this.entries.values()].map((e) => Math.min(e.nextCheckAt, e.deadline)),
				);
				if (next > now) {
					this.wake = new AbortController();
					await this.io.sleep(next - now, this.wake.signal).catch(() => undefined);
					continue;
				}
				await this.tick();
			}
		} finally {
			this.looping = false;
		}
	}

	/** One round: time out what is overdue, then check what is due (sharing a scheduler read). */
	private async tick(): Promise<void> {
		const now = this.io.now();
		for (const entry of [...this.entries.values()]) {
			if (entry.deadline <= now) this.settle(entry, { error: entry.onTimeout() });
		}
		const entries = [...this.entries.values()];
		if (!entries.some((entry) => entry.nextCheckAt <= now)) return;

		const active = entries.filter((entry) => now - entry.startedAt >= entry.schedule.firstCheckMs);
		let toRead = entries.filter((entry) => entry.nextCheckAt <= now);
		if (active.length >= 2) {
			const executing = await this.io.readScheduler();
			if (executing) {
				toRead = active.filter((entry) => !executing.has(entry.jobid));
				for (const entry of active) {
					entry.nextCheckAt =
						now + sharedInterval(entry.schedule, now - entry.startedAt, active.length);
				}
			}
		}
		await Promise.all(toRead.map(async (entry) => await this.check(entry)));
	}

	private async check(entry: Entry): Promise<void> {
		let job: JobRecord;
		try {
			job = await this.io.readJob(entry.jobid, entry.kind);
		} catch (error) {
			this.settle(entry, { error: error as Error });
			return;
		}
		if (isTerminal(job)) {
			this.settle(entry, { job });
			return;
		}
		entry.nextCheckAt =
			this.io.now() + nextPollDelay(entry.schedule, this.io.now() - entry.startedAt);
	}
}
