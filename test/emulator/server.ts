/**
 * Dreamina API (useapi.net) emulator — an HTTP server on 127.0.0.1 that behaves like
 * https://api.useapi.net/v1/dreamina as documented in /work/shared/reference (newest page wins).
 * Node built-ins only. Independent of nodes/ on purpose.
 *
 * See test/emulator/README.md for the contract, seeded accounts, failure triggers and controls.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt, randomUUID } from 'node:crypto';

import {
	ALL_IMAGE_MODELS,
	ALL_VIDEO_MODELS,
	AUDIO_UPLOAD_MAX_MS,
	AUDIO_UPLOAD_MIN_MS,
	AssetKind,
	CANCEL_CODE,
	DEFAULT_IMAGE_MODEL,
	DEFAULT_VIDEO_MODEL,
	FAILURES,
	FRAME_DURATION_DEFAULT,
	FRAME_DURATION_MAX,
	FRAME_DURATION_MIN,
	IMAGES_PER_JOB,
	IMAGE_MODELS,
	IMAGE_PROMPT_MAX,
	IMAGE_RATIOS,
	IMAGE_REFS_MAX,
	IMAGE_RESOLUTIONS,
	MULTI_FRAME_MAX,
	MULTI_FRAME_MIN,
	OMNI_AUDIO_TOTAL_MS,
	OMNI_MAX,
	OMNI_TOTAL_MAX,
	OMNI_VIDEO_TOTAL_MS,
	REGION_MODELS,
	Region,
	UPLOAD_MAX_BYTES,
	UPLOAD_MAX_MB,
	UPLOAD_TYPES,
	UPSCALE_LONG_SIDE,
	UPSCALE_RESOLUTIONS,
	VIDEO_MODELS,
	VIDEO_PROMPT_MAX,
	VIDEO_RATIOS,
	VIDEO_RESOLUTIONS,
	VIDEO_UPLOAD_MAX_MS,
	VIDEO_UPLOAD_MAX_PX,
	VIDEO_UPLOAD_MIN_MS,
	VIDEO_UPLOAD_MIN_PX,
	VideoMode,
	closestRatio,
	imageDims,
	videoDims,
} from './catalog';
import { MediaProbe, makePng, mp4Header, paddedStream } from './media';

// ============================================================================ public types

export interface EmulatorOptions {
	/** valid API token, default 'test-token' */
	token?: string;
	/** default '127.0.0.1' */
	host?: string;
	/** default 0 (random free port) */
	port?: number;
	/** default: US:us-user@example.com, CA:ca-user@example.com, CA:expired@example.com (expired) */
	accounts?: SeedAccount[];
	/** time from created to completed; default {video: 1500, image: 800, upscale: 800} */
	jobDurationMs?: { video?: number; image?: number; upscale?: number };
	/** a job still 'created' after this becomes failed code 408 "Generation timed out"; default 3_600_000 */
	jobTimeoutMs?: number;
	/** size of the served MP4 result, default 256 KiB */
	videoBytes?: number;
	/** extra attempts for a replyUrl POST that errors or answers non-2xx; default 0 */
	callbackRetries?: number;
}

export interface SeedAccount {
	/** defaults to `${region}:${email}` */
	account?: string;
	email: string;
	region: 'US' | 'CA';
	/** default 10 */
	maxJobs?: number;
	/** every generation/upload/history call using it → 596 {"error":"Session expired"} */
	sessionExpired?: boolean;
	/** GET /accounts/{account} returns the summary without models/credits/session */
	liveDataFails?: boolean;
	/** seeded generation-history assets, default 25 */
	historyCount?: number;
	/** credits.total reported by GET /accounts/{account}, default 24065 */
	credits?: number;
	/** live model lists; default per region (newest model table). Also used to validate model availability. */
	models?: { video: string[]; image: string[] };
}

export interface RecordedRequest {
	method: string;
	/** decoded path without query */
	path: string;
	/** raw (still percent-encoded) path without query */
	rawPath: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** parsed JSON (or form fields); undefined for raw uploads and file downloads */
	body?: unknown;
	bodyBytes: number;
	contentType?: string;
	time: number;
	/** HTTP status sent; undefined when the connection was dropped (or still in flight) */
	status?: number;
}

export interface Fault {
	method?: string;
	/** string: exact decoded path (full, or relative to /v1/dreamina); RegExp: tested against the full decoded path */
	path?: string | RegExp;
	status?: number;
	body?: unknown;
	delayMs?: number;
	/** destroy the socket without a response */
	drop?: boolean;
	/** default 1; <= 0 or Infinity = unlimited */
	times?: number;
	/**
	 * Apply AFTER the request was really handled (job created / upload stored): with `drop` the socket
	 * is destroyed instead of sending the real response (lost response); with `status` the fault
	 * status/body replaces the real response. On /files downloads `drop` sends half the body then destroys.
	 */
	afterHandling?: boolean;
}

export type JobType = 'video' | 'image' | 'upscale';
export type JobStatus = 'created' | 'completed' | 'failed';

/** The job record exactly as served by GET /videos/{jobid} and GET /images/{jobid}. */
export interface JobRecord {
	jobid: string;
	type: JobType;
	status: JobStatus;
	model: string;
	created: string;
	updated?: string;
	request: Record<string, unknown>;
	response?: Record<string, unknown>;
	code: number;
	error?: string;
	errorDetails?: string;
}

export interface CallbackRecord {
	url: string;
	status: number | 'error';
	body: unknown;
	time: number;
}

export interface Emulator {
	/** http://127.0.0.1:<port>/v1/dreamina */
	baseUrl: string;
	/** http://127.0.0.1:<port> */
	origin: string;
	readonly token: string;
	requests: RecordedRequest[];
	clearRequests(): void;
	injectFault(f: Fault): void;
	clearFaults(): void;
	jobs: Map<string, JobRecord>;
	/** highest number of simultaneously executing jobs seen per account */
	maxConcurrent: Record<string, number>;
	callbacks: CallbackRecord[];
	completeJob(jobid: string): void;
	failJob(jobid: string, code: number): void;
	setOptions(partial: Partial<EmulatorOptions>): void;
	reset(): void;
	close(): Promise<void>;
}

// ============================================================================ defaults

export const DEFAULT_TOKEN = 'test-token';
export const DEFAULT_ACCOUNTS: SeedAccount[] = [
	{ email: 'us-user@example.com', region: 'US', maxJobs: 10 },
	{ email: 'ca-user@example.com', region: 'CA', maxJobs: 10 },
	{ email: 'expired@example.com', region: 'CA', maxJobs: 10, sessionExpired: true },
];
const DEFAULT_DURATIONS = { video: 1500, image: 800, upscale: 800 };
const DEFAULT_JOB_TIMEOUT_MS = 3_600_000;
const DEFAULT_VIDEO_BYTES = 256 * 1024;
const DEFAULT_HISTORY = 25;
const DEFAULT_CREDITS = 24065;
const USER_ID = 'u12345';
const PREFIX = '/v1/dreamina';
const MAX_JSON_BODY = 20 * 1024 * 1024;
const PREVIEW_LONG_SIDE = 64;

// ============================================================================ internals

class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}
const bad = (msg: string) => new ApiError(400, msg);
const notFoundAccount = (acct: string) =>
	new ApiError(404, `Unable to find configuration for account ${acct}`);

interface AccountState {
	account: string;
	email: string;
	region: Region;
	maxJobs: number;
	sessionExpired: boolean;
	liveDataFails: boolean;
	credits: number;
	models: { video: string[]; image: string[] };
	sessionExpires: string;
	lastRefreshed: string;
	history: HistoryAsset[];
}

interface HistoryAsset {
	assetId: string;
	historyRecordId: string;
	itemId: string;
	type: 'image' | 'video';
	coverUrl: string;
	description: string;
	assetRef?: string;
	imageUrl?: string;
	videoUrl?: string;
	width: number;
	height: number;
	format?: string;
	createdAt: string;
}

interface AssetInfo {
	assetRef: string;
	account: string;
	kind: AssetKind;
	width: number;
	height: number;
	size: number;
	durationMs?: number;
}

type FileSpec =
	| { kind: 'png'; width: number; height: number; seed: number; cached?: Buffer }
	| { kind: 'mp4'; bytes: number; durationMs: number; width: number; height: number };

interface JobMeta {
	account: string;
	kind: JobType;
	createdAt: number;
	dueAt: number | null; // null = never completes on its own ([slow])
	failCode?: number;
	submitId: string;
	replyUrl?: string;
	cbChain: Promise<void>;
	// what the result will look like
	width: number;
	height: number;
	durationS?: number;
	hasAudio?: boolean;
	imageCount?: number;
	description: string;
}

interface ParsedRef {
	param: string;
	ref: string;
	account: string;
	kind: AssetKind;
	width: number;
	height: number;
	size: number;
	durationMs?: number;
}

const REF_RE = /^(.+?:.+)-(image|video|audio):w(\d+):h(\d+):s(\d+)(?::d(\d+))?-(uri|vid):(.+)$/;

