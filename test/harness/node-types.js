// @ts-check
'use strict';
/**
 * This package's nodes and credentials, loaded from the TypeScript sources by n8n-core's own
 * `PackageDirectoryLoader` (same post-processing and validation as in n8n), under the names n8n
 * gives a community package's types: `<package name>.<description.name>`. The loader reads the
 * package.json `n8n` lists (`dist/nodes/X/X.node.js`), mapped here to `nodes/X/X.node.ts`.
 */
const path = require('node:path');

const { DirectoryLoader, PackageDirectoryLoader } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 */
const { NodeHelpers, UserError } = require('n8n-workflow');

const { getEnv } = require('./env');
const { helperNodeTypes } = require('./helper-nodes');

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * @typedef {object} LoadedPackage
 * @property {Record<string, INodeType | IVersionedNodeType>} nodeTypes full type name -> node type
 * @property {Record<string, ICredentialType>} credentialTypes
 */

/** @returns {Promise<LoadedPackage>} */
async function loadPackage() {
	await getEnv(); // the loader logs through n8n's Logger, which needs the configured container
	const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
	const internals =
		/** @type {{ resolvePath(file: string): string; loadClass(file: string): unknown }} */ (
			/** @type {unknown} */ (loader)
		);
	const resolve = internals.resolvePath.bind(loader);
	internals.resolvePath = (file) =>
		resolve(file.startsWith('dist/') ? file.slice(5).replace(/\.js$/, '.ts') : file);
	internals.loadClass = (file) => {
		const [className] = path.parse(file).name.split('.'); // n8n: class name = file-name prefix
		const Class = require(internals.resolvePath(file))[className];
		if (typeof Class !== 'function')
			throw new Error(`${file} does not export a class ${className}`);
		return new Class();
	};
	await loader.loadAll();
	/** @type {LoadedPackage} */ const pkg = { nodeTypes: {}, credentialTypes: {} };
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		pkg.nodeTypes[`${loader.packageName}.${name}`] = type;
	}
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		pkg.credentialTypes[name] = type;
	}
	return pkg;
}

/** @type {Promise<LoadedPackage> | undefined} */ let packagePromise;
/** This package's node and credential types, loaded once per jest test file. */
async function getPackage() {
	packagePromise ??= loadPackage();
	return await packagePromise;
}

const prepared = /** @type {WeakSet<object>} */ (new WeakSet());

/**
 * @typedef {object} TypeRegistry
 * @property {INodeTypes & { names(): string[] }} nodeTypes
 * @property {(name: string) => ICredentialType} credentialType
 */

/**
 * Package types, the helper nodes and a test's own types (what n8n's loader does to a node type on
 * load is applied to those once).
 * @param {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @returns {Promise<TypeRegistry>}
 */
async function createTypeRegistry(extraNodeTypes = {}) {
	const pkg = await getPackage();
	for (const type of Object.values(extraNodeTypes)) {
		if (prepared.has(type)) continue;
		prepared.add(type);
		for (const version of 'nodeVersions' in type ? Object.values(type.nodeVersions) : [type]) {
			if (version.methods?.loadOptions) {
				version.description.__loadOptionsMethods = Object.keys(version.methods.loadOptions);
			}
			DirectoryLoader.applyDeclarativeNodeOptionParameters(version);
		}
	}
	/** @type {Record<string, INodeType | IVersionedNodeType>} */
	const types = { ...helperNodeTypes, ...pkg.nodeTypes, ...extraNodeTypes };
	/** @param {string} name */
	const getByName = (name) => {
		if (!types[name]) throw new UserError(`Unrecognized node type: ${name}`);
		return types[name];
	};
	return {
		nodeTypes: {
			getByName,
			getByNameAndVersion: (name, version) =>
				NodeHelpers.getVersionedNodeType(getByName(name), version),
			getKnownTypes: () => ({}),
			names: () => Object.keys(types),
		},
		credentialType: (name) => {
			if (!pkg.credentialTypes[name]) throw new UserError(`Unrecognized credential type: ${name}`);
			return pkg.credentialTypes[name];
		},
	};
}

module.exports = { PACKAGE_ROOT, getPackage, createTypeRegistry };
