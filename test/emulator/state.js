// @ts-check
'use strict';
/**
 * The emulator's state (options, accounts, assets, files, jobs, records) and the account rules
 * shared by the endpoints: lookup, seeding, capacity and automatic account selection.
 */
const { randomInt } = require('node:crypto');

const { REGION_MODELS } = require('./catalog');
const { ApiError, accountNotFound, sessionExpired, atCapacity, bad } = require('./errors');
const { seedHistory } = require('./history');
const { hash32, seededRandom } = require('./util');
const { Renderer, findExecutable } = require('./render');

/** @typedef {import('./types').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./types').SeedAccount} SeedAccount */
/** @typedef {import('./types').RecordedRequest} RecordedRequest */
/** @typedef {import('./types').JobRecord} JobRecord */
/** @typedef {import('./types').JobType} JobType */
/** @typedef {import('./types').DurationSpec} DurationSpec */
/** @typedef {import('./types').CallbackRecord} CallbackRecord */
/** @typedef {import('./types').Region} Region */
/** @typedef {import('./types').AssetKind} AssetKind */
/** @typedef {import('./faults').ActiveFault} ActiveFault */

/**
 * @typedef {object} ResolvedOptions
 * @property {string} token
 * @property {string} host
 * @property {number} port
 * @property {SeedAccount[]} accounts
 * @property {Record<DurationKind, DurationSpec>} jobDurationMs
 * @property {number} seed
 * @property {number} jobTimeoutMs
 * @property {number | undefined} videoBytes set: result videos are synthetic files of this size
 * @property {boolean | undefined} render undefined: render when ffmpeg is found
 * @property {string} ffmpegPath
 * @property {number} callbackRetries
 * @property {number} callbackTimeoutMs
 */

/**
 * @typedef {object} HistoryAsset
 * @property {string} assetId
 * @property {string} historyRecordId
 * @property {string} itemId
 * @property {'image' | 'video'} type
 * @property {string} coverUrl
 * @property {string} description
 * @property {string} [assetRef]
 * @property {string} [imageUrl]
 * @property {string} [videoUrl]
 * @property {number} width
 * @property {number} height
 * @property {string} [format]
 * @property {string} createdAt
 */

/**
 * @typedef {object} AccountState
 * @property {string} account
 * @property {string} email
 * @property {Region} region
 * @property {number} maxJobs
 * @property {boolean} sessionExpired
 * @property {boolean} liveDataFails
 * @property {number} credits
 * @property {{ video: string[]; image: string[] }} models
 * @property {string} sessionExpires
 * @property {string} lastRefreshed
 * @property {HistoryAsset[]} history
 */

/**
 * An asset the API knows (uploaded, or an image of a completed job): refs must name one.
 * @typedef {object} AssetInfo
 * @property {string} assetRef
 * @property {string} account
 * @property {AssetKind} kind
 * @property {number} width
 * @property {number} height
 * @property {number} size
 * @property {number} [durationMs]
 */

/**
 * A served result file (generated when requested). `render`: what to draw when the file is
 * rendered with ffmpeg; without it, or when rendering fails, the synthetic file is served.
 * @typedef {{ kind: 'png'; width: number; height: number; seed: number; cached?: Buffer; render?: RenderSpec }
 *   | { kind: 'mp4'; bytes: number; durationMs: number; width: number; height: number; render?: RenderSpec }} FileSpec
 */
/** @typedef {import('./render').RenderSpec} RenderSpec */

/**
 * What the emulator keeps about a job besides its public record.
 * @typedef {object} JobMeta
 * @property {string} account
 * @property {JobType} kind
 * @property {number} createdAt
 * @property {number | null} dueAt null: never completes on its own ([slow])
 * @property {number} [failCode]
 * @property {string} submitId
 * @property {string} [replyUrl]
 * @property {Promise<void>} cbChain callbacks of one job are posted in order
 * @property {number} width result size
 * @property {number} height
 * @property {number} [durationS]
 * @property {boolean} [hasAudio]
 * @property {number} [imageCount]
 * @property {string} description
 */

/**
 * @typedef {object} State
 * @property {EmulatorOptions} initial the options given to startEmulator (reset() restores them)
 * @property {ResolvedOptions} opts
 * @property {string} origin
 * @property {RecordedRequest[]} requests
 * @property {ActiveFault[]} faults
 * @property {Map<string, AccountState>} accounts
 * @property {Map<string, AssetInfo>} assets
 * @property {Map<string, FileSpec>} files
 * @property {Map<string, JobRecord>} jobs
 * @property {Map<string, JobMeta>} meta
 * @property {Record<string, number>} maxConcurrent
 * @property {CallbackRecord[]} callbacks
 * @property {number} generation bumped by reset(): late callback results of older jobs are not recorded
 * @property {boolean} closed
 * @property {Renderer} renderer
 * @property {Record<JobType, () => number>} random per kind: the nth job of a kind draws the same
 *   duration from a `[min, max]` range for the same seed, whatever the other kinds do
 */

