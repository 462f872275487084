/**
 * The asset step of `npm run build`, after `n8n-node build` (tsc + its copy of *.svg / *.png):
 * gulp copies each node's codex file (<Node>.node.json: categories, aliases, documentation links)
 * into dist/ and checks that the dist/ n8n loads is whole. n8n itself never complains: a missing
 * icon shows as a blank square in the editor, a codex file whose `node` is not the node's type
 * drops its categories and links, a node package.json lists but the build did not emit fails
 * only at install time. Each of those fails the build here instead.
 *
 *   npx gulp            # copy codex files, then verify dist/ (what `npm run build` runs)
 *   npx gulp verify     # only the check
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { src, dest, series } = require('gulp');

const pkg = require('./package.json');

/** Codex files beside the nodes' sources, to the same place under dist/. */
function codex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

/** Every `file:` icon of a node or credential description, as absolute paths. */
function iconFiles(description, dir) {
	const icons = [description.icon, description.iconUrl].flatMap((icon) =>
		icon && typeof icon === 'object' ? Object.values(icon) : [icon],
	);
	return icons
		.filter((icon) => typeof icon === 'string' && icon.startsWith('file:'))
		.map((icon) => path.resolve(dir, icon.slice('file:'.length)));
}

/** The descriptions of a built node class (one per version for a VersionedNodeType). */
function descriptionsOf(instance) {
	const versions = Object.values(instance.nodeVersions ?? {});
	return versions.length > 0 ? versions.map((v) => v.description) : [instance.description];
}

/** A built file's exported class, instantiated (the class is named like the file). */
function instantiate(file) {
	const name = path.basename(file).split('.')[0];
	const Class = require(path.resolve(file))[name];
	if (typeof Class !== 'function') throw new Error(`${file} exports no class ${name}`);
	return new Class();
}

function verify(done) {
	const problems = [];
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	if (listed.length === 0) problems.push('package.json lists no nodes or credentials under "n8n"');
	for (const file of listed) {
		if (!fs.existsSync(file)) {
			problems.push(`${file} (listed in package.json) was not built`);
			continue;
		}
		const dir = path.dirname(file);
		const instance = instantiate(file);
		const isNode = file.endsWith('.node.js');
		const descriptions = isNode ? descriptionsOf(instance) : [instance];
		for (const icon of descriptions.flatMap((d) => iconFiles(d, dir))) {
			if (!fs.existsSync(icon)) problems.push(`${file}: icon ${path.relative('.', icon)} missing`);
		}
		if (!isNode) continue;
		const codexFile = file.replace(/\.js$/, '.json');
		if (!fs.existsSync(codexFile)) {
			problems.push(`${file}: codex file ${codexFile} missing`);
			continue;
		}
		const type = `${pkg.name}.${descriptions[0].name}`;
		const codexNode = JSON.parse(fs.readFileSync(codexFile, 'utf8')).node;
		if (codexNode !== type) problems.push(`${codexFile}: "node" is ${codexNode}, not ${type}`);
	}
	if (problems.length > 0) {
		done(new Error(`dist/ is not what n8n should load:\n  ${problems.join('\n  ')}`));
		return;
	}
	console.log(`dist/: ${listed.length} nodes and credentials, their icons and codex files`);
	done();
}

exports.codex = codex;
exports.verify = verify;
exports.default = series(codex, verify);
