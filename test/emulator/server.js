// @ts-check
'use strict';
/**
 * Dreamina API (useapi.net) emulator: an HTTP server on 127.0.0.1 that behaves like
 * https://api.useapi.net/v1/dreamina as useapi.net documents it (newest page wins; README names them). Node built-ins only; independent of nodes/ on purpose.
 *
 * This file starts the server and dispatches requests: `/__emulator/...` to the control API,
 * `/files/...` to result files, `/v1/dreamina/...` to the endpoints (after auth and faults).
 * See test/emulator/README.md for the contract, seeded accounts, failure triggers and controls.
 */
const http = require('node:http');

const { DreaminaEmulator } = require('./emulator');
const { ApiError, notFound } = require('./errors');
const { PREFIX, takeFault } = require('./faults');
const { authorized, faultBody, readBody, reply, sendJson } = require('./http');
const { sweep } = require('./jobs');
const { DEFAULT_ACCOUNTS, DEFAULT_TOKEN, createState, seedAccounts } = require('./state');
const { delay, safeDecode } = require('./util');
const accounts = require('./routes/accounts');
const assets = require('./routes/assets');
const videos = require('./routes/videos');
const images = require('./routes/images');
const scheduler = require('./routes/scheduler');
const { serveFile } = require('./routes/files');
const { handleControl } = require('./routes/control');

/** @typedef {import('./types').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./types').SeedAccount} SeedAccount */
/** @typedef {import('./types').RecordedRequest} RecordedRequest */
/** @typedef {import('./types').Fault} Fault */
/** @typedef {import('./types').JobType} JobType */
/** @typedef {import('./types').JobStatus} JobStatus */
/** @typedef {import('./types').JobRecord} JobRecord */
/** @typedef {import('./types').CallbackRecord} CallbackRecord */
/** @typedef {import('./types').EmulatorStats} EmulatorStats */
/** @typedef {import('./types').Emulator} Emulator */
/** @typedef {import('./state').State} State */
/** @typedef {import('./http').Ctx} Ctx */
/** @typedef {(s: State, arg: string, body: Record<string, unknown>, query: Record<string, string>) => unknown} Route */

/** Endpoints by `METHOD resource[/:x]`. @type {Record<string, Route>} */
const ROUTES = {
	'GET accounts': (s) => accounts.listAccounts(s),
	'POST accounts': (s, _a, body) => accounts.addAccount(s, body),
	'GET accounts/:x': (s, id) => accounts.showAccount(s, id),
	'DELETE accounts/:x': (s, id) => accounts.deleteAccount(s, id),
	'GET assets/:x': (s, id, _b, query) => assets.history(s, id, query),
	'DELETE assets/:x': (s, id) => assets.deleteAsset(s, id),
	'POST videos': (s, _a, body) => videos.createVideo(s, body),
	'POST videos/full-quality': (s, _a, body) => videos.enhance['full-quality'](s, body),
	'POST videos/upscale': (s, _a, body) => videos.enhance.upscale(s, body),
	'POST videos/interpolate': (s, _a, body) => videos.enhance.interpolate(s, body),
	'GET videos/:x': (s, jobid) => videos.getVideo(s, jobid),
	'POST images': (s, _a, body) => images.createImage(s, body),
	'POST images/upscale': (s, _a, body) => images.createUpscale(s, body),
	'GET images/:x': (s, jobid) => images.getImage(s, jobid),
	'GET scheduler': (s) => scheduler.listExecuting(s),
	'DELETE scheduler/:x': (s, jobid) => scheduler.cancel(s, jobid),
};

/**
 * @param {string} method
 * @param {string[]} parts path segments after /v1/dreamina
 * @returns {Route}
 */
function findRoute(method, parts) {
	const [resource, arg, ...rest] = parts;
	if (rest.length) throw notFound();
	const exact = arg !== undefined ? ROUTES[`${method} ${resource}/${arg}`] : undefined;
	const route = exact ?? ROUTES[`${method} ${resource}${arg !== undefined ? '/:x' : ''}`];
	if (!route) throw notFound();
	return route;
}

/**
 * @param {string} rawUrl
 */
function parseUrl(rawUrl) {
	const q = rawUrl.indexOf('?');
	const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
	const segments = rawPath.split('/').map(safeDecode);
	/** @type {Record<string, string>} */
	const query = {};
	for (const [k, v] of new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '')) query[k] = v;
	return { rawPath, segments, path: segments.join('/'), query };
}

/**
 * A fault that acts before handling: delay, then drop or answer with its status. Returns true when
 * the request was answered (or dropped) by the fault. An afterHandling fault is kept for the reply.
 * @param {Ctx} ctx
 * @param {import('./faults').ActiveFault} fault
 * @param {boolean} isUpload
 */
