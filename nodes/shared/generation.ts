import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callbackSecretOf, withCallbackSecret } from './callbackSecret';
import type { AccountSummary, ModelKind } from './accounts';
import { AccountDirectory } from './accounts';
import { accountOfRef, regionOfAccount } from './assetRef';
import type { CheckedFile, UploadedAsset } from './assets/upload';
import { checkBinaryFile, uploadOnce } from './assets/upload';
import type { RequestDraft } from './draft';
import type { ValidationIssue } from './errors';
import { validationError } from './errors';
import type { ItemPlan } from './itemRunner';
import { planItems, readRunSetting, runPlans } from './itemRunner';
import { fieldNamer, propertyLabel } from './labels';
import type { ModelFacts } from './modelChecks';
import { ItemParameters } from './parameters';
import { CREDENTIAL_TYPE } from './transport';
import { submitAndWaitForCallback } from './jobs/callbackWait';
import type { JobKind } from './jobs/records';
import { finishJob, jobWatcher } from './jobs/runJobs';
import type { WaitSettings } from './jobs/settings';
import { readWaitSettings } from './jobs/settings';
import type { JobSubmission, SubmittedJob } from './jobs/submit';
import { submitJob } from './jobs/submit';
import type { JobWatcher } from './jobs/watcher';

/** What makes Generate Video, Generate Image and Upscale Image different; the rest is here. */
export interface GenerationSpec {
	kind: JobKind;
	/** API path of the POST, e.g. ['videos'] */
	path: string[];
	/** the node's properties: messages name fields as they read there */
	properties: INodeProperties[];
	defaultTimeoutMinutes: number;
	/** which live model list (GET /accounts/{account} → models) the request's model is checked against */
	models?: ModelKind;
	read: (params: ItemParameters) => RequestDraft;
	/**
	 * Every rule the request breaks: its shape, and (unless skipped) the model's documented limits.
	 * `body` is the draft's body with each file's stand-in assetRef.
	 */
	issues: (
		draft: RequestDraft,
		body: IDataObject,
		facts: ModelFacts,
		checkModel: boolean,
	) => ValidationIssue[];
	/**
	 * Rules that need the API's records (the source job of an enhancement), checked with the rest
	 * before anything is sent. `claimed` is shared by the run's items (e.g. one upscale per video).
	 */
	precheck?: (
		ctx: IExecuteFunctions,
		body: IDataObject,
		itemIndex: number,
		claimed: Set<string>,
	) => Promise<ValidationIssue[]>;
	/** the model the request names when the table has no limits for it (sent unchecked; the item says so) */
	uncheckedModel?: (body: IDataObject) => string | undefined;
}

/** A planned item: its request (with its files' place holders) and the files to upload first. */
export interface GenerationTask {
	submission: JobSubmission;
	files: Array<{ apiName: string; checked: CheckedFile }>;
	/** what the output item says about the checks */
	notes?: IDataObject;
}

/** Shared by the items of one node run: one read of the accounts, one watcher, one secret. */
class GenerationRun {
	readonly accounts: AccountDirectory;
	readonly claimed = new Set<string>();
	private secret?: Promise<string | undefined>;

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly spec: GenerationSpec,
	) {
		this.accounts = new AccountDirectory(ctx);
	}

	label(path: string): string {
		return propertyLabel(this.spec.properties, path) ?? path;
	}

	callbackSecret(): Promise<string | undefined> {
		this.secret ??= this.ctx
			.getCredentials<{ callbackSecret?: string }>(CREDENTIAL_TYPE)
			.then((credentials) => callbackSecretOf(credentials) || undefined);
		return this.secret;
	}
}

/**
 * Execute for every node that creates jobs: every item's request is read, its files checked and
 * the request validated before anything is sent; then files are uploaded (each distinct file
 * once), jobs submitted within the accounts' capacity, waited for (one scheduler read for many
 * jobs) or awaited by callback, and results downloaded.
 */
