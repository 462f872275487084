// @ts-check
'use strict';
/**
 * Types of the emulator, in JSDoc so that TypeScript tests can import them from `./server`
 * (`import type { Emulator } from './emulator/server'`). This file holds no code.
 */

/** @typedef {import('./catalog').Region} Region */
/** @typedef {import('./catalog').AssetKind} AssetKind */
/** @typedef {'video' | 'image' | 'upscale' | 'video-upscale' | 'video-interpolate'} JobType */
/** @typedef {'created' | 'completed' | 'failed'} JobStatus */

/**
 * Time from created to completed: a number of ms, or `[min, max]` for a duration drawn per job
 * (deterministically, from `seed`).
 * @typedef {number | [number, number]} DurationSpec
 */

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [token] valid API token, default 'test-token'
 * @property {string} [host] default '127.0.0.1'
 * @property {number} [port] default 0 (a free port)
 * @property {SeedAccount[]} [accounts] default: DEFAULT_ACCOUNTS
 * @property {{ video?: DurationSpec; image?: DurationSpec; upscale?: DurationSpec }} [jobDurationMs]
 *   default { video: 1500, image: 800, upscale: 800 }
 * @property {number} [seed] seed of the durations drawn from `[min, max]` ranges, default 1
 * @property {number} [jobTimeoutMs] a job still 'created' after this fails with 408 "Generation timed out"; default 3_600_000
 * @property {number} [videoBytes] size of the served MP4 results; when set, result videos are
 *   synthetic files of exactly this size (never rendered). Default: rendered clips, else 256 KiB.
 * @property {boolean} [render] render result files with ffmpeg: playable clips and pictures that
 *   show the prompt and the model. Default: on when ffmpeg is found; false: synthetic files.
 * @property {string} [ffmpegPath] the ffmpeg to render with, default 'ffmpeg' (looked up on PATH)
 * @property {number} [callbackRetries] extra attempts for a replyUrl POST that errors, times out or
 *   answers non-2xx; default 0 (the real API does not retry)
 * @property {number} [callbackTimeoutMs] time limit of one replyUrl POST, default 10_000 (the real
 *   API gives up after about 10 s)
 */

/**
 * @typedef {object} SeedAccount
 * @property {string} [account] defaults to `${region}:${email}`
 * @property {string} email
 * @property {Region} region
 * @property {number} [maxJobs] default 10
 * @property {boolean} [sessionExpired] generation, upload and history calls answer 596 {"error":"Session expired"}
 * @property {boolean} [liveDataFails] GET /accounts/{account} returns the summary without models/credits/session
 * @property {number} [historyCount] seeded generation-history assets, default 25
 * @property {number} [credits] credits.total reported by GET /accounts/{account}, default 24065
 * @property {{ video: string[]; image: string[] }} [models] live model lists; default per region.
 *   Also decides which models the account accepts.
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path decoded path without query
 * @property {string} rawPath raw (still percent-encoded) path without query
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {unknown} [body] parsed JSON (or form fields); undefined for raw uploads and file downloads
 * @property {number} bodyBytes
 * @property {string} [contentType]
 * @property {number} time
 * @property {number} [status] HTTP status sent; undefined when the connection was dropped (or still in flight)
 */

/**
 * @typedef {object} Fault
 * @property {string} [method]
 * @property {string | RegExp} [path] string: exact decoded path (full, or relative to /v1/dreamina);
 *   RegExp: tested against the full decoded path
 * @property {number} [status]
 * @property {unknown} [body]
 * @property {number} [delayMs] without afterHandling: wait, then handle (or apply status/drop);
 *   with afterHandling: handle at once, then hold the reply this long (a reply that comes after
 *   the client's timeout)
 * @property {boolean} [drop] destroy the socket without a response
 * @property {number} [times] default 1; <= 0 or Infinity = unlimited
 * @property {boolean} [afterHandling] apply after the request was really handled (job created, upload
 *   stored): `drop` loses the response, `status`/`body` replace it, `delayMs` delays it. On /files
 *   downloads `drop` sends half the body and then destroys the socket.
 */

