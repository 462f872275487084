/**
 * A 50 MB result video lands in binary data in queue mode's default store. n8n 2.41 picks the
 * `database` store by itself in queue mode (n8n-core binary-data.config: `mode ??= executions
 * mode === 'queue' ? 'database' : 'filesystem'`: a worker's local disk is not shared with the main
 * and the other processes, the database is), and its DatabaseManager.store() reads the whole
 * stream into one Buffer (binaryToBuffer) before inserting it into PostgreSQL: any download into
 * it costs several times the file in the worker's memory.
 *
 * Measured here, in the same run: the peak RSS a worker adds while Generate Video downloads the
 * file (twice), against n8n's own HTTP Request node downloading the same URL (twice), Generate
 * Video with Download Result off, and Generate Video on a worker in filesystem mode writing to a
 * folder the main shares. Each measurement runs on a freshly started worker, the only one
 * running: a worker that downloaded before keeps the freed memory and reuses it, so a second
 * download on it shows next to nothing. The peak is exact (the worker's peak RSS is reset before
 * the run, then read).
 */
import {
	describeExecution,
	nodeOutput,
	type Execution,
	connect,
	liveWorkers,
	mainStoragePath,
	measureWorkerPeaks,
	newWorkerNames,
	report,
	startWorker,
	stopWorker,
	workersThatRan,
	type Connection,
} from './suite';
import {
	MANUAL_TRIGGER_NAME,
	chain,
	generateVideo,
	httpDownload,
	manualTrigger,
} from './workflows';

const MIB = 1024 * 1024;
const VIDEO_BYTES = 50 * MIB;

let c: Connection;
let stoppedWorkers = 0;

interface Variant {
	name: string;
	workflowId: string;
	node: string;
	/** where the file must land: n8n's binary data id prefix, or undefined for no file */
	store?: 'database' | 'filesystem';
	/** the measured worker's extra environment */
	workerEnv?: Record<string, string>;
}

/** Runs the variant on a new worker: the run, and the peak RSS that worker added during it. */
async function measureOnFreshWorker(v: Variant): Promise<{ run: Execution; addedBytes: number }> {
	const worker = await startWorker(newWorkerNames('memory')[0], v.workerEnv);
	try {
		const { result: run, addedBytes } = await measureWorkerPeaks(async () => {
			const id = await c.rest.runWorkflow(v.workflowId, MANUAL_TRIGGER_NAME);
			const run = await c.rest.waitForExecution(id, { timeoutMs: 120_000 });
			if (run.status !== 'success') throw new Error(`${v.name}: ${describeExecution(run)}`);
			const [item] = nodeOutput(run, v.node);
			if (v.store) {
				expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: VIDEO_BYTES });
				expect(item.binary?.data.id).toMatch(new RegExp(`^${v.store}(-v2)?:`));
			} else {
				expect(item.binary).toBeUndefined();
			}
			return run;
		});
		expect(workersThatRan(run.id)).toEqual([worker.name]);
		return { run, addedBytes: addedBytes[worker.name] };
	} finally {
		await stopWorker(worker.name);
	}
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const mb = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

beforeAll(async () => {
	c = await connect();
	await c.emu.reset();
	await c.emu.setOptions({ videoBytes: VIDEO_BYTES, jobDurationMs: { video: 300 } });
	// one worker at a time from here on: the fresh one that is measured
	const running = liveWorkers();
	for (const w of running) await stopWorker(w.name);
	stoppedWorkers = running.length;
});

afterAll(async () => {
	// the cluster as it was, for the next files: as many workers as before
	await Promise.all(newWorkerNames('worker', stoppedWorkers).map((name) => startWorker(name)));
	await c.emu.reset();
});