export async function executeGeneration(
	ctx: IExecuteFunctions,
	spec: GenerationSpec,
): Promise<INodeExecutionData[][]> {
	const run = new GenerationRun(ctx, spec);
	const settings = readRunSetting(ctx, spec.properties, () =>
		readWaitSettings(new ItemParameters(ctx, 0), spec.defaultTimeoutMinutes),
	);
	const plans = await planItems(
		ctx,
		async (itemIndex) => await planItem(run, itemIndex, settings),
		spec.properties,
	);
	if (settings.mode === 'callback') {
		return await submitAndWaitForCallback(
			ctx,
			plans,
			settings,
			async (task, itemIndex, resumeUrl) => {
				task.submission.body.replyUrl = resumeUrl;
				return await submitWithFiles(ctx, task, itemIndex, settings);
			},
		);
	}
	const concurrency = await concurrencyFor(run, plans);
	const stop = new AbortController();
	const watcher = jobWatcher(ctx, stop.signal);
	try {
		return [
			await runPlans(ctx, plans, {
				concurrency,
				run: async (task, itemIndex, signal) => [
					await runItem(ctx, task, itemIndex, settings, watcher, signal),
				],
			}),
		];
	} finally {
		stop.abort();
	}
}

async function planItem(
	run: GenerationRun,
	itemIndex: number,
	settings: WaitSettings,
): Promise<GenerationTask> {
	const { ctx, spec } = run;
	const draft = spec.read(new ItemParameters(ctx, itemIndex));
	const nameField = fieldNamer(spec.properties, draft.sources);
	const body = { ...draft.body };

	const account =
		(body.account as string | undefined) ??
		accountOfRefs(body) ??
		(draft.binaries.length ? await accountForUploads(run, body, itemIndex) : undefined);
	const files: GenerationTask['files'] = [];
	for (const reference of draft.binaries) {
		const checked = await checkBinaryFile(
			ctx,
			itemIndex,
			{ field: reference.field, label: run.label(reference.path) },
			{ expectedKind: reference.kind, nameField },
		);
		files.push({ apiName: reference.apiName, checked });
		// Checked like an assetRef of that file: kinds, ratios and durations apply to it the same way.
		body[reference.apiName] = standInRef(account, checked);
	}

	// A Reply URL that is not a URL gets no secret: the checks below name the field and say why.
	if (
		typeof body.replyUrl === 'string' &&
		URL.canParse(body.replyUrl) &&
		draft.addCallbackSecret &&
		settings.mode !== 'callback'
	) {
		const secret = await run.callbackSecret();
		if (secret) body.replyUrl = withCallbackSecret(body.replyUrl, secret);
	}

	const facts: ModelFacts = { account, region: regionOfAccount(account) };
	if (account && spec.models && !draft.skipModelChecks) {
		facts.offered = await run.accounts.liveModels(account, spec.models);
	}
	const issues = [...draft.issues, ...spec.issues(draft, body, facts, !draft.skipModelChecks)];
	if (!issues.length && spec.precheck)
		issues.push(...(await spec.precheck(ctx, body, itemIndex, run.claimed)));
	if (issues.length) throw validationError(ctx.getNode(), issues, itemIndex, nameField);
	const unchecked = draft.skipModelChecks ? undefined : spec.uncheckedModel?.(body);
	return {
		submission: { kind: spec.kind, path: spec.path, body, account, nameField },
		files,
		notes: unchecked
			? {
					modelLimitsChecked: false,
					modelLimitsNote: `${unchecked} is not in the package's model table, so its limits (durations, resolutions, references) were not checked: the API decided.`,
				}
			: undefined,
	};
}

/** The account the assetRefs of a request belong to (the API runs the job there). */
function accountOfRefs(body: IDataObject): string | undefined {
	for (const [key, value] of Object.entries(body)) {
		if (/Ref(_\d+)?$/.test(key) && typeof value === 'string') {
			const account = accountOfRef(value);
			if (account) return account;
		}
	}
	return undefined;
}

/**
 * Account Auto with files to upload: a file has to be uploaded to the account that generates, so
 * the node picks it: an account without a problem (expired session), the one with most capacity.
 */
