import type { JobKind } from './records';

/**
 * When to look at a running job. Videos take 60–180 s and images 15–120 s (API docs), so the first
 * check waits until the job could plausibly be done, and later checks come at a fraction of the time
 * already waited (never more often than every 10 s): few requests for long jobs, little delay for short ones.
 */
export interface PollSchedule {
	firstCheckMs: number;
	minIntervalMs: number;
	maxIntervalMs: number;
	/** next interval = elapsed × growth, kept between min and max */
	growth: number;
}

export const DEFAULT_POLL_SCHEDULES: Record<JobKind, PollSchedule> = {
	video: { firstCheckMs: 45_000, minIntervalMs: 10_000, maxIntervalMs: 30_000, growth: 0.15 },
	image: { firstCheckMs: 15_000, minIntervalMs: 10_000, maxIntervalMs: 20_000, growth: 0.25 },
	upscale: { firstCheckMs: 15_000, minIntervalMs: 10_000, maxIntervalMs: 20_000, growth: 0.25 },
};

/** Delay before the next check, given how long the job has been running. */
export function nextPollDelay(schedule: PollSchedule, elapsedMs: number): number {
	if (elapsedMs < schedule.firstCheckMs) return schedule.firstCheckMs - elapsedMs;
	return Math.round(
		Math.min(schedule.maxIntervalMs, Math.max(schedule.minIntervalMs, elapsedMs * schedule.growth)),
	);
}

/** The moments (ms after submission) a job is checked until it is seen done at `doneAtMs`. */
export function pollTimes(schedule: PollSchedule, doneAtMs: number, limitMs = 3_600_000): number[] {
	const times: number[] = [];
	let elapsed = 0;
	while (elapsed < limitMs) {
		elapsed += nextPollDelay(schedule, elapsed);
		times.push(elapsed);
		if (elapsed >= doneAtMs) break;
	}
	return times;
}

/** A user's overrides (seconds; 0 or missing keeps the default). */
export function scheduleWith(
	kind: JobKind,
	overrides: { firstCheckSeconds?: number; maxIntervalSeconds?: number } = {},
): PollSchedule {
	const schedule = { ...DEFAULT_POLL_SCHEDULES[kind] };
	if (overrides.firstCheckSeconds && overrides.firstCheckSeconds > 0) {
		schedule.firstCheckMs = overrides.firstCheckSeconds * 1000;
	}
	if (overrides.maxIntervalSeconds && overrides.maxIntervalSeconds > 0) {
		schedule.maxIntervalMs = overrides.maxIntervalSeconds * 1000;
		schedule.minIntervalMs = Math.min(schedule.minIntervalMs, schedule.maxIntervalMs);
	}
	return schedule;
}