test('a 50 MB video downloaded by Generate Video lands in the database store; its worker memory is measured against n8n’s HTTP Request node', async () => {
	const dreamina: Variant = {
		name: 'Generate Video',
		node: 'Generate Video',
		store: 'database',
		workflowId: (
			await c.rest.createWorkflow(
				chain('Memory: Generate Video downloads 50 MB', [
					manualTrigger(),
					generateVideo('Generate Video', c.credential),
				]),
			)
		).id,
	};
	const noDownload: Variant = {
		name: 'Generate Video, Download Result off',
		node: 'Generate Video',
		workflowId: (
			await c.rest.createWorkflow(
				chain('Memory: Generate Video, Download Result off', [
					manualTrigger(),
					generateVideo('Generate Video', c.credential, { downloadResult: false }),
				]),
			)
		).id,
	};
	// What a user can switch to: the filesystem store on a folder every process shares (here the
	// main's own storage folder, so the main reads the file back as the editor would).
	const filesystem: Variant = {
		...dreamina,
		name: 'Generate Video, filesystem store',
		store: 'filesystem',
		workerEnv: {
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			N8N_BINARY_DATA_STORAGE_PATH: mainStoragePath(),
		},
	};
	const added: Record<string, number[]> = {
		[dreamina.name]: [],
		'HTTP Request': [],
		[noDownload.name]: [],
		[filesystem.name]: [],
	};

	// The first measurement also gives the file the HTTP Request node fetches: the finished job's
	// video (the URL Generate Video followed), and shows what is stored is the file.
	const first = await measureOnFreshWorker(dreamina);
	added[dreamina.name].push(first.addedBytes);
	const [{ json: job, binary }] = nodeOutput(first.run, dreamina.node);
	const stored = await c.rest.binaryData(binary!.data);
	expect(stored.length).toBe(VIDEO_BYTES);
	expect(stored.subarray(4, 8).toString('latin1')).toBe('ftyp');
	const http: Variant = {
		name: 'HTTP Request',
		node: 'HTTP Request',
		store: 'database',
		workflowId: (
			await c.rest.createWorkflow(
				chain('Memory: HTTP Request downloads 50 MB', [
					manualTrigger(),
					httpDownload('HTTP Request', String(job.response.videoUrl)),
				]),
			)
		).id,
	};
	for (const v of [http, noDownload, dreamina, http])
		added[v.name].push((await measureOnFreshWorker(v)).addedBytes);
	const onDisk = await measureOnFreshWorker(filesystem);
	added[filesystem.name].push(onDisk.addedBytes);
	const [{ binary: diskBinary }] = nodeOutput(onDisk.run, filesystem.node);
	expect((await c.rest.binaryData(diskBinary!.data)).length).toBe(VIDEO_BYTES);

	const dreaminaMb = mb(median(added[dreamina.name]));
	const httpMb = mb(median(added[http.name]));
	const offMb = mb(median(added[noDownload.name]));
	const filesystemMb = mb(median(added[filesystem.name]));
	report('fresh worker peak RSS added, 50 MB video into the database store', {
		generateVideoMb: dreaminaMb,
		httpRequestMb: httpMb,
		ratio: dreaminaMb / httpMb,
		downloadResultOffMb: offMb,
		filesystemStoreMb: filesystemMb,
		runsMb: Object.fromEntries(Object.entries(added).map(([k, v]) => [k, v.map(mb)])),
	});
	// The store buffers the file whoever downloads it: more than the file for n8n's own node…
	expect(httpMb).toBeGreaterThan(VIDEO_BYTES / MIB);
	// …and the package's node must cost no more (a quarter and 16 MB of slack for noise).
	expect(dreaminaMb).toBeLessThanOrEqual(httpMb * 1.25 + 16);
	// Without the download the same execution adds a fraction of the file; the filesystem store
	// streams the download to disk and saves at least the file's size against the database store.
	expect(offMb).toBeLessThan(VIDEO_BYTES / MIB);
	expect(filesystemMb).toBeLessThan(dreaminaMb - VIDEO_BYTES / MIB);
});
