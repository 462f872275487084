// @ts-check
'use strict';
/** The Emulator object that startEmulator() returns: what tests inspect and control. */
const { activate } = require('./faults');
const { planForeignJob } = require('./foreign-jobs');
const jobs = require('./jobs');
const { rendering } = require('./files');
const { applyOptions, resetState } = require('./state');

/** @typedef {import('node:http').Server} Server */
/** @typedef {import('./state').State} State */
/** @typedef {import('./types').Emulator} Emulator */
/** @typedef {import('./types').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./types').EmulatorStats} EmulatorStats */
/** @typedef {import('./types').Fault} Fault */
/** @typedef {import('./types').ForeignJobInput} ForeignJobInput */
/** @typedef {import('./types').JobRecord} JobRecord */
/** @typedef {import('./types').JobTiming} JobTiming */

/** @implements {Emulator} */
class DreaminaEmulator {
	/**
	 * @param {State} state
	 * @param {Server} server
	 * @param {() => void} stopTimers
	 */
	constructor(state, server, stopTimers) {
		this.state = state;
		this.server = server;
		this.stopTimers = stopTimers;
		this.baseUrl = '';
		this.origin = '';
		this.requests = state.requests;
		this.jobs = state.jobs;
		this.maxConcurrent = state.maxConcurrent;
		this.callbacks = state.callbacks;
	}

	get token() {
		return this.state.opts.token;
	}

	clearRequests() {
		this.state.requests.length = 0;
	}

	/** @param {Fault} fault */
	injectFault(fault) {
		this.state.faults.push(activate(fault));
	}

	clearFaults() {
		this.state.faults.length = 0;
	}

	/** @param {string} jobid */
	completeJob(jobid) {
		jobs.finishOk(this.state, jobs.mustBeCreated(this.state, jobid));
	}

	/**
	 * @param {string[]} jobids
	 * @returns {JobRecord[]}
	 */
	completeJobs(jobids) {
		return jobs.completeJobs(this.state, jobids);
	}

	/**
	 * @param {string} jobid
	 * @param {number} code
	 */
	failJob(jobid, code) {
		jobs.finishFail(this.state, jobs.mustBeCreated(this.state, jobid), code);
	}

	/**
	 * @param {ForeignJobInput} input
	 * @returns {JobRecord}
	 */
	createJob(input) {
		return jobs.createJob(this.state, input.type, planForeignJob(this.state, input));
	}

	/**
	 * @param {string} jobid
	 * @returns {JobTiming}
	 */
	jobTiming(jobid) {
		return jobs.jobTiming(this.state, jobid);
	}

	get rendering() {
		return rendering(this.state);
	}

	/** @param {Partial<EmulatorOptions>} partial */
	setOptions(partial) {
		applyOptions(this.state, partial);
	}

	/** Back to the state right after startEmulator(): initial options, seeded accounts, nothing recorded. */
	reset() {
		resetState(this.state);
	}

	/** @returns {EmulatorStats} */
	stats() {
		/** @type {Record<string, number>} */
		const executing = {};
		for (const [jobid, job] of this.state.jobs) {
			const account = this.state.meta.get(jobid)?.account;
			if (job.status !== 'created' || !account) continue;
			executing[account] = (executing[account] ?? 0) + 1;
		}
		const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
		return {
			maxConcurrent: { ...this.state.maxConcurrent },
			executing,
			jobs: this.state.jobs.size,
			requests: this.state.requests.length,
			memory: { rss, heapUsed, external, arrayBuffers },
			renders: this.state.renderer.stats(),
		};
	}

	async close() {
		if (this.state.closed) return;
		this.state.closed = true;
		this.stopTimers();
		await new Promise((resolve) => {
			this.server.close(() => resolve(undefined));
			this.server.closeAllConnections();
		});
		await this.state.renderer.close();
	}
}

module.exports = { DreaminaEmulator };
