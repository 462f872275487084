// @ts-check
'use strict';
/**
 * Small local HTTP servers for tests that need a stand-in API (on 127.0.0.1, a free port).
 * The routing stays in the test; this file only owns the socket (Node's `http`, which n8n's
 * lint keeps out of `*.ts` files).
 */
const http = require('node:http');

/**
 * @typedef {object} ReceivedRequest
 * @property {string} method
 * @property {string} url path and query as sent
 * @property {string} path the URL's path
 * @property {URLSearchParams} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body the body as UTF-8 text
 */

/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {unknown} [json] sent as `application/json`
 * @property {string} [text] sent as it is (instead of `json`), with `headers`
 * @property {Record<string, string | number>} [headers] more headers (Location, Content-Type, …)
 * @property {boolean} [hang] send the headers and the body so far, then nothing more (never end)
 */

/**
 * @typedef {object} TestHttpServer
 * @property {string} origin `http://127.0.0.1:PORT`
 * @property {number} port
 * @property {ReceivedRequest[]} requests every request, in arrival order
 * @property {() => Promise<void>} close closes the server and its open connections
 */

/**
 * Starts a server that answers every request with what `route` returns.
 * @param {(request: ReceivedRequest) => Reply} route
 * @returns {Promise<TestHttpServer>}
 */
async function startJsonServer(route) {
	/** @type {ReceivedRequest[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			/** @type {ReceivedRequest} */
			const request = {
				method: req.method ?? '',
				url: req.url ?? '',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf-8'),
			};
			requests.push(request);
			let reply;
			try {
				reply = route(request);
			} catch (error) {
				reply = { status: 500, json: { error: String(error) } };
			}
			const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
			res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
			if (reply.hang) res.write(body);
			else res.end(body);
		});
	});
	const port = await listen(server);
	return {
		origin: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/**
 * @param {import('node:http').Server} server
 * @returns {Promise<number>}
 */
function listen(server) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : 0);
		});
	});
}

/**
 * A port on 127.0.0.1 on which nothing listens (it was free a moment ago).
 * @returns {Promise<number>}
 */
async function unusedPort() {
	const server = http.createServer();
	const port = await listen(server);
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return port;
}

module.exports = { startJsonServer, unusedPort };
