// @ts-check
'use strict';
/** jest setupFiles of test/real-n8n: the project's n8n version (its `globals`) for scripts/lib/n8n-instance.js. */
process.env.N8N_TEST_VERSION = String(/** @type {any} */ (globalThis).N8N_TEST_VERSION);
