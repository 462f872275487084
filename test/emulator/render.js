// @ts-check
'use strict';
/**
 * Result files a person can open: with ffmpeg, a result video is a short H.264 clip (the job's
 * aspect ratio, small) and a result picture a PNG, both showing the prompt, the model and (for
 * videos) the duration. Rendering runs in child processes (two at a time), only when a file is
 * first requested, and is cached per file; a failed render leaves the synthetic file in place.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');

const { hash32 } = require('./util');

/**
 * What to draw.
 * @typedef {object} RenderSpec
 * @property {string} key unique per file (its name), also the cache key
 * @property {'video' | 'image'} kind
 * @property {number} width nominal size of the result (the drawing keeps its aspect ratio)
 * @property {number} height
 * @property {string} title the prompt
 * @property {string} details e.g. `seedance-2.0 · 5 s · 1280x720`
 * @property {number} [durationS] nominal duration of a video
 * @property {boolean} [hasAudio]
 */

/** @typedef {{ path: string; size: number }} RenderedFile */

const MAX_RUNNING = 2;
const RENDER_TIMEOUT_MS = 30_000;
const VIDEO_LONG_SIDE = 480;
const IMAGE_LONG_SIDE = 512;
const CLIP_MAX_S = 5;
const FPS = 12;
const SAFE_PATH = /^[\w./-]+$/;
const FONT_CANDIDATES = [
	'/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
	'/usr/share/fonts/dejavu/DejaVuSans.ttf',
];
const BACKGROUNDS = ['0x1f3b57', '0x3b1f57', '0x1f573b', '0x57331f', '0x2b2b52', '0x4a1f3b'];

/**
 * The executable for a name (looked up on PATH) or a path; undefined when there is none.
 * @param {string} nameOrPath
 * @returns {string | undefined}
 */
function findExecutable(nameOrPath) {
	/** @param {string} p */
	const runnable = (p) => {
		try {
			fs.accessSync(p, fs.constants.X_OK);
			return fs.statSync(p).isFile();
		} catch {
			return false;
		}
	};
	if (nameOrPath.includes('/')) return runnable(nameOrPath) ? nameOrPath : undefined;
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const p = path.join(dir, nameOrPath);
		if (dir && runnable(p)) return p;
	}
	return undefined;
}

/**
 * @param {string} file
 * @param {string[]} args
 * @returns {Promise<string>} stdout
 */
function run(file, args) {
	return new Promise((resolve, reject) => {
		execFile(file, args, { timeout: RENDER_TIMEOUT_MS }, (err, stdout) =>
			err ? reject(err) : resolve(String(stdout)),
		);
	});
}

/**
 * A TrueType font for drawtext: fc-match's sans font, else DejaVu Sans; undefined: no text.
 * @returns {Promise<string | undefined>}
 */
async function findFont() {
	const fcMatch = findExecutable('fc-match');
	const fromFc = fcMatch ? await run(fcMatch, ['-f', '%{file}', 'sans-serif']).catch(() => '') : '';
	const candidates = [fromFc.trim(), ...FONT_CANDIDATES].filter(Boolean);
	return candidates.find((f) => /\.(ttf|otf)$/i.test(f) && fs.existsSync(f) && SAFE_PATH.test(f));
}

/**
 * The drawing's size: the result's aspect ratio with an even width and height (H.264 needs them).
 * @param {number} w
 * @param {number} h
 * @param {number} longSide
 */
function drawingSize(w, h, longSide) {
	const f = longSide / Math.max(w, h, 1);
	/** @param {number} n */
	const even = (n) => Math.max(2, Math.round((n * f) / 2) * 2);
	return { width: even(w), height: even(h) };
}

/**
 * Words wrapped to lines of at most `perLine` characters, at most `maxLines` (the last one ends
 * with … when text was cut).
 * @param {string} text
 * @param {number} perLine
 * @param {number} maxLines
 * @returns {string[]}
 */