async function applyFaultBefore(ctx, fault, isUpload) {
	if (fault.afterHandling) {
		ctx.fault = fault;
		return false;
	}
	if (fault.delayMs) await delay(fault.delayMs);
	if (!fault.drop && fault.status === undefined) return false;
	await readBody(ctx, isUpload ? 'count' : 'parse').catch(() => undefined);
	if (fault.drop) ctx.req.socket.destroy();
	else sendJson(ctx, fault.status ?? 500, faultBody(fault));
	return true;
}

/**
 * @param {Ctx} ctx
 * @param {string} method
 * @param {string[] | undefined} apiParts
 * @param {Record<string, string>} query
 */
async function handleApi(ctx, method, apiParts, query) {
	if (!apiParts) {
		await readBody(ctx, 'count');
		throw notFound();
	}
	if (!authorized(ctx.req, ctx.s.opts.token)) {
		await readBody(ctx, 'count');
		throw new ApiError(401, 'Unauthorized');
	}
	if (method === 'POST' && apiParts[0] === 'assets' && apiParts.length === 2) {
		await assets.upload(ctx, apiParts[1]);
		return;
	}
	const body = await readBody(ctx, 'parse');
	const result = findRoute(method, apiParts)(ctx.s, apiParts[1], body, query);
	await reply(ctx, 200, result);
}

/**
 * @param {DreaminaEmulator} emu
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function dispatch(emu, req, res) {
	const s = emu.state;
	const method = (req.method ?? 'GET').toUpperCase();
	const { rawPath, segments, path, query } = parseUrl(req.url ?? '/');
	if (path === '/__emulator' || path.startsWith('/__emulator/'))
		return handleControl(
			emu,
			req,
			res,
			method,
			segments.slice(2).filter((x) => x !== ''),
		);
	const contentType = req.headers['content-type'];
	/** @type {RecordedRequest} */
	const rec = {
		method,
		path,
		rawPath,
		query,
		headers: { ...req.headers },
		bodyBytes: 0,
		contentType,
		time: Date.now(),
	};
	s.requests.push(rec);
	sweep(s);
	/** @type {Ctx} */
	const ctx = { s, req, res, rec };
	const inApi = path === PREFIX || path.startsWith(`${PREFIX}/`);
	const apiParts = inApi ? segments.slice(3) : undefined;
	while (apiParts?.length && apiParts[apiParts.length - 1] === '') apiParts.pop();
	const isUpload = method === 'POST' && apiParts?.[0] === 'assets' && apiParts.length === 2;
	const fault = takeFault(s.faults, method, path);
	if (fault && (await applyFaultBefore(ctx, fault, isUpload))) return;
	try {
		if (path.startsWith('/files/')) {
			await readBody(ctx, 'count');
			await serveFile(ctx, method, segments.slice(2).join('/'));
		} else await handleApi(ctx, method, apiParts, query);
	} catch (e) {
		const known = e instanceof ApiError;
		const message = known
			? e.message
			: `Emulator internal error: ${/** @type {Error} */ (e)?.message ?? e}`;
		await reply(ctx, known ? e.status : 500, { error: message });
	}
}

/**
 * @param {http.ServerResponse} res
 * @param {unknown} e
 */
function internalError(res, e) {
	try {
		if (res.headersSent) return void res.destroy();
		res.writeHead(500, { 'Content-Type': 'application/json' });
		res.end(
			JSON.stringify({
				error: `Emulator internal error: ${/** @type {Error} */ (e)?.message ?? e}`,
			}),
		);
	} catch {
		/* the socket is gone */
	}
}

/**
 * @param {http.Server} server
 * @param {string} host
 * @param {number} port
 * @returns {Promise<string>} the origin
 */
async function listen(server, host, port) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
	const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
	return `http://${h}:${addr.port}`;
}

/**
 * Start the emulator; resolves once it is listening.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
async function startEmulator(options = {}) {
	const state = createState(options);
	/** @type {NodeJS.Timeout | undefined} */
	let ticker;
	const server = http.createServer((req, res) => {
		dispatch(emu, req, res).catch((e) => internalError(res, e));
	});
	server.keepAliveTimeout = 5000;
	const emu = new DreaminaEmulator(state, server, () => clearInterval(ticker));
	state.origin = await listen(server, state.opts.host, state.opts.port);
	emu.origin = state.origin;
	emu.baseUrl = `${state.origin}${PREFIX}`;
	seedAccounts(state);
	ticker = setInterval(() => sweep(state), 20);
	ticker.unref();
	return emu;
}

module.exports = { startEmulator, DEFAULT_ACCOUNTS, DEFAULT_TOKEN, delay };
