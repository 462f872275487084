#!/usr/bin/env node
/*
 * Reads execution records straight from an n8n SQLite database and prints them as JSON.
 * Run by n8n.ts as a child process with the Node that runs n8n, resolving sqlite3 and flatted
 * from the n8n install (so the jest process never loads a native module).
 *
 *   node read-executions.js <n8nDir> <database.sqlite> '{"workflowId":"x","afterId":3,"limit":1,"withData":true}'
 *   node read-executions.js <n8nDir> <database.sqlite> '{"maxId":true}'
 *
 * n8n stores execution data as a `flatted` string in execution_data.data; it is parsed here
 * into the same shape `n8n execute` prints (data.resultData.runData ...).
 */
'use strict';

const { createRequire } = require('module');
const path = require('path');
const fs = require('fs');

const [n8nDir, dbPath, queryJson] = process.argv.slice(2);
const query = JSON.parse(queryJson || '{}');
const n8nRequire = createRequire(path.join(n8nDir, 'package.json'));

function out(value) {
	process.stdout.write(JSON.stringify(value));
}

if (!fs.existsSync(dbPath)) {
	out(query.maxId ? { maxId: 0 } : { executions: [] });
	process.exit(0);
}

const sqlite3 = n8nRequire('sqlite3');
const { parse } = n8nRequire('flatted');
const db = new sqlite3.Database(dbPath, sqlite3.OPEN_READONLY);

function all(sql, params) {
	return new Promise((resolve, reject) =>
		db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))),
	);
}

async function main() {
	if (query.maxId) {
		const rows = await all('SELECT MAX(id) AS maxId FROM execution_entity', []);
		out({ maxId: Number(rows[0] && rows[0].maxId) || 0 });
		return;
	}
	const where = ['1=1'];
	const params = [];
	if (query.workflowId !== undefined) {
		where.push('e.workflowId = ?');
		params.push(String(query.workflowId));
	}
	if (query.afterId !== undefined) {
		where.push('e.id > ?');
		params.push(Number(query.afterId));
	}
	if (query.id !== undefined) {
		where.push('e.id = ?');
		params.push(Number(query.id));
	}
	const limit = Number(query.limit) || 20;
	const rows = await all(
		`SELECT e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt, e.waitTill,
		        ${query.withData ? 'd.data AS data' : 'NULL AS data'}
		   FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
		  WHERE ${where.join(' AND ')}
		  ORDER BY e.id DESC LIMIT ${limit}`,
		params,
	);
	const executions = rows.map((r) => {
		let data;
		if (r.data) {
			try {
				data = parse(r.data);
			} catch (error) {
				data = { unparsable: String(r.data).slice(0, 2000), parseError: String(error) };
			}
		}
		return {
			id: String(r.id),
			workflowId: r.workflowId,
			status: r.status,
			mode: r.mode,
			finished: Boolean(r.finished),
			startedAt: r.startedAt,
			stoppedAt: r.stoppedAt,
			waitTill: r.waitTill,
			data,
		};
	});
	out({ executions });
}

main()
	.catch((error) => {
		process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
		process.exitCode = 1;
	})
	.finally(() => db.close());
