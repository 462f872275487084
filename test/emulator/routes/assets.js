// @ts-check
'use strict';
/**
 * POST /assets/{account} (raw upload: streamed, probed, never held in memory),
 * GET /assets/{account} (history, paged) and DELETE /assets/{assetId}.
 */
const C = require('../catalog');
const { MediaProbe } = require('../media');
const { bad, accountNotFound, notFound, sessionExpired } = require('../errors');
const { readBody, reply } = require('../http');
const { getAccount } = require('../state');
const { hex, mb, randStr, secs } = require('../util');
const { optNumber } = require('../validation/params');

/** @typedef {import('../state').State} State */
/** @typedef {import('../state').AccountState} AccountState */
/** @typedef {import('../state').AssetInfo} AssetInfo */
/** @typedef {import('../http').Ctx} Ctx */
/** @typedef {import('../media').MediaInfo} MediaInfo */

/**
 * @param {Ctx} ctx
 * @param {string} accountId
 */
async function upload(ctx, accountId) {
	const type = (ctx.rec.contentType ?? '').split(';')[0].trim().toLowerCase();
	const kind = C.UPLOAD_TYPES.find(([t]) => t === type)?.[1];
	const probe = kind ? new MediaProbe(kind) : undefined;
	await readBody(ctx, 'count', probe);
	const acct = getAccount(ctx.s, accountId);
	if (!kind || !probe)
		throw bad(
			`Content-Type (${type || 'none'}) not supported. Valid values: ${C.UPLOAD_TYPES.map(([t]) => t).join(', ')}`,
		);
	const size = ctx.rec.bodyBytes;
	if (size === 0) throw bad('Content is empty');
	if (size > C.UPLOAD_MAX_MB[kind] * 1024 * 1024)
		throw bad(`${kind} exceeds ${C.UPLOAD_MAX_MB[kind]}MB limit (${mb(size)})`);
	const info = probe.result();
	const { asset, out } =
		kind === 'image'
			? imageAsset(acct, info, size)
			: kind === 'video'
				? videoAsset(acct, info, size)
				: audioAsset(acct, info, size);
	if (acct.sessionExpired) throw sessionExpired();
	ctx.s.assets.set(asset.assetRef, asset);
	await reply(ctx, 200, out);
}

/**
 * @param {AccountState} acct
 * @param {MediaInfo} info
 * @param {number} size
 */
function imageAsset(acct, info, size) {
	const width = info.width || 1024;
	const height = info.height || 1024;
	const uri = `tos-emu-i-${hex(10)}/${hex(32)}`;
	const assetRef = `${acct.account}-image:w${width}:h${height}:s${size}-uri:${uri}`;
	/** @type {AssetInfo} */
	const asset = { assetRef, account: acct.account, kind: 'image', width, height, size };
	return { asset, out: { assetRef, account: acct.account, width, height, size } };
}

/**
 * @param {AccountState} acct
 * @param {MediaInfo} info
 * @param {number} size
 */
function videoAsset(acct, info, size) {
	const width = info.width || 1280;
	const height = info.height || 720;
	const durationMs = info.durationMs || 5000;
	if (durationMs > C.VIDEO_UPLOAD_MAX_MS)
		throw bad(`Video duration ${secs(durationMs)} exceeds ${secs(C.VIDEO_UPLOAD_MAX_MS)} limit`);
	if (durationMs < C.VIDEO_UPLOAD_MIN_MS)
		throw bad(`Video duration ${secs(durationMs)} is below ${secs(C.VIDEO_UPLOAD_MIN_MS)} minimum`);
	for (const px of [width, height]) {
		if (px < C.VIDEO_UPLOAD_MIN_PX || px > C.VIDEO_UPLOAD_MAX_PX)
			throw bad(
				`Video resolution ${width}x${height} out of range (${C.VIDEO_UPLOAD_MIN_PX}-${C.VIDEO_UPLOAD_MAX_PX}px)`,
			);
	}
	const assetRef = `${acct.account}-video:w${width}:h${height}:s${size}:d${durationMs}-vid:v10${randStr(29)}`;
	/** @type {AssetInfo} */
	const asset = { assetRef, account: acct.account, kind: 'video', width, height, size, durationMs };
	const out = {
		assetRef,
		account: acct.account,
		type: 'video',
		width,
		height,
		duration: durationMs,
		size,
	};
	return { asset, out };
}

/**
 * @param {AccountState} acct
 * @param {MediaInfo} info
 * @param {number} size
 */
function audioAsset(acct, info, size) {
	const durationMs = info.durationMs || 5000;
	if (durationMs > C.AUDIO_UPLOAD_MAX_MS)
		throw bad(`Audio duration ${secs(durationMs)} exceeds ${secs(C.AUDIO_UPLOAD_MAX_MS)} limit`);
	if (durationMs < C.AUDIO_UPLOAD_MIN_MS)
		throw bad(`Audio duration ${secs(durationMs)} is below ${secs(C.AUDIO_UPLOAD_MIN_MS)} minimum`);
	// the documented audio sample carries w480:h360 (upstream placeholder cover)
	const assetRef = `${acct.account}-audio:w480:h360:s${size}:d${durationMs}-vid:v10${randStr(29)}`;
	/** @type {AssetInfo} */
	const asset = {
		assetRef,
		account: acct.account,
		kind: 'audio',
		width: 480,
		height: 360,
		size,
		durationMs,
	};
	return {
		asset,
		out: { assetRef, account: acct.account, type: 'audio', duration: durationMs, size },
	};
}

/**
 * @param {State} s
 * @param {string} accountId
 * @param {Record<string, string>} query
 */
function history(s, accountId, query) {
	const acct = getAccount(s, accountId);
	const count = optNumber(query, 'count', 1, 100, true) ?? 20;
	const offset = optNumber(query, 'offset', 0, Number.MAX_SAFE_INTEGER, true) ?? 0;
	if (acct.sessionExpired) throw sessionExpired();
	const hasMore = offset + count < acct.history.length;
	/** @type {Record<string, unknown>} */
	const out = { assets: acct.history.slice(offset, offset + count), hasMore };
	if (hasMore) out.nextOffset = offset + count;
	out.account = acct.account;
	return out;
}

/**
 * @param {State} s
 * @param {string} assetId
 */
function deleteAsset(s, assetId) {
	for (const acct of s.accounts.values()) {
		const i = acct.history.findIndex((h) => h.assetId === assetId);
		if (i < 0) continue;
		if (acct.sessionExpired) throw sessionExpired();
		acct.history.splice(i, 1);
		return { deleted: true, assetId, account: acct.account };
	}
	if (![...s.accounts.keys()].some((k) => assetId.startsWith(`${k}-`))) {
		const m = /^(.+?:.+)-\d+:\d+$/.exec(assetId);
		throw accountNotFound(m ? m[1] : assetId);
	}
	throw notFound(`Asset ${assetId} not found`);
}

module.exports = { upload, history, deleteAsset };
