// @ts-check
'use strict';
/** POST /videos and GET /videos/{jobid}. */
const { createJob, getJob } = require('../jobs');
const { planVideo } = require('../validation/video');

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
const getVideo = (s, jobid) => getJob(s, jobid, ['video']);

module.exports = { createVideo, getVideo };
