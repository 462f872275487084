import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { AccountSummary, ModelKind } from '../accounts';
import { regionOfAccount } from '../assetRef';
import type { Region } from '../capabilities';
import {
	DEFAULT_IMAGE_MODEL,
	DEFAULT_VIDEO_MODEL,
	describeDurations,
	documentedVideoModels,
	findImageModel,
	findVideoModel,
	IMAGE_MODELS,
	REGIONS,
} from '../capabilities';
import { AUTO_ACCOUNT, AUTO_ACCOUNT_NAME } from '../fields/account';
import { apiRequest } from '../transport';
import type { VideoMode } from '../videoInputModes';
import { VIDEO_INPUT_MODES } from '../videoInputModes';

/**
 * What the dropdowns and resource-locator lists show. Each list makes one attempt with a short
 * timeout (a dropdown must answer quickly), and a list that is not the account's live one says so
 * in its entries, with the reason (session expired: re-add the account; no answer; Auto).
 */
const LIST_TIMEOUT_MS = 5_000;

/** A parameter's current value in the editor (a resource locator's value), or undefined while empty or an expression. */
export function currentValue(ctx: ILoadOptionsFunctions, name: string): string | undefined {
	let value = ctx.getCurrentNodeParameter(name) as unknown;
	if (value && typeof value === 'object' && 'value' in value)
		value = (value as { value: unknown }).value;
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value);
	return text.startsWith('=') ? undefined : text;
}

export async function accountOptions(
	ctx: ILoadOptionsFunctions,
	withAuto: boolean,
	autoValue: string,
): Promise<INodePropertyOptions[]> {
	const accounts = await apiRequest<Record<string, AccountSummary>>(ctx, {
		method: 'GET',
		path: ['accounts'],
		context: { action: 'list the accounts' },
		attempts: 'once',
		timeoutMs: LIST_TIMEOUT_MS,
	});
	const entries = Object.entries(accounts ?? {})
		.map(([id, account]) => ({
			name: id,
			value: id,
			description: [
				`Region ${account.region ?? id.split(':')[0]}`,
				account.maxJobs ? `up to ${account.maxJobs} jobs at once` : undefined,
				account.error
					? `problem: ${account.error} (re-add it: Dreamina → Account → Add)`
					: undefined,
			]
				.filter(Boolean)
				.join(' · '),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
	if (!withAuto) return entries;
	return [
		{
			name: AUTO_ACCOUNT_NAME,
			value: autoValue,
			description:
				'The API picks an account with free capacity, or the one the references belong to',
		},
		...entries,
	];
}

/** Where a model list came from, and what the list's entries say about it. */
interface ModelSource {
	names: string[];
	/** set when the list is the documented one: why */
	fallback?: string;
	region?: Region;
}

async function modelSource(ctx: ILoadOptionsFunctions, kind: ModelKind): Promise<ModelSource> {
	const account = currentValue(ctx, 'account');
	const documented = (region?: Region) =>
		kind === 'video' ? documentedVideoModels(region) : IMAGE_MODELS.map((m) => m.name);
	if (!account || account === AUTO_ACCOUNT) {
		return {
			names: documented(),
			fallback: 'Account is Auto or an expression: the documented models of every region',
		};
	}
	const region = regionOfAccount(account);
	let details: AccountSummary;
	try {
		details = await apiRequest<AccountSummary>(ctx, {
			method: 'GET',
			path: ['accounts', account],
			context: { action: 'read the account’s models', account },
			attempts: 'once',
			timeoutMs: LIST_TIMEOUT_MS,
		});
	} catch (error) {
		return {
			names: documented(region),
			region,
			fallback: `documented list: the account could not be read (${(error as Error).message})`,
		};
	}
	const live = details.models?.[kind];
	if (Array.isArray(live) && live.length) return { names: live, region };
	const why = details.error
		? `documented list: ${details.error}: re-add the account (Dreamina → Account → Add)`
		: 'documented list: Dreamina did not return the account’s models just now';
	return { names: documented(region), region, fallback: why };
}

const withFallback = (description: string, fallback?: string) =>
	fallback ? `${description} · ${fallback}` : description;

export async function videoModelOptions(
	ctx: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const mode = currentValue(ctx, 'inputMode') as VideoMode | undefined;
	const { names, fallback, region } = await modelSource(ctx, 'video');
	const entries = names
		.map((name): INodePropertyOptions | undefined => {
			const model = findVideoModel(name);
			if (!model) {
				return {
					name,
					value: name,
					description: fallback
						? withFallback('Named in the docs without its limits: sent unchecked', fallback)
						: 'Offered by the account; its limits are not in the table this node knows, so the API checks them',
				};
			}
			if (mode && !model.modes.includes(mode)) return undefined;
			const resolutions = region
				? model.resolutions[region]
				: [...new Set(REGIONS.flatMap((r) => model.resolutions[r]))];
			const modes = model.modes.map((m) => VIDEO_INPUT_MODES[m].label).join(', ');
			return {
				name,
				value: name,
				description: withFallback(
					`${describeDurations(model.durations)} s · ${resolutions.join('/')} · ${modes}`,
					fallback,
				),
			};
		})
		.filter((entry): entry is INodePropertyOptions => entry !== undefined);
	const defaults = region
		? DEFAULT_VIDEO_MODEL[region]
		: DEFAULT_VIDEO_MODEL.CA === DEFAULT_VIDEO_MODEL.US
			? DEFAULT_VIDEO_MODEL.CA
			: `${DEFAULT_VIDEO_MODEL.CA} on CA accounts, ${DEFAULT_VIDEO_MODEL.US} on US accounts`;
	return [
		{ name: 'Account Default', value: '', description: withFallback(`Uses ${defaults}`, fallback) },
		...entries,
	];
}

export async function imageModelOptions(
	ctx: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { names, fallback } = await modelSource(ctx, 'image');
	return names.map((name) => {
		const model = findImageModel(name);
		const facts = model
			? `${model.resolutions.join('/')} · up to ${model.maxRefs} reference image${model.maxRefs === 1 ? '' : 's'} · prompt ${model.promptRequired ? 'required' : 'optional with references'}${model.autoRatio ? '' : ' · no auto ratio'}${name === DEFAULT_IMAGE_MODEL ? ' · the default' : ''}`
			: 'Offered by the account; not in the documentation this node knows';
		return { name, value: name, description: withFallback(facts, fallback) };
	});
}
