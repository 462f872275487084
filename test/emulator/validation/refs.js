// @ts-check
'use strict';
/** Asset refs in generation requests: their format, kind, owner account and existence. */
const { bad } = require('../errors');
const { getAccount } = require('../state');

/** @typedef {import('../state').State} State */
/** @typedef {import('../types').AssetKind} AssetKind */

/**
 * @typedef {object} ParsedRef
 * @property {string} param the parameter that carried it
 * @property {string} ref
 * @property {string} account
 * @property {AssetKind} kind
 * @property {number} width
 * @property {number} height
 * @property {number} size
 * @property {number} [durationMs]
 */

const REF_RE = /^(.+?:.+)-(image|video|audio):w(\d+):h(\d+):s(\d+)(?::d(\d+))?-(uri|vid):(.+)$/;

/**
 * @param {string} param
 * @param {string} ref
 * @returns {ParsedRef}
 */
function parseRef(param, ref) {
	const m = REF_RE.exec(ref);
	if (!m) throw bad(`Parameter ${param} (${ref}) is not a valid assetRef`);
	return {
		param,
		ref,
		account: m[1],
		kind: /** @type {AssetKind} */ (m[2]),
		width: Number(m[3]),
		height: Number(m[4]),
		size: Number(m[5]),
		durationMs: m[6] !== undefined ? Number(m[6]) : undefined,
	};
}

/**
 * @param {ParsedRef} r
 * @param {AssetKind} want
 */
function checkKind(r, want) {
	if (r.kind !== want)
		throw bad(
			`Parameter ${r.param} must be ${want === 'image' ? 'an' : 'a'} ${want} assetRef (got ${r.kind})`,
		);
}

/**
 * Resolve refs to one account; verify kind, ownership and existence. Returns the account the
 * request names or the refs imply (undefined: none).
 * @param {State} s
 * @param {Array<ParsedRef & { expected: AssetKind }>} refs
 * @param {string | undefined} explicitAccount
 * @returns {string | undefined}
 */
function checkRefs(s, refs, explicitAccount) {
	for (const r of refs) checkKind(r, r.expected);
	const owners = [...new Set(refs.map((r) => r.account))];
	if (owners.length > 1)
		throw bad(`All asset refs must belong to the same account (found: ${owners.join(', ')})`);
	const refAccount = owners[0];
	if (explicitAccount && refAccount && explicitAccount !== refAccount) {
		throw bad(
			`Parameter account (${explicitAccount}) does not match the account of the asset refs (${refAccount})`,
		);
	}
	const accountId = explicitAccount ?? refAccount;
	if (accountId) getAccount(s, accountId);
	for (const r of refs) {
		if (!s.assets.has(r.ref))
			throw bad(
				`Parameter ${r.param} (${r.ref}) not found: upload it with POST /assets/${r.account} or use an assetRef from a completed job`,
			);
	}
	return accountId;
}

module.exports = { parseRef, checkRefs };
