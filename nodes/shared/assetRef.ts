import type { AssetKind, Region } from './capabilities';
import { REGIONS, VIDEO_RATIOS } from './capabilities';

export interface ParsedAssetRef {
	account: string;
	region: string;
	kind: AssetKind;
	width?: number;
	height?: number;
	size?: number;
	durationMs?: number;
}

/**
 * Reads what an assetRef says about itself. Formats (POST /assets, 2026-04-03):
 *   <account>-image:w<W>:h<H>:s<size>-uri:<uri>
 *   <account>-video:w<W>:h<H>:s<size>:d<ms>-vid:<id>     (audio likewise with -audio:)
 * The account is REGION:email. Returns undefined for anything else (refs are then passed on unchecked).
 */
const ASSET_REF =
	/^([A-Z]{2}):(\S+?)-(image|video|audio):w(\d+):h(\d+):s(\d+)(?::d(\d+))?-(?:uri|vid):\S+$/;

export function parseAssetRef(ref: string): ParsedAssetRef | undefined {
	const match = ASSET_REF.exec(ref.trim());
	if (!match) return undefined;
	const [, region, email, kind, w, h, s, d] = match;
	return {
		account: `${region}:${email}`,
		region,
		kind: kind as AssetKind,
		width: Number(w),
		height: Number(h),
		size: Number(s),
		durationMs: d === undefined ? undefined : Number(d),
	};
}

/** The account part of an assetRef, also for refs whose tail is not understood. */
export function accountOfRef(ref: string): string | undefined {
	const parsed = parseAssetRef(ref);
	if (parsed) return parsed.account;
	const match = /^([A-Z]{2}:[^\s@]+@[^\s-]+(?:-[^\s-]+)*?)-(?:image|video|audio):/.exec(ref.trim());
	return match?.[1];
}

export function regionOfAccount(account: string | undefined): Region | undefined {
	const region = account?.split(':')[0];
	return REGIONS.find((r) => r === region);
}

/** The video ratios as numbers: "16:9" → 16 / 9. */
const STANDARD_RATIOS: Array<[string, number]> = VIDEO_RATIOS.map((ratio) => {
	const [width, height] = ratio.split(':').map(Number);
	return [ratio, width / height];
});

/** The standard video ratio closest to an image's shape (what the API derives from frame images). */
export function closestVideoRatio(width: number, height: number): string {
	const actual = Math.log(width / height);
	let best = STANDARD_RATIOS[0];
	for (const candidate of STANDARD_RATIOS) {
		if (Math.abs(Math.log(candidate[1]) - actual) < Math.abs(Math.log(best[1]) - actual)) {
			best = candidate;
		}
	}
	return best[0];
}
