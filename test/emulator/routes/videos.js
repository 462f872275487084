// @ts-check
'use strict';
/** POST /videos, /videos/full-quality, /videos/upscale, /videos/interpolate; GET /videos/{jobid}. */
const { createJob, getJob } = require('../jobs');
const { planVideo } = require('../validation/video');
const { planFullQuality, planVideoUpscale, planInterpolate } = require('../validation/enhance');

/** @typedef {import('../state').State} State */

/**
 * @param {State} s
 * @param {Record<string, unknown>} body
 */
const createVideo = (s, body) => createJob(s, 'video', planVideo(s, body));

/**
 * @param {State} s
 * @param {string} jobid
 */
const getVideo = (s, jobid) => getJob(s, jobid, ['video', 'video-upscale', 'video-interpolate']);

/** @type {Record<string, (s: State, body: Record<string, unknown>) => unknown>} */
const enhance = {
	'full-quality': (s, body) => createJob(s, 'video-full-quality', planFullQuality(s, body)),
	upscale: (s, body) => createJob(s, 'video-upscale', planVideoUpscale(s, body)),
	interpolate: (s, body) => createJob(s, 'video-interpolate', planInterpolate(s, body)),
};

module.exports = { createVideo, getVideo, enhance };
