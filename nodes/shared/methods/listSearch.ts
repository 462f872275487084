import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { AUTO_ACCOUNT } from '../fields/account';
import { recentJobs } from '../jobs/recent';
import type { JobKind } from '../jobs/records';
import { jobKindOf, jobLabelOf } from '../jobs/records';
import { apiRequest } from '../transport';
import { accountOptions, imageModelOptions, videoModelOptions } from './catalog';

/** The lists of the resource locators (Account, Model, Job ID), filtered by the search text. */

function matching(items: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const text = filter?.trim().toLowerCase();
	return {
		results: text
			? items.filter((item) => `${item.name} ${item.value}`.toLowerCase().includes(text))
			: items,
	};
}

const asItems = (
	options: Array<{ name: string; value: string | number | boolean; description?: string }>,
) => options.map(({ name, value, description }) => ({ name, value: String(value), description }));

async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(asItems(await accountOptions(this, false, AUTO_ACCOUNT)), filter);
}

async function searchAccountsWithAuto(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(asItems(await accountOptions(this, true, AUTO_ACCOUNT)), filter);
}

async function searchVideoModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(asItems(await videoModelOptions(this)), filter);
}

async function searchImageModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(asItems(await imageModelOptions(this)), filter);
}

interface SchedulerAnswer {
	executing?: Record<string, Array<{ jobid?: string; model?: string; elapsedSeconds?: number }>>;
}

/** Executing jobs (GET /scheduler, one attempt) and the jobs this n8n process saw recently. */
async function jobItems(ctx: ILoadOptionsFunctions, kinds: JobKind[], executingOnly: boolean) {
	const items: INodeListSearchItems[] = [];
	const seen = new Set<string>();
	const answer = await apiRequest<SchedulerAnswer>(ctx, {
		method: 'GET',
		path: ['scheduler'],
		context: { action: 'list the executing jobs' },
		attempts: 'once',
		timeoutMs: 5_000,
	});
	for (const [account, jobs] of Object.entries(answer.executing ?? {})) {
		for (const job of Array.isArray(jobs) ? jobs : []) {
			const kind = job.jobid ? jobKindOf(job.jobid) : undefined;
			if (!job.jobid || !kind || !kinds.includes(kind)) continue;
			seen.add(job.jobid);
			items.push({
				name: `Executing ${jobLabelOf(job.jobid)} · ${job.model ?? ''} · ${job.elapsedSeconds ?? 0} s · ${account}`,
				value: job.jobid,
			});
		}
	}
	if (executingOnly) return items;
	for (const job of recentJobs()) {
		if (seen.has(job.jobid) || !kinds.includes(job.kind)) continue;
		items.push({
			name: `Recent ${jobLabelOf(job.jobid)} · ${job.status}${job.model ? ` · ${job.model}` : ''} · ${new Date(job.seenAt).toISOString()}`,
			value: job.jobid,
		});
	}
	return items;
}

async function searchJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(await jobItems(this, ['video', 'image', 'upscale'], false), filter);
}

async function searchImageJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(await jobItems(this, ['image'], false), filter);
}

async function searchVideoJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(await jobItems(this, ['video'], false), filter);
}

async function searchExecutingJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return matching(await jobItems(this, ['video', 'image'], true), filter);
}

export const listSearch = {
	searchAccounts,
	searchAccountsWithAuto,
	searchVideoModels,
	searchImageModels,
	searchJobs,
	searchImageJobs,
	searchVideoJobs,
	searchExecutingJobs,
};
