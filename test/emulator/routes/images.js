// @ts-check
'use strict';
/** POST /images, POST /images/upscale and GET /images/{jobid} (image and upscale jobs). */
const { createJob, getJob } = require('../jobs');
const { planImage, planUpscale } = require('../validation/image');

/** @typedef {import('../state').State} State */

/**
 * @param {State} s
 * @param {Record<string, unknown>} body
 */
const createImage = (s, body) => createJob(s, 'image', planImage(s, body));

/**
 * @param {State} s
 * @param {Record<string, unknown>} body
 */
const createUpscale = (s, body) => createJob(s, 'upscale', planUpscale(s, body));

/**
 * @param {State} s
 * @param {string} jobid
 */
const getImage = (s, jobid) => getJob(s, jobid, ['image', 'upscale']);

module.exports = { createImage, createUpscale, getImage };
