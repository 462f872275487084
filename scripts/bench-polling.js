// @ts-check
'use strict';
/**
 * Polling cost benchmark: GET requests per job and how late the result is seen, for the node's schedule
 * against the baseline of a fixed 10 s poll (the API docs' own example), over the documented job times
 * (videos 60–180 s, images 15–120 s). Rerun with `npm run bench:polling`.
 */
const { DEFAULT_POLL_SCHEDULES, pollTimes } = require('../nodes/shared/jobs/polling');
/**
 * @typedef {import('../nodes/shared/jobs/polling').PollSchedule} PollSchedule
 */

/** @type {PollSchedule} */ const FIXED_10S = {
	firstCheckMs: 10_000,
	minIntervalMs: 10_000,
	maxIntervalMs: 10_000,
	growth: 0,
};

/**
 * @param {PollSchedule} schedule
 * @param {number[]} durationsMs
 */
function measure(schedule, durationsMs) {
	let gets = 0;
	let lateness = 0;
	for (const doneAt of durationsMs) {
		const times = pollTimes(schedule, doneAt);
		gets += times.length;
		lateness += times[times.length - 1] - doneAt;
	}
	return {
		getsPerJob: gets / durationsMs.length,
		secondsLate: lateness / durationsMs.length / 1000,
	};
}

/**
 * @param {number} fromS
 * @param {number} toS
 */
const rangeMs = (fromS, toS) =>
	Array.from({ length: toS - fromS + 1 }, (_, i) => (fromS + i) * 1000);

const rows = [
	{ kind: 'video', durations: rangeMs(60, 180), schedule: DEFAULT_POLL_SCHEDULES.video },
	{ kind: 'image', durations: rangeMs(15, 120), schedule: DEFAULT_POLL_SCHEDULES.image },
].map(({ kind, durations, schedule }) => {
	const node = measure(schedule, durations);
	const baseline = measure(FIXED_10S, durations);
	return {
		kind,
		'node GETs/job': node.getsPerJob.toFixed(2),
		'fixed-10s GETs/job': baseline.getsPerJob.toFixed(2),
		'GET ratio (node/fixed)': (node.getsPerJob / baseline.getsPerJob).toFixed(2),
		'node s late': node.secondsLate.toFixed(1),
		'fixed-10s s late': baseline.secondsLate.toFixed(1),
	};
});

console.table(rows);