function parseRef(param: string, ref: string): ParsedRef {
	const m = REF_RE.exec(ref);
	if (!m) throw bad(`Parameter ${param} (${ref}) is not a valid assetRef`);
	return {
		param,
		ref,
		account: m[1],
		kind: m[2] as AssetKind,
		width: Number(m[3]),
		height: Number(m[4]),
		size: Number(m[5]),
		durationMs: m[6] !== undefined ? Number(m[6]) : undefined,
	};
}

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';
const randStr = (n: number, alphabet = ALNUM) =>
	Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
const randDigits = (n: number) => String(randomInt(1, 10)) + randStr(n - 1, '0123456789');
const hex = (n: number) => randStr(n, '0123456789abcdef');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

function mb(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)}MB`;
}

function secs(ms: number): string {
	return `${(ms / 1000).toFixed(1)}s`;
}

function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || v === '';
}

function optString(body: Record<string, unknown>, name: string): string | undefined {
	const v = body[name];
	if (isEmpty(v)) return undefined;
	if (typeof v !== 'string') throw bad(`Parameter ${name} must be a string`);
	return v;
}

function optNumber(
	body: Record<string, unknown>,
	name: string,
	min: number,
	max: number,
	integer: boolean,
): number | undefined {
	const v = body[name];
	if (isEmpty(v)) return undefined;
	let n: number;
	if (typeof v === 'number') n = v;
	else if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) n = Number(v);
	else throw bad(`Parameter ${name} (${String(v)}) must be a number`);
	if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
		throw bad(`Parameter ${name} (${String(v)}) valid values: ${min}-${max}`);
	}
	return n;
}

function optEnum(
	body: Record<string, unknown>,
	name: string,
	values: string[],
): string | undefined {
	const v = optString(body, name);
	if (v !== undefined && !values.includes(v))
		throw bad(`Parameter ${name} (${v}) valid values: ${values.join(', ')}`);
	return v;
}

function optUrl(body: Record<string, unknown>, name: string): string | undefined {
	const v = optString(body, name);
	if (v === undefined) return undefined;
	let u: URL;
	try {
		u = new URL(v);
	} catch {
		throw bad(`Parameter ${name} (${v}) must be a valid URL`);
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:')
		throw bad(`Parameter ${name} (${v}) must be an http(s) URL`);
	return v;
}

/** [fail:CODE] and [slow] triggers, looked for in prompts (incl. frame_N_prompt) and replyRef. */
function triggers(texts: Array<string | undefined>): { failCode?: number; slow: boolean } {
	let failCode: number | undefined;
	let slow = false;
	for (const t of texts) {
		if (!t) continue;
		const m = /\[fail:(\d+)\]/.exec(t);
		if (m && failCode === undefined) failCode = Number(m[1]);
		if (t.includes('[slow]')) slow = true;
	}
	return { failCode, slow };
}

function parseMultipart(buf: Buffer, contentType: string): Record<string, unknown> {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!m) throw bad('multipart/form-data without boundary');
	const boundary = `--${(m[1] ?? m[2]).trim()}`;
	const text = buf.toString('latin1');
	const out: Record<string, unknown> = {};
	for (const part of text.split(boundary)) {
		if (!part || part.startsWith('--')) continue;
		const sep = part.indexOf('\r\n\r\n');
		if (sep < 0) continue;
		const head = part.slice(0, sep);
		let value = part.slice(sep + 4);
		if (value.endsWith('\r\n')) value = value.slice(0, -2);
		const name = /name="([^"]*)"/i.exec(head)?.[1];
		if (name === undefined) continue;
		out[name] = Buffer.from(value, 'latin1').toString('utf8');
	}
	return out;
}

// ============================================================================ the emulator

interface Ctx {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	rec: RecordedRequest;
	fault?: Fault;
}

interface NormalizedFault extends Fault {
	remaining: number;
}

class DreaminaEmulator implements Emulator {
	baseUrl = '';
	origin = '';
	readonly requests: RecordedRequest[] = [];
	readonly jobs = new Map<string, JobRecord>();
	readonly maxConcurrent: Record<string, number> = {};
	readonly callbacks: CallbackRecord[] = [];

	private opts: Required<Omit<EmulatorOptions, 'jobDurationMs'>> & {
		jobDurationMs: { video: number; image: number; upscale: number };
	};
	private server: http.Server;
	private ticker?: NodeJS.Timeout;
	private faults: NormalizedFault[] = [];
	private accounts = new Map<string, AccountState>();
	private assets = new Map<string, AssetInfo>();
	private files = new Map<string, FileSpec>();
	private meta = new Map<string, JobMeta>();
	private closed = false;
	private generation = 0; // bumped by reset(): late callback results of older jobs are not recorded

	private readonly initial: EmulatorOptions;

	constructor(options: EmulatorOptions) {
		this.initial = options;
		this.opts = this.resolveOptions(options);
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((e) => {
				try {
					if (!res.headersSent) {
						res.writeHead(500, { 'Content-Type': 'application/json' });
						res.end(JSON.stringify({ error: `Emulator internal error: ${e?.message ?? e}` }));
					} else res.destroy();
				} catch {
					/* ignore */
				}
			});
		});
		this.server.keepAliveTimeout = 5000;
	}

	private resolveOptions(options: EmulatorOptions): DreaminaEmulator['opts'] {
		return {
			token: options.token ?? DEFAULT_TOKEN,
			host: options.host ?? '127.0.0.1',
			port: options.port ?? 0,
			accounts: options.accounts ?? DEFAULT_ACCOUNTS,
			jobDurationMs: { ...DEFAULT_DURATIONS, ...(options.jobDurationMs ?? {}) },
			jobTimeoutMs: options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
			videoBytes: options.videoBytes ?? DEFAULT_VIDEO_BYTES,
			callbackRetries: options.callbackRetries ?? 0,
		};
	}

	get token(): string {
		return this.opts.token;
	}

	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.opts.port, this.opts.host, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		const addr = this.server.address() as AddressInfo;
		const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
		this.origin = `http://${host}:${addr.port}`;
		this.baseUrl = `${this.origin}${PREFIX}`;
		this.seedAccounts();
		this.ticker = setInterval(() => this.sweep(), 20);
		this.ticker.unref();
	}

	// ------------------------------------------------------------------ public API

	clearRequests(): void {
		this.requests.length = 0;
	}

	injectFault(f: Fault): void {
		const times = f.times ?? 1;
		this.faults.push({ ...f, remaining: times <= 0 ? Infinity : times });
	}

	clearFaults(): void {
		this.faults = [];
	}

	completeJob(jobid: string): void {
		const job = this.mustCreated(jobid);
		this.finishOk(job);
	}

	failJob(jobid: string, code: number): void {
		const job = this.mustCreated(jobid);
		this.finishFail(job, code);
	}

	setOptions(partial: Partial<EmulatorOptions>): void {
		if (partial.token !== undefined) this.opts.token = partial.token;
		if (partial.jobDurationMs)
			this.opts.jobDurationMs = { ...this.opts.jobDurationMs, ...partial.jobDurationMs };
		if (partial.jobTimeoutMs !== undefined) this.opts.jobTimeoutMs = partial.jobTimeoutMs;
		if (partial.videoBytes !== undefined) this.opts.videoBytes = partial.videoBytes;
		if (partial.callbackRetries !== undefined) this.opts.callbackRetries = partial.callbackRetries;
		if (partial.accounts !== undefined) {
			this.opts.accounts = partial.accounts;
			this.seedAccounts();
		}
	}

	/** Back to the state right after startEmulator(): initial options, seeded accounts, no jobs/requests/faults. */
	reset(): void {
		const { host, port } = this.opts;
		this.opts = { ...this.resolveOptions(this.initial), host, port };
		this.generation++;
		this.requests.length = 0;
		this.faults = [];
		this.jobs.clear();
		this.meta.clear();
		for (const k of Object.keys(this.maxConcurrent)) delete this.maxConcurrent[k];
		this.callbacks.length = 0;
		this.assets.clear();
		this.files.clear();
		this.seedAccounts();
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		if (this.ticker) clearInterval(this.ticker);
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	/** Snapshot for the control API. */
	stats(): Record<string, unknown> {
		const executing: Record<string, number> = {};
		for (const [jobid, job] of this.jobs) {
			if (job.status !== 'created') continue;
			const acct = this.meta.get(jobid)!.account;
			executing[acct] = (executing[acct] ?? 0) + 1;
		}
		return {
			maxConcurrent: { ...this.maxConcurrent },
			executing,
			jobs: this.jobs.size,
			requests: this.requests.length,
		};
	}

	// ------------------------------------------------------------------ seeding

	private seedAccounts(): void {
		this.accounts.clear();
		const now = Date.now();
		for (const s of this.opts.accounts) {
			const state = this.makeAccount(s, now);
			this.accounts.set(state.account, state);
		}
	}

	private makeAccount(s: SeedAccount, now: number): AccountState {
		const account = s.account ?? `${s.region}:${s.email}`;
		const expired = !!s.sessionExpired;
		const state: AccountState = {
			account,
			email: s.email,
			region: s.region,
			maxJobs: s.maxJobs ?? 10,
			sessionExpired: expired,
			liveDataFails: !!s.liveDataFails,
			credits: s.credits ?? DEFAULT_CREDITS,
			models: s.models
				? { video: [...s.models.video], image: [...s.models.image] }
				: { video: [...REGION_MODELS[s.region].video], image: [...REGION_MODELS[s.region].image] },
			sessionExpires: new Date(expired ? now - 86_400_000 : now + 60 * 86_400_000).toISOString(),
			lastRefreshed: new Date(now - 3_600_000).toISOString(),
			history: [],
		};
		const count = s.historyCount ?? DEFAULT_HISTORY;
		for (let i = 0; i < count; i++) {
			const createdAt = new Date(now - (i + 1) * 3_600_000).toISOString();
			const isVideo = i % 3 === 2;
			const historyRecordId = randDigits(12);
			const itemId = randDigits(19);
			const assetId = `${account}-${historyRecordId}:${itemId}`;
			if (isVideo) {
				const vid = itemId;
				this.files.set(`${vid}.mp4`, {
					kind: 'mp4',
					bytes: this.opts.videoBytes,
					durationMs: 5042,
					width: 1280,
					height: 720,
				});
				this.files.set(`${vid}-cover.png`, { kind: 'png', width: 64, height: 36, seed: i });
				state.history.push({
					assetId,
					historyRecordId,
					itemId,
					type: 'video',
					coverUrl: `${this.origin}/files/${vid}-cover.png`,
					description: `Seeded video #${i + 1}`,
					videoUrl: `${this.origin}/files/${vid}.mp4`,
					width: 1280,
					height: 720,
					createdAt,
				});
			} else {
				const fileId = hex(24);
				this.files.set(`${fileId}.png`, { kind: 'png', width: 64, height: 36, seed: i });
				const uri = `tos-emu-i-${hex(10)}/${hex(32)}`;
				const size = this.pngFor(`${fileId}.png`).length;
				const assetRef = `${account}-image:w2560:h1440:s${size}-uri:${uri}`;
				this.assets.set(assetRef, {
					assetRef,
					account,
					kind: 'image',
					width: 2560,
					height: 1440,
					size,
				});
				state.history.push({
					assetId,
					historyRecordId,
					itemId,
					type: 'image',
					coverUrl: `${this.origin}/files/${fileId}.png`,
					description: `Seeded image #${i + 1}`,
					assetRef,
					imageUrl: `${this.origin}/files/${fileId}.png`,
					width: 2560,
					height: 1440,
					format: 'png',
					createdAt,
				});
			}
		}
		return state;
	}

	// ------------------------------------------------------------------ HTTP plumbing

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
		const segments = rawPath.split('/').map(safeDecode);
		const path = segments.join('/');
		const query: Record<string, string> = {};
		for (const [k, v] of new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '')) query[k] = v;
		const contentType =
			typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : undefined;

		if (path === '/__emulator' || path.startsWith('/__emulator/')) {
			await this.handleControl(
				req,
				res,
				method,
				segments.slice(2).filter((s) => s !== ''),
			);
			return;
		}

		const rec: RecordedRequest = {
			method,
			path,
			rawPath,
			query,
			headers: { ...req.headers },
			bodyBytes: 0,
			contentType,
			time: Date.now(),
		};
		this.requests.push(rec);
		this.sweep();
		const ctx: Ctx = { req, res, rec };

		const apiParts =
			path === PREFIX || path.startsWith(`${PREFIX}/`) ? segments.slice(3) : undefined;
		while (apiParts && apiParts.length && apiParts[apiParts.length - 1] === '') apiParts.pop();
		const isUpload = method === 'POST' && apiParts?.[0] === 'assets' && apiParts.length === 2;

		const fault = this.takeFault(method, path);
		if (fault) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (!fault.afterHandling && (fault.drop || fault.status !== undefined)) {
				await this.readBody(ctx, isUpload ? 'count' : 'parse').catch(() => undefined);
				if (fault.drop) {
					req.socket.destroy();
					return;
				}
				this.sendJson(
					ctx,
					fault.status!,
					fault.body ?? { error: `Injected fault (${fault.status})` },
				);
				return;
			}
			if (fault.afterHandling) ctx.fault = fault;
		}

		try {
			if (path.startsWith('/files/')) {
				await this.readBody(ctx, 'count');
				this.serveFile(ctx, method, segments.slice(2).join('/'));
				return;
			}
			if (!apiParts) {
				await this.readBody(ctx, 'count');
				throw new ApiError(404, 'Not found');
			}
			if (!this.authorized(req)) {
				await this.readBody(ctx, 'count');
				throw new ApiError(401, 'Unauthorized');
			}
			if (isUpload) {
				await this.upload(ctx, apiParts[1]);
				return;
			}
			const body = await this.readBody(ctx, 'parse');
			const result = this.route(method, apiParts, body, query);
			this.reply(ctx, 200, result);
		} catch (e) {
			if (e instanceof ApiError) this.reply(ctx, e.status, { error: e.message });
			else
				this.reply(ctx, 500, { error: `Emulator internal error: ${(e as Error)?.message ?? e}` });
		}
	}

	private authorized(req: http.IncomingMessage): boolean {
		const h = req.headers.authorization;
		if (typeof h !== 'string') return false;
		const m = /^Bearer\s+(.+)$/i.exec(h.trim());
		return !!m && m[1].trim() === this.opts.token;
	}

	private takeFault(method: string, path: string): NormalizedFault | undefined {
		const idx = this.faults.findIndex((f) => {
			if (f.method && f.method.toUpperCase() !== method) return false;
			if (f.path === undefined) return true;
			if (f.path instanceof RegExp) {
				f.path.lastIndex = 0;
				return f.path.test(path);
			}
			return f.path === path || `${PREFIX}${f.path.startsWith('/') ? '' : '/'}${f.path}` === path;
		});
		if (idx < 0) return undefined;
		const f = this.faults[idx];
		f.remaining -= 1;
		if (f.remaining <= 0) this.faults.splice(idx, 1);
		return f;
	}

	/**
	 * Read the request body. 'parse': buffer and parse JSON / multipart / urlencoded (recorded in rec.body).
	 * 'count': count and discard. A MediaProbe may be fed while counting.
	 */
	private readBody(
		ctx: Ctx,
		mode: 'parse' | 'count',
		probe?: MediaProbe,
	): Promise<Record<string, unknown>> {
		const { req, rec } = ctx;
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let kept = 0;
			req.on('data', (c: Buffer) => {
				rec.bodyBytes += c.length;
				probe?.feed(c);
				if (mode === 'parse' && kept < MAX_JSON_BODY) {
					chunks.push(c);
					kept += c.length;
				}
			});
			req.on('error', reject);
			req.on('end', () => {
				if (mode === 'count') return resolve({});
				const buf = Buffer.concat(chunks);
				if (buf.length === 0) return resolve({});
				const ct = (rec.contentType ?? '').toLowerCase();
				try {
					let body: unknown;
					if (ct.startsWith('multipart/form-data')) body = parseMultipart(buf, rec.contentType!);
					else if (ct.startsWith('application/x-www-form-urlencoded'))
						body = Object.fromEntries(new URLSearchParams(buf.toString('utf8')));
					else {
						try {
							body = JSON.parse(buf.toString('utf8'));
						} catch {
							rec.body = buf.toString('utf8');
							throw bad('Invalid JSON body');
						}
					}
					rec.body = body;
					if (typeof body !== 'object' || body === null || Array.isArray(body))
						throw bad('Request body must be a JSON object');
					resolve(body as Record<string, unknown>);
				} catch (e) {
					reject(e);
				}
			});
		});
	}

	private reply(ctx: Ctx, status: number, body: unknown): void {
		const f = ctx.fault;
		if (f?.afterHandling) {
			if (f.drop) {
				ctx.req.socket.destroy();
				return;
			}
			if (f.status !== undefined) {
				this.sendJson(ctx, f.status, f.body ?? { error: `Injected fault (${f.status})` });
				return;
			}
		}
		this.sendJson(ctx, status, body);
	}

	private sendJson(ctx: Ctx, status: number, body: unknown): void {
		const data = Buffer.from(JSON.stringify(body));
		ctx.rec.status = status;
		ctx.res.writeHead(status, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': data.length,
		});
		ctx.res.end(data);
	}

	// ------------------------------------------------------------------ routing

	private route(
		method: string,
		p: string[],
		body: Record<string, unknown>,
		query: Record<string, string>,
	): unknown {
		const [r, a, ...rest] = p;
		if (rest.length) throw new ApiError(404, 'Not found');
		switch (`${method} ${r}${a !== undefined ? '/:x' : ''}`) {
			case 'GET accounts':
				return this.listAccounts();
			case 'POST accounts':
				return this.addAccount(body);
			case 'GET accounts/:x':
				return this.getAccount(a);
			case 'DELETE accounts/:x':
				return this.deleteAccount(a);
			case 'GET assets/:x':
				return this.history(a, query);
			case 'DELETE assets/:x':
				return this.deleteAsset(a);
			case 'POST videos':
				return this.createVideo(body);
			case 'GET videos/:x':
				return this.getJob(a, ['video']);
			case 'POST images/:x':
				if (a === 'upscale') return this.createUpscale(body);
				break;
			case 'POST images':
				return this.createImage(body);
			case 'GET images/:x':
				return this.getJob(a, ['image', 'upscale']);
			case 'GET scheduler':
				return this.scheduler();
			case 'DELETE scheduler/:x':
				return this.cancel(a);
		}
		throw new ApiError(404, 'Not found');
	}

	// ------------------------------------------------------------------ accounts

	private summary(a: AccountState): Record<string, unknown> {
		const s: Record<string, unknown> = {
			account: a.account,
			email: a.email,
			region: a.region,
			maxJobs: a.maxJobs,
			sessionExpires: a.sessionExpires,
		};
		if (a.sessionExpired) s.error = 'Session expired';
		return s;
	}

	private live(a: AccountState): Record<string, unknown> {
		const s = this.summary(a);
		if (a.liveDataFails || a.sessionExpired) return s;
		const expires = Date.parse(a.sessionExpires);
		const vip = Math.min(a.credits, 12000);
		const gift = Math.min(a.credits - vip, 10065);
		return {
			...s,
			session: {
				expires: a.sessionExpires,
				lastRefreshed: a.lastRefreshed,
				daysUntilExpiry: Math.max(0, Math.floor((expires - Date.now()) / 86_400_000)),
			},
			models: { video: [...a.models.video], image: [...a.models.image] },
			credits: {
				total: a.credits,
				vip,
				gift,
				purchase: a.credits - vip - gift,
				dailyClaimed: true,
			},
		};
	}

	private account(id: string): AccountState {
		const a = this.accounts.get(id);
		if (!a) throw notFoundAccount(id);
		return a;
	}

	private listAccounts(): unknown {
		const out: Record<string, unknown> = {};
		for (const a of this.accounts.values()) out[a.account] = this.summary(a);
		return out;
	}

	private getAccount(id: string): unknown {
		return this.live(this.account(id));
	}

	private addAccount(body: Record<string, unknown>): unknown {
		const email = optString(body, 'email');
		if (!email) throw bad('Parameter email is required');
		if (!/^[^@\s]+@[^@\s]+$/.test(email))
			throw bad(`Parameter email (${email}) is not a valid email address`);
		const password = optString(body, 'password');
		if (!password) throw bad('Parameter password is required');
		const region = optString(body, 'region');
		if (!region) throw bad('Parameter region is required');
		if (region !== 'US' && region !== 'CA')
			throw bad(`Parameter region (${region}) valid values: US, CA`);
		const maxJobs = optNumber(body, 'maxJobs', 1, 50, true) ?? 10;
		if (password === 'wrong') throw new ApiError(500, 'Login failed: invalid credentials');
		const state = this.makeAccount({ email, region, maxJobs, historyCount: 0 }, Date.now());
		const existing = this.accounts.get(state.account);
		if (existing) state.history = existing.history; // re-adding keeps the upstream history
		this.accounts.set(state.account, state);
		return this.live(state);
	}

	private deleteAccount(id: string): unknown {
		this.account(id);
		this.accounts.delete(id);
		return { account: id, deleted: true, remaining: this.accounts.size };
	}

	// ------------------------------------------------------------------ assets

	private async upload(ctx: Ctx, accountId: string): Promise<void> {
		const ctRaw = (ctx.rec.contentType ?? '').split(';')[0].trim().toLowerCase();
		const kind = UPLOAD_TYPES.find(([t]) => t === ctRaw)?.[1];
		const probe = kind ? new MediaProbe(kind) : undefined;
		await this.readBody(ctx, 'count', probe);
		const acct = this.account(accountId);
		if (!kind || !probe) {
			throw bad(
				`Content-Type (${ctRaw || 'none'}) not supported. Valid values: ${UPLOAD_TYPES.map(([t]) => t).join(', ')}`,
			);
		}
		const size = ctx.rec.bodyBytes;
		if (size === 0) throw bad('Content is empty');
		if (size > UPLOAD_MAX_BYTES[kind])
			throw bad(`${kind} exceeds ${UPLOAD_MAX_MB[kind]}MB limit (${mb(size)})`);
		const info = probe.result();
		let out: Record<string, unknown>;
		let asset: AssetInfo;
		if (kind === 'image') {
			const width = info.width || 1024;
			const height = info.height || 1024;
			const uri = `tos-emu-i-${hex(10)}/${hex(32)}`;
			const assetRef = `${acct.account}-image:w${width}:h${height}:s${size}-uri:${uri}`;
			asset = { assetRef, account: acct.account, kind, width, height, size };
			out = { assetRef, account: acct.account, width, height, size };
		} else if (kind === 'video') {
			const width = info.width || 1280;
			const height = info.height || 720;
			const durationMs = info.durationMs || 5000;
			if (durationMs > VIDEO_UPLOAD_MAX_MS)
				throw bad(`Video duration ${secs(durationMs)} exceeds 15.4s limit`);
			if (durationMs < VIDEO_UPLOAD_MIN_MS)
				throw bad(`Video duration ${secs(durationMs)} is below 2s minimum`);
			for (const px of [width, height]) {
				if (px < VIDEO_UPLOAD_MIN_PX || px > VIDEO_UPLOAD_MAX_PX) {
					throw bad(
						`Video resolution ${width}x${height} out of range (${VIDEO_UPLOAD_MIN_PX}-${VIDEO_UPLOAD_MAX_PX}px)`,
					);
				}
			}
			const vid = `v10${randStr(29)}`;
			const assetRef = `${acct.account}-video:w${width}:h${height}:s${size}:d${durationMs}-vid:${vid}`;
			asset = { assetRef, account: acct.account, kind, width, height, size, durationMs };
			out = {
				assetRef,
				account: acct.account,
				type: 'video',
				width,
				height,
				duration: durationMs,
				size,
			};
		} else {
			const durationMs = info.durationMs || 5000;
			if (durationMs > AUDIO_UPLOAD_MAX_MS)
				throw bad(`Audio duration ${secs(durationMs)} exceeds 15s limit`);
			if (durationMs < AUDIO_UPLOAD_MIN_MS)
				throw bad(`Audio duration ${secs(durationMs)} is below 2s minimum`);
			const vid = `v10${randStr(29)}`;
			// the documented audio sample carries w480:h360 (upstream placeholder cover)
			const assetRef = `${acct.account}-audio:w480:h360:s${size}:d${durationMs}-vid:${vid}`;
			asset = { assetRef, account: acct.account, kind, width: 480, height: 360, size, durationMs };
			out = { assetRef, account: acct.account, type: 'audio', duration: durationMs, size };
		}
		if (acct.sessionExpired) throw new ApiError(596, 'Session expired');
		this.assets.set(asset.assetRef, asset);
		this.reply(ctx, 200, out);
	}

	private history(accountId: string, query: Record<string, string>): unknown {
		const acct = this.account(accountId);
		const count = optNumber(query, 'count', 1, 100, true) ?? 20;
		const offset = optNumber(query, 'offset', 0, Number.MAX_SAFE_INTEGER, true) ?? 0;
		if (acct.sessionExpired) throw new ApiError(596, 'Session expired');
		const assets = acct.history.slice(offset, offset + count);
		const hasMore = offset + count < acct.history.length;
		const out: Record<string, unknown> = { assets, hasMore };
		if (hasMore) out.nextOffset = offset + count;
		out.account = acct.account;
		return out;
	}

	private deleteAsset(assetId: string): unknown {
		for (const acct of this.accounts.values()) {
			const i = acct.history.findIndex((h) => h.assetId === assetId);
			if (i >= 0) {
				if (acct.sessionExpired) throw new ApiError(596, 'Session expired');
				acct.history.splice(i, 1);
				return { deleted: true, assetId, account: acct.account };
			}
		}
		const owner = [...this.accounts.keys()].find((k) => assetId.startsWith(`${k}-`));
		if (!owner) {
			const m = /^(.+?:.+)-\d+:\d+$/.exec(assetId);
			throw notFoundAccount(m ? m[1] : assetId);
		}
		throw new ApiError(404, `Asset ${assetId} not found`);
	}

	/** Resolve refs to one account; verify existence, kind and ownership. */
	private checkRefs(
		refs: ParsedRef[],
		expected: Record<string, AssetKind>,
		explicitAccount?: string,
	): string | undefined {
		for (const r of refs) {
			const want = expected[r.param];
			if (want && r.kind !== want)
				throw bad(
					`Parameter ${r.param} must be ${want === 'image' ? 'an' : 'a'} ${want} assetRef (got ${r.kind})`,
				);
		}
		const owners = [...new Set(refs.map((r) => r.account))];
		if (owners.length > 1)
			throw bad(`All asset refs must belong to the same account (found: ${owners.join(', ')})`);
		const refAccount = owners[0];
		if (explicitAccount && refAccount && explicitAccount !== refAccount) {
			throw bad(
				`Parameter account (${explicitAccount}) does not match the account of the asset refs (${refAccount})`,
			);
		}
		const accountId = explicitAccount ?? refAccount;
		if (accountId) this.account(accountId);
		for (const r of refs) {
			const a = this.assets.get(r.ref);
			if (!a)
				throw bad(
					`Parameter ${r.param} (${r.ref}) not found: upload it with POST /assets/${r.account} or use an assetRef from a completed job`,
				);
		}
		return accountId;
	}

	// ------------------------------------------------------------------ account selection / capacity

	private executing(accountId: string): number {
		let n = 0;
		for (const [jobid, m] of this.meta)
			if (m.account === accountId && this.jobs.get(jobid)?.status === 'created') n++;
		return n;
	}

	private hasCapacity(a: AccountState, maxJobs?: number): boolean {
		return this.executing(a.account) < (maxJobs ?? a.maxJobs);
	}

	/** Pick a random usable account when none was given/inferred. */
	private pickAccount(
		filter: (a: AccountState) => boolean,
		maxJobs: number | undefined,
		what: string,
	): AccountState {
		const all = [...this.accounts.values()];
		if (!all.length)
			throw new ApiError(404, 'No Dreamina accounts configured, add one with POST /accounts');
		const supporting = all.filter(filter);
		if (!supporting.length) throw bad(`${what} is not available on any configured account`);
		const live = supporting.filter((a) => !a.sessionExpired);
		if (!live.length) throw new ApiError(596, 'Session expired');
		const free = live.filter((a) => this.hasCapacity(a, maxJobs));
		if (!free.length) throw new ApiError(429, 'All accounts at capacity');
		return free[randomInt(free.length)];
	}

	private ensureUsable(a: AccountState, maxJobs?: number): void {
		if (a.sessionExpired) throw new ApiError(596, 'Session expired');
		if (!this.hasCapacity(a, maxJobs)) throw new ApiError(429, 'All accounts at capacity');
	}

	// ------------------------------------------------------------------ POST /videos

	private createVideo(body: Record<string, unknown>): unknown {
		const prompt = optString(body, 'prompt');
		if (prompt !== undefined && prompt.length > VIDEO_PROMPT_MAX) {
			throw bad(
				`Parameter prompt exceeds maximum length of ${VIDEO_PROMPT_MAX} characters (${prompt.length})`,
			);
		}
		const model = optString(body, 'model');
		if (model !== undefined && !ALL_VIDEO_MODELS.includes(model)) {
			throw bad(`Parameter model (${model}) valid values: ${ALL_VIDEO_MODELS.join(', ')}`);
		}
		const ratio = optEnum(body, 'ratio', VIDEO_RATIOS);
		const resolution = optEnum(body, 'resolution', VIDEO_RESOLUTIONS);
		const duration = optNumber(body, 'duration', 1, 60, true);
		const maxJobs = optNumber(body, 'maxJobs', 1, 50, true);
		const explicitAccount = optString(body, 'account');
		const replyUrl = optUrl(body, 'replyUrl');
		const replyRef = optString(body, 'replyRef');
		const firstFrameRef = optString(body, 'firstFrameRef');
		const endFrameRef = optString(body, 'endFrameRef');

		// frame_N_* and omni_N_* parameters
		const frames = new Map<number, { imageRef?: string; prompt?: string; duration?: number }>();
		const omni: Record<'image' | 'video' | 'audio', Map<number, string>> = {
			image: new Map(),
			video: new Map(),
			audio: new Map(),
		};
		for (const key of Object.keys(body)) {
			let m = /^frame_(\d+)_(imageRef|prompt|duration)$/.exec(key);
			if (m) {
				const n = Number(m[1]);
				if (n < 1 || n > MULTI_FRAME_MAX)
					throw bad(`Parameter ${key}: frame number must be 1-${MULTI_FRAME_MAX}`);
				const f = frames.get(n) ?? {};
				if (m[2] === 'imageRef') f.imageRef = optString(body, key);
				else if (m[2] === 'prompt') {
					f.prompt = optString(body, key);
					if (f.prompt && f.prompt.length > VIDEO_PROMPT_MAX) {
						throw bad(
							`Parameter ${key} exceeds maximum length of ${VIDEO_PROMPT_MAX} characters (${f.prompt.length})`,
						);
					}
				} else f.duration = optNumber(body, key, FRAME_DURATION_MIN, FRAME_DURATION_MAX, true);
				frames.set(n, f);
				continue;
			}
			m = /^omni_(\d+)_(image|video|audio)Ref$/.exec(key);
			if (m) {
				const kind = m[2] as 'image' | 'video' | 'audio';
				const n = Number(m[1]);
				if (n < 1 || n > OMNI_MAX[kind])
					throw bad(
						`Parameter ${key}: maximum ${OMNI_MAX[kind]} ${kind} references (omni_1_${kind}Ref..omni_${OMNI_MAX[kind]}_${kind}Ref)`,
					);
				const v = optString(body, key);
				if (v) omni[kind].set(n, v);
			}
		}
		const frameNs = [...frames.entries()]
			.filter(([, f]) => f.imageRef)
			.map(([n]) => n)
			.sort((x, y) => x - y);
		for (const [n, f] of frames) {
			if (!f.imageRef && (f.prompt !== undefined || f.duration !== undefined)) {
				throw bad(
					`Parameter frame_${n}_${f.prompt !== undefined ? 'prompt' : 'duration'} requires frame_${n}_imageRef`,
				);
			}
		}
		const omniCount = omni.image.size + omni.video.size + omni.audio.size;

		// input mode
		let mode: VideoMode;
		if (omniCount > 0) {
			if (firstFrameRef || endFrameRef || frameNs.length) {
				throw bad(
					'Omni reference (omni_N_imageRef/omni_N_videoRef/omni_N_audioRef) cannot be combined with firstFrameRef, endFrameRef, or frame_N_imageRef',
				);
			}
			mode = 'unified_edit';
		} else if (frameNs.length) {
			if (firstFrameRef || endFrameRef)
				throw bad(
					'firstFrameRef/endFrameRef cannot be combined with multi_frame (frame_N_imageRef)',
				);
			mode = 'multi_frame';
		} else if (endFrameRef && !firstFrameRef) {
			throw bad('Parameter endFrameRef requires firstFrameRef');
		} else if (firstFrameRef) {
			mode = endFrameRef ? 'end_frame' : 'first_frame';
		} else mode = 'prompt';

		// mode-specific, model-independent rules
		if (mode === 'prompt' && !prompt) throw bad('Parameter prompt is required');
		if (
			(mode === 'first_frame' || mode === 'end_frame' || mode === 'multi_frame') &&
			ratio !== undefined
		) {
			throw bad(
				'Parameter ratio cannot be specified with image refs (the image aspect ratio is used)',
			);
		}
		if (mode === 'multi_frame') {
			if (prompt !== undefined)
				throw bad(
					'Parameter prompt cannot be used with multi_frame mode (use frame_N_prompt instead)',
				);
			if (frameNs.length < MULTI_FRAME_MIN)
				throw bad(
					`Multi-frame mode requires ${MULTI_FRAME_MIN}-${MULTI_FRAME_MAX} frames (got ${frameNs.length})`,
				);
			for (let i = 0; i < frameNs.length; i++) {
				if (frameNs[i] !== i + 1)
					throw bad(
						`Frames must be contiguous starting from frame_1 (missing frame_${i + 1}_imageRef)`,
					);
			}
		}
		if (mode === 'unified_edit') {
			if (!prompt)
				throw bad(
					'Parameter prompt is required for omni reference mode (reference assets as @imageN/@videoN/@audioN)',
				);
			if (omniCount > OMNI_TOTAL_MAX)
				throw bad(`Maximum ${OMNI_TOTAL_MAX} total materials (got ${omniCount})`);
			for (const kind of ['image', 'video', 'audio'] as const) {
				for (const n of omni[kind].keys()) {
					if (!new RegExp(`@${kind}${n}(?!\\d)`).test(prompt)) {
						throw bad(`Parameter prompt must reference omni_${n}_${kind}Ref as @${kind}${n}`);
					}
				}
				for (const m of prompt.matchAll(new RegExp(`@${kind}(\\d+)`, 'g'))) {
					const n = Number(m[1]);
					if (!omni[kind].has(n))
						throw bad(
							`Parameter prompt references @${kind}${n} but omni_${n}_${kind}Ref is not provided`,
						);
				}
			}
		}

		// refs
		const refs: ParsedRef[] = [];
		const expected: Record<string, AssetKind> = {};
		const addRef = (param: string, ref: string | undefined, kind: AssetKind) => {
			if (!ref) return;
			refs.push(parseRef(param, ref));
			expected[param] = kind;
		};
		addRef('firstFrameRef', firstFrameRef, 'image');
		addRef('endFrameRef', endFrameRef, 'image');
		for (const n of frameNs) addRef(`frame_${n}_imageRef`, frames.get(n)!.imageRef, 'image');
		for (const kind of ['image', 'video', 'audio'] as const) {
			for (const [n, ref] of [...omni[kind].entries()].sort((x, y) => x[0] - y[0]))
				addRef(`omni_${n}_${kind}Ref`, ref, kind);
		}
		const accountId = this.checkRefs(refs, expected, explicitAccount);

		// account + model
		let acct: AccountState;
		let chosenModel: string;
		if (accountId) {
			acct = this.account(accountId);
			chosenModel = model ?? DEFAULT_VIDEO_MODEL[acct.region];
		} else if (model) {
			acct = this.pickAccount((a) => a.models.video.includes(model), maxJobs, `Model ${model}`);
			chosenModel = model;
		} else {
			acct = this.pickAccount(() => true, maxJobs, 'Video generation');
			chosenModel = DEFAULT_VIDEO_MODEL[acct.region];
		}
		const caps = VIDEO_MODELS[chosenModel];
		if (!acct.models.video.includes(chosenModel)) {
			throw bad(
				`Parameter model (${chosenModel}) is not available for account ${acct.account} (region ${acct.region}), valid values: ${acct.models.video.join(', ')}`,
			);
		}
		if (!caps.modes.includes(mode)) {
			throw bad(
				`Model ${chosenModel} does not support ${mode} mode (supported: ${caps.modes.join(', ')})`,
			);
		}
		const effResolution = resolution ?? caps.resolutions[0];
		if (!caps.resolutions.includes(effResolution)) {
			throw bad(
				`Parameter resolution (${effResolution}) valid values for ${chosenModel}: ${caps.resolutions.join(', ')}`,
			);
		}
		const durList = () =>
			caps.durations.length > 3
				? `${caps.durations[0]}-${caps.durations[caps.durations.length - 1]}`
				: caps.durations.join(', ');
		let effDuration: number;
		if (mode === 'multi_frame') {
			let sum = 0;
			for (const n of frameNs.slice(0, -1))
				sum += frames.get(n)!.duration ?? FRAME_DURATION_DEFAULT;
			if (!caps.durations.includes(sum)) {
				throw bad(
					`Total duration of non-last frames (${sum}s) must be a valid ${chosenModel} duration: ${durList()}`,
				);
			}
			effDuration = sum;
		} else {
			effDuration = duration ?? (caps.durations.includes(5) ? 5 : caps.durations[0]);
			if (!caps.durations.includes(effDuration))
				throw bad(
					`Parameter duration (${effDuration}) valid values for ${chosenModel}: ${durList()}`,
				);
		}

		// aspect ratios of image refs
		const ratioOf = (r: ParsedRef) => closestRatio(r.width, r.height, VIDEO_RATIOS);
		let effRatio = ratio ?? '16:9';
		if (mode === 'first_frame' || mode === 'end_frame' || mode === 'multi_frame') {
			const imgs = refs.filter((r) => r.kind === 'image');
			effRatio = ratioOf(imgs[0]);
			for (const r of imgs.slice(1)) {
				if (ratioOf(r) !== effRatio) {
					throw bad(
						mode === 'end_frame'
							? `firstFrameRef and endFrameRef must have the same aspect ratio (${effRatio} vs ${ratioOf(r)})`
							: `All frame images must have the same aspect ratio (frame_1_imageRef ${effRatio}, ${r.param} ${ratioOf(r)})`,
					);
				}
			}
		}
		if (mode === 'unified_edit') {
			const sum = (k: AssetKind) =>
				refs.filter((r) => r.kind === k).reduce((s, r) => s + (r.durationMs ?? 0), 0);
			const v = sum('video');
			const au = sum('audio');
			if (v > OMNI_VIDEO_TOTAL_MS)
				throw bad(`Total video duration of omni_N_videoRef (${secs(v)}) exceeds 15.4s limit`);
			if (au > OMNI_AUDIO_TOTAL_MS)
				throw bad(`Total audio duration of omni_N_audioRef (${secs(au)}) exceeds 15s limit`);
		}

		this.ensureUsable(acct, maxJobs);

		// the job record's request: what was sent (+ defaults for model/ratio/duration), with inputMode
		const request: Record<string, unknown> = {};
		if (prompt !== undefined) request.prompt = prompt;
		request.model = chosenModel;
		if (mode === 'prompt' || mode === 'unified_edit') request.ratio = effRatio;
		request.duration = effDuration;
		request.inputMode = mode;
		if (resolution !== undefined) request.resolution = resolution;
		if (firstFrameRef) request.firstFrameRef = firstFrameRef;
		if (endFrameRef) request.endFrameRef = endFrameRef;
		for (const n of frameNs) {
			const f = frames.get(n)!;
			request[`frame_${n}_imageRef`] = f.imageRef;
			if (f.prompt !== undefined) request[`frame_${n}_prompt`] = f.prompt;
			if (f.duration !== undefined) request[`frame_${n}_duration`] = f.duration;
		}
		for (const kind of ['image', 'video', 'audio'] as const) {
			for (const [n, ref] of [...omni[kind].entries()].sort((x, y) => x[0] - y[0]))
				request[`omni_${n}_${kind}Ref`] = ref;
		}
		if (replyUrl) request.replyUrl = replyUrl;
		if (replyRef !== undefined) request.replyRef = replyRef;

		const dims = videoDims(effRatio, effResolution);
		const cost = Math.round(
			caps.creditsPerSecond * effDuration * (effResolution === '1080p' ? 1.5 : 1),
		);
		const trig = triggers([prompt, ...[...frames.values()].map((f) => f.prompt), replyRef]);
		return this.createJob('video', acct, chosenModel, request, cost, trig, {
			width: dims.width,
			height: dims.height,
			durationS: effDuration,
			hasAudio: caps.hasAudio,
			description: prompt ?? frames.get(1)?.prompt ?? '',
			replyUrl,
		});
	}

	// ------------------------------------------------------------------ POST /images

	private createImage(body: Record<string, unknown>): unknown {
		const prompt = optString(body, 'prompt');
		if (prompt !== undefined && prompt.length > IMAGE_PROMPT_MAX) {
			throw bad(
				`Parameter prompt exceeds maximum length of ${IMAGE_PROMPT_MAX} characters (${prompt.length})`,
			);
		}
		const model = optString(body, 'model');
		if (model !== undefined && !ALL_IMAGE_MODELS.includes(model)) {
			throw bad(`Parameter model (${model}) valid values: ${ALL_IMAGE_MODELS.join(', ')}`);
		}
		const ratio = optEnum(body, 'ratio', IMAGE_RATIOS);
		const resolution = optEnum(body, 'resolution', IMAGE_RESOLUTIONS);
		const imageStrength = optNumber(body, 'imageStrength', 0, 1, false);
		const maxJobs = optNumber(body, 'maxJobs', 1, 50, true);
		const explicitAccount = optString(body, 'account');
		const replyUrl = optUrl(body, 'replyUrl');
		const replyRef = optString(body, 'replyRef');

		const refMap = new Map<number, string>();
		for (const key of Object.keys(body)) {
			const m = /^imageRef_(\d+)$/.exec(key);
			if (!m) continue;
			const n = Number(m[1]);
			if (n < 1 || n > IMAGE_REFS_MAX)
				throw bad(
					`Parameter ${key}: maximum ${IMAGE_REFS_MAX} reference images (imageRef_1..imageRef_${IMAGE_REFS_MAX})`,
				);
			const v = optString(body, key);
			if (v) refMap.set(n, v);
		}
		const refNs = [...refMap.keys()].sort((a, b) => a - b);
		for (let i = 0; i < refNs.length; i++) {
			if (refNs[i] !== i + 1)
				throw bad(
					`Reference images must be contiguous starting from imageRef_1 (missing imageRef_${i + 1})`,
				);
		}
		const chosenModel = model ?? DEFAULT_IMAGE_MODEL;
		const caps = IMAGE_MODELS[chosenModel];
		if (refNs.length > caps.maxRefs)
			throw bad(
				`Model ${chosenModel} supports at most ${caps.maxRefs} reference image${caps.maxRefs > 1 ? 's' : ''} (got ${refNs.length})`,
			);
		if (!prompt) {
			if (caps.promptRequired) throw bad(`Parameter prompt is required for model ${chosenModel}`);
			if (!refNs.length)
				throw bad('Parameter prompt is required (optional only when imageRef_N is provided)');
		}
		const effResolution = resolution ?? caps.defaultResolution;
		if (!caps.resolutions.includes(effResolution)) {
			throw bad(
				`Parameter resolution (${effResolution}) valid values for ${chosenModel}: ${caps.resolutions.join(', ')}`,
			);
		}
		if (ratio === 'auto' && !caps.autoRatio)
			throw bad(
				`Parameter ratio (auto) is not supported by ${chosenModel}, valid values: ${IMAGE_RATIOS.filter((r) => r !== 'auto').join(', ')}`,
			);
		const effRatio = ratio ?? (caps.autoRatio ? 'auto' : '1:1');

		const refs = refNs.map((n) => parseRef(`imageRef_${n}`, refMap.get(n)!));
		const expected = Object.fromEntries(refs.map((r) => [r.param, 'image' as AssetKind]));
		const accountId = this.checkRefs(refs, expected, explicitAccount);
		const acct = accountId
			? this.account(accountId)
			: this.pickAccount(
					(a) => a.models.image.includes(chosenModel),
					maxJobs,
					`Model ${chosenModel}`,
				);
		if (!acct.models.image.includes(chosenModel)) {
			throw bad(
				`Parameter model (${chosenModel}) is not available for account ${acct.account} (region ${acct.region}), valid values: ${acct.models.image.join(', ')}`,
			);
		}
		this.ensureUsable(acct, maxJobs);

		const request: Record<string, unknown> = {};
		if (prompt !== undefined) request.prompt = prompt;
		request.model = chosenModel;
		request.ratio = effRatio;
		request.resolution = effResolution;
		request.inputMode = refs.length ? 'reference' : 'generate';
		for (const r of refs) request[r.param] = r.ref;
		if (imageStrength !== undefined) request.imageStrength = imageStrength;
		if (replyUrl) request.replyUrl = replyUrl;
		if (replyRef !== undefined) request.replyRef = replyRef;

		const outRatio =
			effRatio !== 'auto'
				? effRatio
				: refs.length
					? closestRatio(
							refs[0].width,
							refs[0].height,
							IMAGE_RATIOS.filter((r) => r !== 'auto'),
						)
					: '1:1';
		const dims = imageDims(outRatio, effResolution);
		return this.createJob(
			'image',
			acct,
			chosenModel,
			request,
			caps.cost,
			triggers([prompt, replyRef]),
			{
				width: dims.width,
				height: dims.height,
				imageCount: IMAGES_PER_JOB,
				description: prompt ?? '',
				replyUrl,
			},
		);
	}

	// ------------------------------------------------------------------ POST /images/upscale

	private createUpscale(body: Record<string, unknown>): unknown {
		const jobid = optString(body, 'jobid');
		if (!jobid) throw bad('Parameter jobid is required');
		const imageIndex = optNumber(body, 'imageIndex', 0, 3, true) ?? 0;
		const upscaleResolution = optEnum(body, 'upscaleResolution', UPSCALE_RESOLUTIONS) ?? '4k';
		const originalImageStrength = optNumber(body, 'originalImageStrength', 0, 1, false);
		const detailStrength = optNumber(body, 'detailStrength', 0, 1, false);
		const maxJobs = optNumber(body, 'maxJobs', 1, 50, true);
		const replyUrl = optUrl(body, 'replyUrl');
		const replyRef = optString(body, 'replyRef');

		const src = this.jobs.get(jobid);
		if (!src || src.type !== 'image') throw new ApiError(404, 'Source image job not found');
		if (src.status !== 'completed')
			throw bad(`Source image job is ${src.status}, must be completed`);
		const images = (src.response?.images as Array<Record<string, unknown>>) ?? [];
		if (imageIndex >= images.length)
			throw bad(
				`Parameter imageIndex (${imageIndex}) out of range, source job has ${images.length} image${images.length === 1 ? '' : 's'}`,
			);
		const acct = this.account(this.meta.get(jobid)!.account);
		this.ensureUsable(acct, maxJobs);

		const request: Record<string, unknown> = { jobid, imageIndex, resolution: upscaleResolution };
		if (originalImageStrength !== undefined) request.originalImageStrength = originalImageStrength;
		if (detailStrength !== undefined) request.detailStrength = detailStrength;
		if (replyUrl) request.replyUrl = replyUrl;
		if (replyRef !== undefined) request.replyRef = replyRef;

		const img = images[imageIndex];
		const sw = Number(img.width) || 2048;
		const sh = Number(img.height) || 2048;
		const long = UPSCALE_LONG_SIDE[upscaleResolution];
		const f = long / Math.max(sw, sh);
		return this.createJob(
			'upscale',
			acct,
			src.model,
			request,
			upscaleResolution === '8k' ? 2 : 0,
			triggers([replyRef]),
			{
				width: Math.round(sw * f),
				height: Math.round(sh * f),
				imageCount: 1,
				description: String(src.request.prompt ?? ''),
				replyUrl,
			},
		);
	}

	// ------------------------------------------------------------------ jobs

	private newJobId(kind: JobType, account: string): string {
		const letter = kind === 'video' ? 'v' : kind === 'image' ? 'i' : 'I';
		for (;;) {
			const d = new Date();
			const stamp = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`;
			const id = `j${stamp}${randStr(6, '0123456789')}${letter}-${USER_ID}-${account}-bot:dreamina`;
			if (!this.jobs.has(id)) return id;
		}
	}

	private createJob(
		kind: JobType,
		acct: AccountState,
		model: string,
		request: Record<string, unknown>,
		forecastCost: number,
		trig: { failCode?: number; slow: boolean },
		out: Omit<
			JobMeta,
			'account' | 'kind' | 'createdAt' | 'dueAt' | 'failCode' | 'submitId' | 'cbChain'
		>,
	): JobRecord {
		const now = Date.now();
		const jobid = this.newJobId(kind, acct.account);
		const job: JobRecord = {
			jobid,
			type: kind,
			status: 'created',
			model,
			created: new Date(now).toISOString(),
			request,
			response: { forecastCost },
			code: 200,
		};
		this.jobs.set(jobid, job);
		this.meta.set(jobid, {
			...out,
			account: acct.account,
			kind,
			createdAt: now,
			dueAt: trig.slow ? null : now + Math.max(0, this.opts.jobDurationMs[kind]),
			failCode: trig.failCode,
			submitId: randomUUID(),
			cbChain: Promise.resolve(),
		});
		const running = this.executing(acct.account);
		this.maxConcurrent[acct.account] = Math.max(this.maxConcurrent[acct.account] ?? 0, running);
		this.notify(jobid);
		return this.snapshot(job);
	}

	private snapshot(job: JobRecord): JobRecord {
		return JSON.parse(JSON.stringify(job)) as JobRecord;
	}

	private getJob(jobid: string, types: JobType[]): unknown {
		this.sweep();
		const job = this.jobs.get(jobid);
		if (!job || !types.includes(job.type)) throw new ApiError(404, 'Job not found');
		return job;
	}

	private mustCreated(jobid: string): JobRecord {
		const job = this.jobs.get(jobid);
		if (!job) throw new Error(`Job ${jobid} not found`);
		if (job.status !== 'created') throw new Error(`Job ${jobid} is ${job.status}, not created`);
		return job;
	}

	/** Complete due jobs, time out stale ones. */
	private sweep(): void {
		const now = Date.now();
		for (const [jobid, job] of this.jobs) {
			if (job.status !== 'created') continue;
			const m = this.meta.get(jobid)!;
			if (now - m.createdAt >= this.opts.jobTimeoutMs) this.finishFail(job, 408);
			else if (m.dueAt !== null && now >= m.dueAt) {
				if (m.failCode !== undefined) this.finishFail(job, m.failCode);
				else this.finishOk(job);
			}
		}
	}

	private finishOk(job: JobRecord): void {
		const m = this.meta.get(job.jobid)!;
		const acct = this.accounts.get(m.account);
		const now = Date.now();
		const historyRecordId = randDigits(12);
		const forecastCost = Number(job.response?.forecastCost ?? 0);
		const createdAt = new Date(now).toISOString();
		const newHistory: HistoryAsset[] = [];
		if (job.type === 'video') {
			const videoId = randDigits(19);
			const durationMs = (m.durationS ?? 5) * 1000 + 42;
			this.files.set(`${videoId}.mp4`, {
				kind: 'mp4',
				bytes: this.opts.videoBytes,
				durationMs,
				width: m.width,
				height: m.height,
			});
			const pv = this.previewDims(m.width, m.height);
			this.files.set(`${videoId}-cover.png`, {
				kind: 'png',
				width: pv.width,
				height: pv.height,
				seed: randomInt(1000),
			});
			const assetId = `${m.account}-${historyRecordId}:${videoId}`;
			const videoUrl = `${this.origin}/files/${videoId}.mp4`;
			const coverUrl = `${this.origin}/files/${videoId}-cover.png`;
			job.response = {
				assetId,
				videoUrl,
				videoId,
				coverUrl,
				width: m.width,
				height: m.height,
				durationMs,
				hasAudio: !!m.hasAudio,
				forecastCost,
				finishTime: Math.floor(now / 1000),
			};
			newHistory.push({
				assetId,
				historyRecordId,
				itemId: videoId,
				type: 'video',
				coverUrl,
				description: m.description,
				videoUrl,
				width: m.width,
				height: m.height,
				createdAt,
			});
		} else {
			const images: Array<Record<string, unknown>> = [];
			const pv = this.previewDims(m.width, m.height);
			for (let i = 0; i < (m.imageCount ?? 1); i++) {
				const fileId = hex(24);
				const name = `${fileId}.png`;
				this.files.set(name, {
					kind: 'png',
					width: pv.width,
					height: pv.height,
					seed: randomInt(1000),
				});
				const size = this.pngFor(name).length;
				const itemId = randDigits(19);
				const imageUri = `tos-emu-i-${hex(10)}/${fileId}`;
				const assetRef = `${m.account}-image:w${m.width}:h${m.height}:s${size}-uri:${imageUri}`;
				const assetId = `${m.account}-${historyRecordId}:${itemId}`;
				const imageUrl = `${this.origin}/files/${name}`;
				this.assets.set(assetRef, {
					assetRef,
					account: m.account,
					kind: 'image',
					width: m.width,
					height: m.height,
					size,
				});
				images.push({
					imageUrl,
					imageUri,
					width: m.width,
					height: m.height,
					format: 'png',
					assetId,
					assetRef,
					itemId,
				});
				newHistory.push({
					assetId,
					historyRecordId,
					itemId,
					type: 'image',
					coverUrl: imageUrl,
					description: m.description,
					assetRef,
					imageUrl,
					width: m.width,
					height: m.height,
					format: 'png',
					createdAt,
				});
			}
			job.response = { images, forecastCost, historyRecordId, finishTime: Math.floor(now / 1000) };
		}
		if (acct) acct.history.unshift(...newHistory);
		job.status = 'completed';
		job.updated = new Date(now).toISOString();
		job.code = 200;
		this.notify(job.jobid);
	}

	private finishFail(job: JobRecord, code: number, error?: string, errorDetails?: string): void {
		const known = FAILURES[code];
		job.status = 'failed';
		job.updated = new Date().toISOString();
		delete job.response;
		job.error = error ?? known?.error ?? `fail_code: ${code}`;
		const details = errorDetails ?? known?.errorDetails ?? (error ? undefined : 'Upstream error');
		if (details !== undefined) job.errorDetails = details;
		else delete job.errorDetails;
		job.code = code;
		this.notify(job.jobid);
	}

	private scheduler(): unknown {
		this.sweep();
		const executing: Record<string, unknown[]> = {};
		let total = 0;
		const now = Date.now();
		for (const [jobid, job] of this.jobs) {
			if (job.status !== 'created') continue;
			const m = this.meta.get(jobid)!;
			if (!this.accounts.has(m.account)) continue;
			const entry: Record<string, unknown> = {
				jobid,
				submitId: m.submitId,
				model: job.model,
				elapsedSeconds: Math.floor((now - m.createdAt) / 1000),
			};
			if (m.replyUrl) entry.replyUrl = m.replyUrl;
			(executing[m.account] ??= []).push(entry);
			total++;
		}
		return { executing, total };
	}

	private cancel(jobid: string): unknown {
		const job = this.jobs.get(jobid);
		if (!job) throw new ApiError(404, 'Job not found');
		if (job.status === 'created') this.finishFail(job, CANCEL_CODE, 'Cancelled by user');
		return { jobid, removed: true };
	}

	// ------------------------------------------------------------------ callbacks

	private notify(jobid: string): void {
		const m = this.meta.get(jobid);
		const job = this.jobs.get(jobid);
		if (!m || !job || !m.replyUrl) return;
		const url = m.replyUrl;
		const body = this.snapshot(job);
		m.cbChain = m.cbChain.then(() => this.deliver(url, body)).catch(() => undefined);
	}

	private async deliver(url: string, body: unknown): Promise<void> {
		const generation = this.generation;
		for (let attempt = 0; attempt <= this.opts.callbackRetries; attempt++) {
			if (this.closed || generation !== this.generation) return;
			let status: number | 'error';
			try {
				const r = await fetch(url, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(5000),
				});
				status = r.status;
				await r.arrayBuffer().catch(() => undefined);
			} catch {
				status = 'error';
			}
			if (generation !== this.generation) return; // reset() happened meanwhile
			this.callbacks.push({ url, status, body, time: Date.now() });
			if (status !== 'error' && status >= 200 && status < 300) return;
			if (attempt < this.opts.callbackRetries) await sleep(100);
		}
	}

	// ------------------------------------------------------------------ files

	private previewDims(w: number, h: number): { width: number; height: number } {
		const f = PREVIEW_LONG_SIDE / Math.max(w, h, 1);
		return { width: Math.max(1, Math.round(w * f)), height: Math.max(1, Math.round(h * f)) };
	}

	private pngFor(name: string): Buffer {
		const spec = this.files.get(name);
		if (!spec || spec.kind !== 'png') throw new Error(`no png ${name}`);
		spec.cached ??= makePng(spec.width, spec.height, spec.seed);
		return spec.cached;
	}

	private serveFile(ctx: Ctx, method: string, name: string): void {
		const { res, rec } = ctx;
		const spec = this.files.get(name);
		if ((method !== 'GET' && method !== 'HEAD') || !spec) {
			this.reply(ctx, 404, { error: 'File not found' });
			return;
		}
		const dropMid = !!(ctx.fault?.afterHandling && ctx.fault.drop);
		if (ctx.fault?.afterHandling && !ctx.fault.drop && ctx.fault.status !== undefined) {
			this.reply(ctx, 0, null); // replaced by the fault status
			return;
		}
		let header: Buffer;
		let total: number;
		let type: string;
		if (spec.kind === 'png') {
			header = this.pngFor(name);
			total = header.length;
			type = 'image/png';
		} else {
			total = spec.bytes;
			header = mp4Header({
				durationMs: spec.durationMs,
				width: spec.width,
				height: spec.height,
				totalBytes: total,
			});
			type = 'video/mp4';
		}
		let start = 0;
		let end = total; // exclusive
		let status = 200;
		const headers: Record<string, string | number> = {
			'Content-Type': type,
			'Accept-Ranges': 'bytes',
		};
		const range = ctx.req.headers.range;
		if (typeof range === 'string') {
			const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
			if (m && (m[1] !== '' || m[2] !== '')) {
				if (m[1] === '') {
					start = Math.max(0, total - Number(m[2]));
				} else {
					start = Number(m[1]);
					if (m[2] !== '') end = Math.min(total, Number(m[2]) + 1);
				}
				if (start >= total || start >= end) {
					rec.status = 416;
					res.writeHead(416, { 'Content-Range': `bytes */${total}` });
					res.end();
					return;
				}
				status = 206;
				headers['Content-Range'] = `bytes ${start}-${end - 1}/${total}`;
			}
		}
		headers['Content-Length'] = end - start;
		rec.status = status;
		res.writeHead(status, headers);
		if (method === 'HEAD') {
			res.end();
			return;
		}
		if (dropMid) {
			const half = start + Math.floor((end - start) / 2);
			const s = paddedStream(header, total, start, half);
			s.pipe(res, { end: false });
			s.on('end', () => setImmediate(() => ctx.req.socket.destroy()));
			rec.status = undefined;
			return;
		}
		paddedStream(header, total, start, end).pipe(res);
	}

	// ------------------------------------------------------------------ control API (/__emulator)

	private async handleControl(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		method: string,
		parts: string[],
	): Promise<void> {
		const send = (status: number, body: unknown) => {
			const data = Buffer.from(JSON.stringify(body));
			res.writeHead(status, {
				'Content-Type': 'application/json; charset=utf-8',
				'Content-Length': data.length,
			});
			res.end(data);
		};
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		let body: Record<string, unknown> = {};
		if (chunks.length) {
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				return send(400, { error: 'Invalid JSON body' });
			}
		}
		try {
			const key = `${method} ${parts.join('/')}`;
			if (key === 'GET requests') return send(200, this.requests);
			if (key === 'DELETE requests') {
				this.clearRequests();
				return send(200, { cleared: true });
			}
			if (key === 'POST faults') {
				const f: Fault = { ...(body as Fault) };
				const pathRegex = (body as { pathRegex?: string }).pathRegex;
				if (pathRegex) f.path = new RegExp(pathRegex);
				delete (f as { pathRegex?: string }).pathRegex;
				this.injectFault(f);
				return send(200, { added: true, faults: this.faults.length });
			}
			if (key === 'DELETE faults') {
				this.clearFaults();
				return send(200, { cleared: true });
			}
			if (key === 'GET jobs') {
				this.sweep();
				return send(200, [...this.jobs.values()]);
			}
			if (
				method === 'POST' &&
				parts[0] === 'jobs' &&
				parts.length === 3 &&
				(parts[2] === 'complete' || parts[2] === 'fail')
			) {
				const job = this.jobs.get(parts[1]);
				if (!job) return send(404, { error: 'Job not found' });
				if (job.status !== 'created')
					return send(409, { error: `Job is ${job.status}, not created` });
				if (parts[2] === 'complete') this.completeJob(parts[1]);
				else this.failJob(parts[1], Number(body.code ?? 2057));
				return send(200, job);
			}
			if (key === 'GET callbacks') return send(200, this.callbacks);
			if (key === 'GET stats') return send(200, this.stats());
			if (key === 'POST reset') {
				this.reset();
				return send(200, { reset: true });
			}
			if (key === 'POST options') {
				this.setOptions(body as Partial<EmulatorOptions>);
				return send(200, { ok: true });
			}
			return send(404, { error: 'Unknown emulator control route' });
		} catch (e) {
			return send(500, { error: (e as Error).message });
		}
	}
}

/** Start the emulator; resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const emu = new DreaminaEmulator(options);
	await emu.listen();
	return emu;
}
