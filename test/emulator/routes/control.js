// @ts-check
'use strict';
/**
 * The control API, `/__emulator/...` (no auth, not recorded): the Emulator object's controls over
 * HTTP, for tests that run the emulator in another process (test/emulator/cli.js).
 */
const { ApiError } = require('../errors');
const { faultFromJson } = require('../faults');
const { writeJson } = require('../http');
const { sweep } = require('../jobs');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('../emulator').DreaminaEmulator} Emulator */
/** @typedef {import('../types').EmulatorOptions} EmulatorOptions */
/** @typedef {import('../types').ForeignJobInput} ForeignJobInput */
/** @typedef {{ status: number; body: unknown }} Answer */
/** @typedef {(emu: Emulator, body: Record<string, unknown>, parts: string[]) => Answer} Handler */

/** @param {unknown} body */
const ok = (body) => ({ status: 200, body });
/** @param {number} status @param {string} error */
const fail = (status, error) => ({ status, body: { error } });

/** @type {Record<string, Handler>} */
const ROUTES = {
	'GET requests': (emu) => ok(emu.requests),
	'DELETE requests': (emu) => (emu.clearRequests(), ok({ cleared: true })),
	'POST faults': (emu, body) => {
		emu.injectFault(faultFromJson(body));
		return ok({ added: true, faults: emu.state.faults.length });
	},
	'DELETE faults': (emu) => (emu.clearFaults(), ok({ cleared: true })),
	'GET jobs': (emu) => (sweep(emu.state), ok([...emu.jobs.values()])),
	'POST jobs': (emu, body) => ok(emu.createJob(/** @type {ForeignJobInput} */ (body))),
	'POST jobs/complete': (emu, body) => {
		if (!Array.isArray(body.jobids)) return fail(400, 'jobids (an array) is required');
		const jobids = body.jobids.map(String);
		const notCreated = jobids.filter((id) => emu.jobs.get(id)?.status !== 'created');
		if (notCreated.length) return fail(409, `Not created (or unknown): ${notCreated.join(', ')}`);
		return ok(emu.completeJobs(jobids));
	},
	'GET jobs/:id/timing': (emu, _body, [, jobid]) =>
		emu.jobs.has(jobid) ? ok(emu.jobTiming(jobid)) : fail(404, 'Job not found'),
	'POST jobs/:id/complete': (emu, _body, [, jobid]) =>
		whenCreated(emu, jobid, () => emu.completeJob(jobid)),
	'POST jobs/:id/fail': (emu, body, [, jobid]) =>
		whenCreated(emu, jobid, () => emu.failJob(jobid, Number(body.code ?? 2057))),
	'GET callbacks': (emu) => ok(emu.callbacks),
	'GET stats': (emu) => ok(emu.stats()),
	'POST reset': (emu) => (emu.reset(), ok({ reset: true })),
	'POST options': (emu, body) => {
		emu.setOptions(/** @type {Partial<EmulatorOptions>} */ (body));
		return ok({ ok: true });
	},
};

/**
 * @param {Emulator} emu
 * @param {string} jobid
 * @param {() => void} action
 * @returns {Answer}
 */
function whenCreated(emu, jobid, action) {
	const job = emu.jobs.get(jobid);
	if (!job) return fail(404, 'Job not found');
	if (job.status !== 'created') return fail(409, `Job is ${job.status}, not created`);
	action();
	return ok(job);
}

/**
 * The route key of a control path: `jobs/{jobid}/complete` → `jobs/:id/complete`.
 * @param {string} method
 * @param {string[]} parts
 */
function routeKey(method, parts) {
	if (parts[0] === 'jobs' && parts.length === 3) return `${method} jobs/:id/${parts[2]}`;
	return `${method} ${parts.join('/')}`;
}

/**
 * @param {IncomingMessage} req
 * @returns {Promise<Record<string, unknown> | undefined>} undefined: not JSON
 */
async function readJson(req) {
	/** @type {Buffer[]} */
	const chunks = [];
	for await (const c of req) chunks.push(/** @type {Buffer} */ (c));
	if (!chunks.length) return {};
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		return undefined;
	}
}

/**
 * @param {Emulator} emu
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} method
 * @param {string[]} parts path segments after /__emulator
 */
async function handleControl(emu, req, res, method, parts) {
	const body = await readJson(req);
	if (!body) return writeJson(res, 400, { error: 'Invalid JSON body' });
	const handler = ROUTES[routeKey(method, parts)];
	if (!handler) return writeJson(res, 404, { error: 'Unknown emulator control route' });
	try {
		const answer = handler(emu, body, parts);
		writeJson(res, answer.status, answer.body);
	} catch (e) {
		const status = e instanceof ApiError ? e.status : 500;
		writeJson(res, status, { error: /** @type {Error} */ (e).message });
	}
}

module.exports = { handleControl };