function wrap(text, perLine, maxLines) {
	const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
	/** @type {string[]} */
	const lines = [];
	let line = '';
	for (let word of words) {
		while (word.length > perLine) {
			if (line) lines.push(line);
			lines.push(word.slice(0, perLine));
			word = word.slice(perLine);
			line = '';
		}
		if (!line) line = word;
		else if (line.length + 1 + word.length <= perLine) line += ` ${word}`;
		else {
			lines.push(line);
			line = word;
		}
	}
	if (line) lines.push(line);
	if (lines.length <= maxLines) return lines;
	const kept = lines.slice(0, maxLines);
	kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, perLine - 1).trimEnd()}…`;
	return kept;
}

/**
 * @typedef {object} Layout
 * @property {number} width
 * @property {number} height
 * @property {number} fontSize
 * @property {number} margin
 * @property {string[]} titleLines
 */

/**
 * Where the text goes: the prompt wrapped at the top, the details (and a running clock) at the
 * bottom.
 * @param {RenderSpec} spec
 * @returns {Layout}
 */
function layout(spec) {
	const longSide = spec.kind === 'video' ? VIDEO_LONG_SIDE : IMAGE_LONG_SIDE;
	const { width, height } = drawingSize(spec.width, spec.height, longSide);
	const fontSize = Math.max(11, Math.min(26, Math.round(Math.min(width, height) / 15)));
	const margin = Math.round(fontSize * 0.8);
	const lineHeight = fontSize * 1.35;
	const perLine = Math.max(8, Math.floor((width - 2 * margin) / (fontSize * 0.58)));
	const footerLines = spec.kind === 'video' ? 2 : 1;
	const room = height - 2 * margin - (footerLines + 1) * lineHeight;
	const maxLines = Math.max(1, Math.floor(room / lineHeight));
	const titleLines = wrap(spec.title || '(no prompt)', perLine, maxLines);
	return { width, height, fontSize, margin, titleLines };
}

/**
 * The drawtext filters (none without a font).
 * @param {Layout} l
 * @param {{ font?: string; titleFile: string; detailsFile: string; clock: boolean }} t
 */
function textFilters(l, t) {
	if (!t.font) return [];
	const common = `fontfile=${t.font}:fontcolor=white:expansion=none`;
	const gap = Math.round(l.fontSize * 0.35);
	const small = Math.round(l.fontSize * 0.85);
	const filters = [
		`drawtext=${common}:textfile=${t.titleFile}:fontsize=${l.fontSize}:line_spacing=${gap}:x=${l.margin}:y=${l.margin}`,
		`drawtext=${common}:textfile=${t.detailsFile}:fontsize=${small}:fontcolor=0xffd479:x=${l.margin}:y=h-th-${l.margin}`,
	];
	if (t.clock)
		filters.push(
			`drawtext=fontfile=${t.font}:fontcolor=white:fontsize=${small}:text='%{pts\\:hms}':x=${l.margin}:y=h-th-${l.margin + Math.round(l.fontSize * 1.6)}`,
		);
	return filters;
}

/**
 * ffmpeg arguments for one file.
 * @param {RenderSpec} spec
 * @param {Layout} l
 * @param {{ font?: string; titleFile: string; detailsFile: string; out: string }} files
 */
function ffmpegArgs(spec, l, files) {
	const bg = BACKGROUNDS[hash32(spec.key) % BACKGROUNDS.length];
	const size = `${l.width}x${l.height}`;
	const base = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
	if (spec.kind === 'image') {
		const vf = ['format=rgb24', ...textFilters(l, { ...files, clock: false })].join(',');
		return [
			...base,
			'-f',
			'lavfi',
			'-i',
			`color=c=${bg}:s=${size}`,
			'-frames:v',
			'1',
			'-vf',
			vf,
			files.out,
		];
	}
	const seconds = Math.max(1, Math.min(CLIP_MAX_S, spec.durationS ?? CLIP_MAX_S));
	const video = [
		`hue=h=t*${Math.round(180 / seconds)}`,
		...textFilters(l, { ...files, clock: true }),
	];
	const inputs = ['-f', 'lavfi', '-i', `color=c=${bg}:s=${size}:r=${FPS}:d=${seconds}`];
	const audio = spec.hasAudio
		? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`]
		: [];
	const audioOut = spec.hasAudio ? ['-map', '1:a', '-c:a', 'aac', '-b:a', '48k'] : [];
	return [
		...base,
		...inputs,
		...audio,
		'-filter_complex',
		`[0:v]${video.join(',')}[v]`,
		'-map',
		'[v]',
		...audioOut,
		'-c:v',
		'libx264',
		'-preset',
		'ultrafast',
		'-pix_fmt',
		'yuv420p',
		'-movflags',
		'+faststart',
		'-t',
		String(seconds),
		files.out,
	];
}

