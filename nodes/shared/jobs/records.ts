import type { IDataObject } from 'n8n-workflow';

export type JobKind = 'video' | 'image' | 'upscale';
export type JobStatus = 'created' | 'completed' | 'failed';

export interface JobRecord extends IDataObject {
	jobid: string;
	type?: JobKind;
	status: JobStatus;
	model?: string;
	created?: string;
	updated?: string;
	request?: IDataObject;
	response?: IDataObject;
	error?: string;
	errorDetails?: string;
	code?: number;
}

const IMAGE_LETTERS: Record<string, JobKind> = { i: 'image', I: 'upscale' };

/**
 * The letter before `-u` in a jobid tells its kind: `…i-u…` image, `…I-u…` image upscale (GET
 * /images); every other letter is a job of GET /videos: `v` generation, `V` upscale, `F`
 * interpolation (useapi.net/docs/api-dreamina-v1/post-dreamina-videos-upscale and -interpolate,
 * 2026-04-02), and whatever letter a newer video job has (full-quality jobs: not documented).
 */
export function jobKindOf(jobid: string): JobKind | undefined {
	const match = /^j\d+([A-Za-z])-u/.exec(jobid.trim());
	return match ? (IMAGE_LETTERS[match[1]] ?? 'video') : undefined;
}

const LETTER_LABELS: Record<string, string> = {
	v: 'video',
	V: 'video upscale',
	F: 'video interpolation',
	i: 'image',
	I: 'image upscale',
};

/** What a job is, for lists: by its letter; a letter not documented yet is some video job. */
export function jobLabelOf(jobid: string): string {
	const letter = /^j\d+([A-Za-z])-u/.exec(jobid.trim())?.[1];
	return (letter && LETTER_LABELS[letter]) ?? 'video job';
}

/** GET path of a job's record: videos have their own endpoint, images and upscales share one. */
export function jobPathSegment(kind: JobKind): 'videos' | 'images' {
	return kind === 'video' ? 'videos' : 'images';
}

/** The account a job ran on (the jobid embeds it: `…-u12345-US:user@example.com-bot:dreamina`). */
export function accountOfJob(jobid: string): string | undefined {
	return /-u\d+-([A-Z]{2}:\S+?)-bot:dreamina$/.exec(jobid.trim())?.[1];
}

export function isTerminal(job: { status?: string }): boolean {
	return job.status === 'completed' || job.status === 'failed';
}

/**
 * When the API created a job, from its jobid: `j` + MMDDHHmmss + milliseconds (UTC), then random
 * digits (`j0223140530123…` → 23 Feb 14:05:30.123). The year is not in the ID: the most recent
 * such moment not later than a day after `now`.
 */
export function createdAtOfJobId(jobid: string, now = Date.now()): number | undefined {
	const match = /^j(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})\d*[A-Za-z]-u/.exec(jobid.trim());
	if (!match) return undefined;
	const [month, day, hours, minutes, seconds, ms] = match.slice(1).map(Number);
	const year = new Date(now).getUTCFullYear();
	for (const candidate of [year, year - 1]) {
		const time = Date.UTC(candidate, month - 1, day, hours, minutes, seconds, ms);
		if (time <= now + 86_400_000) return time;
	}
	return undefined;
}