const DEFAULT_TOKEN = 'test-token';
/** @type {SeedAccount[]} */
const DEFAULT_ACCOUNTS = [
	{ email: 'us-user@example.com', region: 'US', maxJobs: 10 },
	{ email: 'ca-user@example.com', region: 'CA', maxJobs: 10 },
	{ email: 'expired@example.com', region: 'CA', maxJobs: 10, sessionExpired: true },
];
/**
 * Job kinds with their own duration option; video upscale and interpolation run as long as videos.
 * @typedef {'video' | 'image' | 'upscale'} DurationKind
 */
/** @type {Record<DurationKind, DurationSpec>} */
const DEFAULT_DURATIONS = { video: 1500, image: 800, upscale: 800 };
const DEFAULT_SEED = 1;
/** @type {JobType[]} */
const JOB_TYPES = ['video', 'image', 'upscale', 'video-upscale', 'video-interpolate'];
const DEFAULT_JOB_TIMEOUT_MS = 3_600_000;
const DEFAULT_CREDITS = 24065;
/** The real API gives up on a replyUrl after about 10 s. */
const DEFAULT_CALLBACK_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

/**
 * @param {EmulatorOptions} options
 * @returns {ResolvedOptions}
 */
function resolveOptions(options) {
	return {
		token: options.token ?? DEFAULT_TOKEN,
		host: options.host ?? '127.0.0.1',
		port: options.port ?? 0,
		accounts: options.accounts ?? DEFAULT_ACCOUNTS,
		jobDurationMs: checkDurations({ ...DEFAULT_DURATIONS, ...(options.jobDurationMs ?? {}) }),
		seed: options.seed ?? DEFAULT_SEED,
		jobTimeoutMs: options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
		videoBytes: options.videoBytes,
		render: options.render,
		ffmpegPath: options.ffmpegPath ?? 'ffmpeg',
		callbackRetries: options.callbackRetries ?? 0,
		callbackTimeoutMs: options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
	};
}

/**
 * @template {Record<string, DurationSpec | undefined>} T
 * @param {T} durations
 * @returns {T}
 */
function checkDurations(durations) {
	for (const [kind, d] of Object.entries(durations)) {
		const ok = Array.isArray(d)
			? d.length === 2 && d.every((n) => Number.isFinite(n) && n >= 0) && d[0] <= d[1]
			: d === undefined || (Number.isFinite(d) && d >= 0);
		if (!ok)
			throw new Error(
				`jobDurationMs.${kind} must be a number of ms or [min, max] (got ${JSON.stringify(d)})`,
			);
	}
	return durations;
}

/**
 * @param {number} seed
 * @returns {Record<JobType, () => number>}
 */
const generators = (seed) =>
	/** @type {Record<JobType, () => number>} */ (
		Object.fromEntries(JOB_TYPES.map((k) => [k, seededRandom(seed ^ hash32(k))]))
	);

/**
 * How long a new job of this kind runs: the configured number, or a deterministic draw from its
 * `[min, max]` range.
 * @param {State} s
 * @param {JobType} kind
 */
function drawDuration(s, kind) {
	const spec =
		s.opts.jobDurationMs[kind.startsWith('video') ? 'video' : /** @type {DurationKind} */ (kind)];
	if (!Array.isArray(spec)) return spec;
	const [min, max] = spec;
	return min + Math.floor(s.random[kind]() * (max - min + 1));
}

/**
 * @param {EmulatorOptions} options
 * @returns {State}
 */
function createState(options) {
	const opts = resolveOptions(options);
	return {
		initial: options,
		opts,
		origin: '',
		requests: [],
		faults: [],
		accounts: new Map(),
		assets: new Map(),
		files: new Map(),
		jobs: new Map(),
		meta: new Map(),
		maxConcurrent: {},
		callbacks: [],
		generation: 0,
		closed: false,
		random: generators(opts.seed),
		renderer: new Renderer(findExecutable(opts.ffmpegPath)),
	};
}

/**
 * Options that take effect at once; new durations apply to jobs created afterwards, a new `seed`
 * restarts the duration draws, `accounts`
 * re-seeds the accounts but keeps the jobs, `host` and `port` are ignored.
 * @param {State} s
 * @param {Partial<EmulatorOptions>} partial
 */
function applyOptions(s, partial) {
	const o = s.opts;
	if (partial.token !== undefined) o.token = partial.token;
	if (partial.jobDurationMs)
		o.jobDurationMs = checkDurations({ ...o.jobDurationMs, ...partial.jobDurationMs });
	if (partial.seed !== undefined) {
		o.seed = partial.seed;
		s.random = generators(o.seed);
	}
	if (partial.jobTimeoutMs !== undefined) o.jobTimeoutMs = partial.jobTimeoutMs;
	if (partial.videoBytes !== undefined) o.videoBytes = partial.videoBytes;
	if (partial.render !== undefined) o.render = partial.render;
	if (partial.ffmpegPath !== undefined && partial.ffmpegPath !== o.ffmpegPath) {
		o.ffmpegPath = partial.ffmpegPath;
		useRenderer(s);
	}
	if (partial.callbackRetries !== undefined) o.callbackRetries = partial.callbackRetries;
	if (partial.callbackTimeoutMs !== undefined) o.callbackTimeoutMs = partial.callbackTimeoutMs;
	if (partial.accounts !== undefined) {
		o.accounts = partial.accounts;
		seedAccounts(s);
	}
}