/**
 * The job record exactly as served by GET /videos/{jobid} and GET /images/{jobid}.
 * @typedef {object} JobRecord
 * @property {string} jobid
 * @property {JobType} type
 * @property {JobStatus} status
 * @property {string} model
 * @property {string} created
 * @property {string} [updated]
 * @property {Record<string, unknown>} request
 * @property {Record<string, unknown>} [response]
 * @property {number} code
 * @property {string} [error]
 * @property {string} [errorDetails]
 */

/**
 * One POST to a replyUrl (one record per attempt).
 * @typedef {object} CallbackRecord
 * @property {string} url
 * @property {string} jobid
 * @property {JobStatus} jobStatus the job status the callback reported
 * @property {number | 'error' | 'timeout'} status the receiver's HTTP answer; 'error' when the
 *   connection failed, 'timeout' when no answer came within callbackTimeoutMs
 * @property {number} latencyMs from sending the request to the answer (or the failure)
 * @property {number} attempt 1 for the first try
 * @property {JobRecord} body the job record that was posted
 * @property {number} sentAt epoch ms when the POST started
 * @property {number} time epoch ms when the answer (or the failure) came
 */

/**
 * A job created as if another client had sent it: no validation, but it takes a place in the
 * account's capacity (refused with 429 when the account is full, 596 when its session expired).
 * @typedef {object} ForeignJobInput
 * @property {JobType} type
 * @property {string} account
 * @property {string} model
 * @property {Record<string, unknown>} [request] stored as the job's request; `prompt`, `duration`,
 *   `ratio`, `resolution` shape the result, and `[slow]` / `[fail:CODE]` in `prompt` or `replyRef` work
 * @property {string} [replyUrl]
 */

/**
 * When a job was created and when it completes on its own.
 * @typedef {object} JobTiming
 * @property {number} createdAt epoch ms
 * @property {number | null} dueAt epoch ms; null for a `[slow]` job
 * @property {number | null} durationMs dueAt - createdAt
 */

/**
 * @typedef {object} EmulatorStats
 * @property {Record<string, number>} maxConcurrent
 * @property {Record<string, number>} executing
 * @property {number} jobs
 * @property {number} requests
 * @property {{ rss: number; heapUsed: number; external: number; arrayBuffers: number }} memory
 *   the emulator process's memory (bytes)
 * @property {{ rendered: number; failed: number; running: number; queued: number }} renders
 */

/**
 * @typedef {object} Emulator
 * @property {string} baseUrl http://127.0.0.1:<port>/v1/dreamina
 * @property {string} origin http://127.0.0.1:<port>
 * @property {string} token
 * @property {RecordedRequest[]} requests
 * @property {() => void} clearRequests
 * @property {(fault: Fault) => void} injectFault
 * @property {() => void} clearFaults
 * @property {Map<string, JobRecord>} jobs
 * @property {Record<string, number>} maxConcurrent highest number of simultaneously executing jobs seen per account
 * @property {CallbackRecord[]} callbacks
 * @property {(jobid: string) => void} completeJob
 * @property {(jobids: string[]) => JobRecord[]} completeJobs complete them all at once (all must be
 *   `created`); their callbacks go out concurrently
 * @property {(jobid: string, code: number) => void} failJob
 * @property {(input: ForeignJobInput) => JobRecord} createJob a job as if another client sent it
 * @property {(jobid: string) => JobTiming} jobTiming
 * @property {boolean} rendering whether result files made now are rendered with ffmpeg
 * @property {() => EmulatorStats} stats
 * @property {(partial: Partial<EmulatorOptions>) => void} setOptions
 * @property {() => void} reset
 * @property {() => Promise<void>} close
 */

module.exports = {};
