// @ts-check
'use strict';
/**
 * What a completed job produces: its `response` (URLs of the result files, sizes, ids), the files
 * themselves (registered by name), reusable assetRefs for images, and the account's history entries.
 */
const { randDigits, hex } = require('./util');
const { addMp4, addPng, fileUrl } = require('./files');
const { randomInt } = require('node:crypto');

/** @typedef {import('./state').State} State */
/** @typedef {import('./state').JobMeta} JobMeta */
/** @typedef {import('./state').HistoryAsset} HistoryAsset */
/** @typedef {import('./types').JobRecord} JobRecord */

/**
 * @typedef {object} Result
 * @property {Record<string, unknown>} response
 * @property {HistoryAsset[]} history newest first
 */

/**
 * @param {State} s
 * @param {JobRecord} job
 * @param {JobMeta} m
 * @param {number} now
 * @returns {Result}
 */
function videoResult(s, job, m, now) {
	const historyRecordId = randDigits(12);
	const videoId = randDigits(19);
	const durationMs = (m.durationS ?? 5) * 1000 + 42;
	const dims = { width: m.width, height: m.height };
	const caption = {
		title: m.description,
		details: `${job.model} · ${m.durationS ?? 5} s · ${m.width}x${m.height}`,
	};
	addMp4(s, `${videoId}.mp4`, { ...dims, durationMs, hasAudio: m.hasAudio }, caption);
	addPng(s, `${videoId}-cover.png`, dims, randomInt(1000), caption);
	const assetId = `${m.account}-${historyRecordId}:${videoId}`;
	const videoUrl = fileUrl(s, `${videoId}.mp4`);
	const coverUrl = fileUrl(s, `${videoId}-cover.png`);
	const response = {
		assetId,
		videoUrl,
		videoId,
		coverUrl,
		...dims,
		durationMs,
		hasAudio: !!m.hasAudio,
		...(job.request.fps !== undefined ? { fps: job.request.fps } : {}),
		forecastCost: Number(job.response?.forecastCost ?? 0),
		finishTime: Math.floor(now / 1000),
	};
	/** @type {HistoryAsset} */
	const entry = {
		assetId,
		historyRecordId,
		itemId: videoId,
		type: 'video',
		coverUrl,
		description: m.description,
		videoUrl,
		...dims,
		createdAt: new Date(now).toISOString(),
	};
	return { response, history: [entry] };
}

/**
 * @param {State} s
 * @param {JobRecord} job
 * @param {JobMeta} m
 * @param {number} now
 * @returns {Result}
 */
function imageResult(s, job, m, now) {
	const historyRecordId = randDigits(12);
	const images = [];
	const history = [];
	const count = m.imageCount ?? 1;
	for (let i = 0; i < count; i++) {
		const which = job.type === 'upscale' ? 'upscaled' : `image ${i + 1} of ${count}`;
		const caption = {
			title: m.description,
			details: `${job.model} · ${which} · ${m.width}x${m.height}`,
		};
		const image = oneImage(s, m, historyRecordId, caption);
		images.push(image);
		history.push({
			assetId: image.assetId,
			historyRecordId,
			itemId: image.itemId,
			type: /** @type {const} */ ('image'),
			coverUrl: image.imageUrl,
			description: m.description,
			assetRef: image.assetRef,
			imageUrl: image.imageUrl,
			width: m.width,
			height: m.height,
			format: 'png',
			createdAt: new Date(now).toISOString(),
		});
	}
	const forecastCost = Number(job.response?.forecastCost ?? 0);
	return {
		response: { images, forecastCost, historyRecordId, finishTime: Math.floor(now / 1000) },
		history,
	};
}

/**
 * One result image: its file, and an assetRef that later requests may use.
 * @param {State} s
 * @param {JobMeta} m
 * @param {string} historyRecordId
 * @param {import('./files').Caption} caption
 */
function oneImage(s, m, historyRecordId, caption) {
	const fileId = hex(24);
	const dims = { width: m.width, height: m.height };
	const size = addPng(s, `${fileId}.png`, dims, randomInt(1000), caption);
	const itemId = randDigits(19);
	const imageUri = `tos-emu-i-${hex(10)}/${fileId}`;
	const assetRef = `${m.account}-image:w${m.width}:h${m.height}:s${size}-uri:${imageUri}`;
	s.assets.set(assetRef, { assetRef, account: m.account, kind: 'image', ...dims, size });
	return {
		imageUrl: fileUrl(s, `${fileId}.png`),
		imageUri,
		...dims,
		format: 'png',
		assetId: `${m.account}-${historyRecordId}:${itemId}`,
		assetRef,
		itemId,
	};
}

module.exports = { videoResult, imageResult };
