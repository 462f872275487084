// @ts-check
'use strict';
/** Seeded generation history of an account (GET /assets/{account}): newest first, every third a video. */
const { randDigits, hex } = require('./util');
const { addMp4, addPng, fileUrl } = require('./files');

/** @typedef {import('./state').State} State */
/** @typedef {import('./state').AccountState} AccountState */
/** @typedef {import('./state').HistoryAsset} HistoryAsset */

const DEFAULT_HISTORY = 25;
const HOUR_MS = 3_600_000;

/**
 * @param {State} s
 * @param {AccountState} acct
 * @param {number | undefined} count default 25
 * @param {number} now
 */
function seedHistory(s, acct, count = DEFAULT_HISTORY, now) {
	for (let i = 0; i < count; i++) {
		const base = {
			historyRecordId: randDigits(12),
			itemId: randDigits(19),
			createdAt: new Date(now - (i + 1) * HOUR_MS).toISOString(),
		};
		const entry = i % 3 === 2 ? seededVideo(s, acct, i, base) : seededImage(s, acct, i, base);
		acct.history.push(entry);
	}
}

/**
 * @param {State} s
 * @param {AccountState} acct
 * @param {number} i
 * @param {{ historyRecordId: string; itemId: string; createdAt: string }} base
 * @returns {HistoryAsset}
 */
function seededVideo(s, acct, i, base) {
	const vid = base.itemId;
	const caption = {
		title: `Seeded video #${i + 1}`,
		details: 'generation history · 5 s · 1280x720',
	};
	addMp4(s, `${vid}.mp4`, { durationMs: 5042, width: 1280, height: 720 }, caption);
	addPng(s, `${vid}-cover.png`, { width: 1280, height: 720 }, i, caption);
	return {
		...base,
		assetId: `${acct.account}-${base.historyRecordId}:${base.itemId}`,
		type: 'video',
		coverUrl: fileUrl(s, `${vid}-cover.png`),
		description: `Seeded video #${i + 1}`,
		videoUrl: fileUrl(s, `${vid}.mp4`),
		width: 1280,
		height: 720,
	};
}

/**
 * @param {State} s
 * @param {AccountState} acct
 * @param {number} i
 * @param {{ historyRecordId: string; itemId: string; createdAt: string }} base
 * @returns {HistoryAsset}
 */
function seededImage(s, acct, i, base) {
	const name = `${hex(24)}.png`;
	const caption = { title: `Seeded image #${i + 1}`, details: 'generation history · 2560x1440' };
	const size = addPng(s, name, { width: 2560, height: 1440 }, i, caption);
	const assetRef = `${acct.account}-image:w2560:h1440:s${size}-uri:tos-emu-i-${hex(10)}/${hex(32)}`;
	s.assets.set(assetRef, {
		assetRef,
		account: acct.account,
		kind: 'image',
		width: 2560,
		height: 1440,
		size,
	});
	return {
		...base,
		assetId: `${acct.account}-${base.historyRecordId}:${base.itemId}`,
		type: 'image',
		coverUrl: fileUrl(s, name),
		description: `Seeded image #${i + 1}`,
		assetRef,
		imageUrl: fileUrl(s, name),
		width: 2560,
		height: 1440,
		format: 'png',
	};
}

module.exports = { seedHistory };