async function accountForUploads(
	run: GenerationRun,
	body: IDataObject,
	itemIndex: number,
): Promise<string> {
	const accounts = Object.entries(await run.accounts.all()).filter(([, summary]) => !summary.error);
	const model = typeof body.model === 'string' ? body.model : undefined;
	const offering: Array<[string, AccountSummary]> = [];
	for (const entry of accounts) {
		const offered =
			model && run.spec.models
				? await run.accounts.liveModels(entry[0], run.spec.models)
				: undefined;
		if (!offered || offered.includes(model!)) offering.push(entry);
	}
	const best = offering.sort(([, a], [, b]) => (b.maxJobs ?? 0) - (a.maxJobs ?? 0))[0];
	if (!best) {
		throw new NodeOperationError(
			run.ctx.getNode(),
			'Account: no account can take this job’s files',
			{
				itemIndex,
				description: `Files from binary fields are uploaded to the account that generates, and none of the token’s accounts is usable${model ? ` with ${model}` : ''}. Add or re-add an account (Dreamina node → Account → Add), or choose the Account. Nothing was sent.`,
			},
		);
	}
	return best[0];
}

/** An assetRef-shaped description of a file not yet uploaded, so the request's rules apply to it. */
function standInRef(account: string | undefined, { file, input }: CheckedFile): string {
	const duration = file.durationMs !== undefined ? `:d${file.durationMs}` : '';
	return `${account ?? 'XX:pending@upload'}-${file.kind}:w${file.width ?? 0}:h${file.height ?? 0}:s${input.size}${duration}-uri:pending-upload`;
}

/** Uploads the item's files (each distinct file once per execution), then submits its job. */
async function submitWithFiles(
	ctx: IExecuteFunctions,
	task: GenerationTask,
	itemIndex: number,
	settings: WaitSettings,
): Promise<{ submitted: SubmittedJob; uploads: UploadedAsset[] }> {
	const body = { ...task.submission.body };
	const uploads: UploadedAsset[] = [];
	for (const { apiName, checked } of task.files) {
		const uploaded = await uploadOnce(ctx, task.submission.account!, checked, itemIndex);
		body[apiName] = uploaded.assetRef;
		uploads.push({ ...uploaded, parameter: apiName });
	}
	const submitted = await submitJob(
		ctx,
		{ ...task.submission, body },
		itemIndex,
		settings.capacityWaitMinutes * 60_000,
	);
	return { submitted, uploads };
}

async function runItem(
	ctx: IExecuteFunctions,
	task: GenerationTask,
	itemIndex: number,
	settings: WaitSettings,
	watcher: JobWatcher,
	signal: AbortSignal,
): Promise<INodeExecutionData> {
	const { submitted, uploads } = await submitWithFiles(ctx, task, itemIndex, settings);
	return await finishJob(ctx, submitted.job, task.submission.kind, {
		settings,
		watcher,
		itemIndex,
		signal,
		startedAt: submitted.sentAt,
		failIfFailed: true,
		extra: { ...task.notes, ...submissionNotes(submitted, uploads) },
	});
}

/** What the output item says about how its job came to be: uploads, recovery, Retry On Fail. */
export function submissionNotes(submitted: SubmittedJob, uploads: UploadedAsset[]): IDataObject {
	const notes: IDataObject = {};
	if (uploads.length) notes.uploadedAssets = uploads;
	if (submitted.recovered) notes.submissionRecovered = submitted.recovered;
	if (submitted.resumed) notes.submissionResumed = true;
	return notes;
}

/** Used when the accounts' capacity can't be read. */
const FALLBACK_CONCURRENCY = 3;

/** How many jobs to run at once: the Max Jobs option, else the capacity (`maxJobs`) of the accounts used. */
async function concurrencyFor(
	run: GenerationRun,
	plans: Array<ItemPlan<GenerationTask>>,
): Promise<number> {
	const submissions = plans.flatMap((plan) => ('task' in plan ? [plan.task.submission] : []));
	if (submissions.length === 0) return 1;
	const requested = submissions
		.map((s) => s.body.maxJobs)
		.filter((n): n is number => typeof n === 'number');
	if (requested.length) return Math.max(...requested);
	try {
		const accounts = await run.accounts.all();
		const named = new Set(submissions.map((s) => s.account));
		const used = named.has(undefined)
			? Object.keys(accounts)
			: [...named].filter((a): a is string => !!a);
		const total = used.reduce((sum, account) => sum + (accounts[account]?.maxJobs ?? 0), 0);
		return total > 0 ? total : FALLBACK_CONCURRENCY;
	} catch {
		return FALLBACK_CONCURRENCY;
	}
}