/**
 * Folders of renderers not closed yet: removed when the process exits, so a test that never closes
 * its emulator (or a CLI killed without SIGTERM handling) leaves nothing behind.
 * @type {Set<string>}
 */
const OPEN_DIRS = new Set();
let exitHook = false;

/** @returns {Promise<string>} */
async function makeDir() {
	const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dreamina-emulator-'));
	OPEN_DIRS.add(dir);
	if (!exitHook) {
		exitHook = true;
		process.once('exit', () => {
			for (const d of OPEN_DIRS) fs.rmSync(d, { recursive: true, force: true });
		});
	}
	return dir;
}

/**
 * Renders files with ffmpeg into a private temporary folder (removed by close(), or at exit).
 */
class Renderer {
	/** @param {string | undefined} ffmpeg the ffmpeg executable; undefined: rendering is off */
	constructor(ffmpeg) {
		this.ffmpeg = ffmpeg;
		/** @type {Map<string, Promise<RenderedFile | undefined>>} */
		this.cache = new Map();
		/** @type {Array<() => void>} */
		this.waiting = [];
		this.running = 0;
		this.counts = { rendered: 0, failed: 0 };
		/** @type {Promise<string> | undefined} */
		this.dir = undefined;
		/** @type {Promise<string | undefined> | undefined} */
		this.font = undefined;
	}

	get available() {
		return this.ffmpeg !== undefined;
	}

	/**
	 * The rendered file (rendered once, then cached); undefined when rendering failed.
	 * @param {RenderSpec} spec
	 * @returns {Promise<RenderedFile | undefined>}
	 */
	file(spec) {
		let entry = this.cache.get(spec.key);
		if (!entry) {
			entry = this.queued(() => this.render(spec));
			this.cache.set(spec.key, entry);
		}
		return entry;
	}

	/**
	 * @template T
	 * @param {() => Promise<T>} task
	 * @returns {Promise<T>}
	 */
	async queued(task) {
		if (this.running >= MAX_RUNNING)
			await new Promise((resolve) => this.waiting.push(() => resolve(undefined)));
		this.running++;
		try {
			return await task();
		} finally {
			this.running--;
			this.waiting.shift()?.();
		}
	}

	/**
	 * @param {RenderSpec} spec
	 * @returns {Promise<RenderedFile | undefined>}
	 */
	async render(spec) {
		const ffmpeg = this.ffmpeg;
		if (!ffmpeg) return undefined;
		try {
			const dir = await (this.dir ??= makeDir());
			const font = await (this.font ??= findFont());
			const base = path.join(dir, spec.key.replace(/[^\w.-]/g, '_'));
			const l = layout(spec);
			const files = {
				font: SAFE_PATH.test(base) ? font : undefined,
				titleFile: `${base}.title.txt`,
				detailsFile: `${base}.details.txt`,
				out: `${base}.render${spec.kind === 'video' ? '.mp4' : '.png'}`,
			};
			await fs.promises.writeFile(files.titleFile, l.titleLines.join('\n'));
			await fs.promises.writeFile(files.detailsFile, spec.details);
			await run(ffmpeg, ffmpegArgs(spec, l, files)).finally(() =>
				Promise.all(
					[files.titleFile, files.detailsFile].map((f) => fs.promises.rm(f, { force: true })),
				),
			);
			const { size } = await fs.promises.stat(files.out);
			this.counts.rendered++;
			return { path: files.out, size };
		} catch {
			this.counts.failed++;
			return undefined;
		}
	}

	stats() {
		return { ...this.counts, running: this.running, queued: this.waiting.length };
	}

	/** Forget rendered files (reset()); they are deleted in the background. */
	clear() {
		const old = [...this.cache.values()];
		this.cache.clear();
		for (const entry of old)
			entry.then((f) => f && fs.promises.rm(f.path, { force: true })).catch(() => undefined);
	}

	async close() {
		this.cache.clear();
		const dir = this.dir && (await this.dir.catch(() => undefined));
		if (!dir) return;
		OPEN_DIRS.delete(dir);
		await fs.promises.rm(dir, { recursive: true, force: true });
	}
}

module.exports = { Renderer, findExecutable, wrap, drawingSize, layout, ffmpegArgs };