/**
 * Back to the state right after startEmulator(); the record arrays and maps are emptied in place
 * (tests may hold them).
 * @param {State} s
 */
function resetState(s) {
	const { host, port } = s.opts;
	const ffmpegPath = s.opts.ffmpegPath;
	s.opts = { ...resolveOptions(s.initial), host, port };
	s.random = generators(s.opts.seed);
	if (s.opts.ffmpegPath !== ffmpegPath) useRenderer(s);
	else s.renderer.clear();
	s.generation++;
	s.requests.length = 0;
	s.faults.length = 0;
	s.jobs.clear();
	s.meta.clear();
	for (const k of Object.keys(s.maxConcurrent)) delete s.maxConcurrent[k];
	s.callbacks.length = 0;
	s.assets.clear();
	s.files.clear();
	seedAccounts(s);
}

/**
 * A renderer for the ffmpeg the options name (the old one's files are removed).
 * @param {State} s
 */
function useRenderer(s) {
	void s.renderer.close().catch(() => undefined);
	s.renderer = new Renderer(findExecutable(s.opts.ffmpegPath));
}

/** @param {State} s */
function seedAccounts(s) {
	s.accounts.clear();
	const now = Date.now();
	for (const seed of s.opts.accounts) {
		const state = makeAccount(seed, now);
		seedHistory(s, state, seed.historyCount, now);
		s.accounts.set(state.account, state);
	}
}

/**
 * @param {SeedAccount} seed
 * @param {number} now
 * @returns {AccountState}
 */
function makeAccount(seed, now) {
	const expired = !!seed.sessionExpired;
	const models = seed.models ?? REGION_MODELS[seed.region];
	return {
		account: seed.account ?? `${seed.region}:${seed.email}`,
		email: seed.email,
		region: seed.region,
		maxJobs: seed.maxJobs ?? 10,
		sessionExpired: expired,
		liveDataFails: !!seed.liveDataFails,
		credits: seed.credits ?? DEFAULT_CREDITS,
		models: { video: [...models.video], image: [...models.image] },
		sessionExpires: new Date(expired ? now - DAY_MS : now + 60 * DAY_MS).toISOString(),
		lastRefreshed: new Date(now - 3_600_000).toISOString(),
		history: [],
	};
}

/**
 * @param {State} s
 * @param {string} id
 * @returns {AccountState}
 */
function getAccount(s, id) {
	const a = s.accounts.get(id);
	if (!a) throw accountNotFound(id);
	return a;
}

/**
 * Jobs of an account that are still executing.
 * @param {State} s
 * @param {string} accountId
 */
function executing(s, accountId) {
	let n = 0;
	for (const [jobid, m] of s.meta)
		if (m.account === accountId && s.jobs.get(jobid)?.status === 'created') n++;
	return n;
}

/**
 * @param {State} s
 * @param {AccountState} a
 * @param {number} [maxJobs] a request's override of the account's concurrency
 */
const hasCapacity = (s, a, maxJobs) => executing(s, a.account) < (maxJobs ?? a.maxJobs);

/**
 * A random usable account, for a request that names none (and has no refs to infer it from).
 * @param {State} s
 * @param {(a: AccountState) => boolean} filter accounts that can take the request
 * @param {number | undefined} maxJobs
 * @param {string} what subject of the error when no account can take it
 * @returns {AccountState}
 */
function pickAccount(s, filter, maxJobs, what) {
	const all = [...s.accounts.values()];
	if (!all.length)
		throw new ApiError(404, 'No Dreamina accounts configured, add one with POST /accounts');
	const supporting = all.filter(filter);
	if (!supporting.length) throw bad(`${what} is not available on any configured account`);
	const live = supporting.filter((a) => !a.sessionExpired);
	if (!live.length) throw sessionExpired();
	const free = live.filter((a) => hasCapacity(s, a, maxJobs));
	if (!free.length) throw atCapacity();
	return free[randomInt(free.length)];
}

/**
 * @param {State} s
 * @param {AccountState} a
 * @param {number} [maxJobs]
 */
function ensureUsable(s, a, maxJobs) {
	if (a.sessionExpired) throw sessionExpired();
	if (!hasCapacity(s, a, maxJobs)) throw atCapacity();
}

module.exports = {
	DEFAULT_TOKEN,
	DEFAULT_ACCOUNTS,
	createState,
	drawDuration,
	applyOptions,
	resetState,
	seedAccounts,
	makeAccount,
	getAccount,
	executing,
	pickAccount,
	ensureUsable,
};
