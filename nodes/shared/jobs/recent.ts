import type { JobKind } from './records';

/**
 * Jobs this n8n process has recently submitted or read, newest first, for the Job ID lists of the
 * editor (the API lists only executing jobs). Not shared between n8n processes: in queue mode the
 * editor's process knows the jobs it ran itself (manual executions).
 */
export interface RecentJob {
	jobid: string;
	kind: JobKind;
	status: string;
	model?: string;
	seenAt: number;
}

const RECENT_LIMIT = 100;
const recent: RecentJob[] = [];

export function rememberJob(job: RecentJob): void {
	const index = recent.findIndex((entry) => entry.jobid === job.jobid);
	if (index !== -1) recent.splice(index, 1);
	recent.unshift(job);
	recent.length = Math.min(recent.length, RECENT_LIMIT);
}

export function recentJobs(): RecentJob[] {
	return [...recent];
}
