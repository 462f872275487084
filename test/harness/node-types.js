// @ts-check
'use strict';
/**
 * Loads this package's nodes and credentials from TypeScript source with n8n-core's own
 * `PackageDirectoryLoader` (so descriptions get the same post-processing and validation as in
 * n8n: class name = file-name prefix, declarative request options, loadOptions method list,
 * description validation), and exposes them as `INodeTypes` under the names real n8n uses for a
 * community package: `<package name>.<description.name>`.
 *
 * The loader is pointed at the package root; paths from package.json `n8n` lists
 * (`dist/nodes/X/X.node.js`) are mapped to the TypeScript sources (`nodes/X/X.node.ts`).
 */
const fs = require('node:fs');
const path = require('node:path');

const {
	DirectoryLoader,
	PackageDirectoryLoader,
	UnrecognizedCredentialTypeError,
	UnrecognizedNodeTypeError,
} = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 */
const { NodeHelpers } = require('n8n-workflow');

const { getEnv } = require('./env');
const { createHelperNodeTypes } = require('./helper-nodes');

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * `dist/nodes/X/X.node.js` -> `nodes/X/X.node.ts`; `dist/…/X.node.json` -> `…/X.node.json`.
 * @param {string} file
 * @returns {string}
 */
function toSourcePath(file) {
	const normalized = file.replace(/\\/g, '/').replace(/^\.\//, '');
	if (!normalized.startsWith('dist/')) return file;
	const rest = normalized.slice('dist/'.length);
	return rest.endsWith('.js') ? `${rest.slice(0, -3)}.ts` : rest;
}

/**
 * @typedef {object} LoadedPackage
 * @property {string} packageName
 * @property {Record<string, INodeType | IVersionedNodeType>} nodeTypes Full type name (`<package>.<name>`) -> node type.
 * @property {Record<string, ICredentialType>} credentialTypes
 * @property {string[]} unlistedCredentialFiles Credential files loaded from `credentials/` because package.json did not list them.
 */

/**
 * @typedef {object} LoaderInternals
 * @property {(file: string) => string} resolvePath
 * @property {(sourcePath: string) => unknown} loadClass
 * @property {() => void} [inferSupportedNodes]
 */

/**
 * @param {PackageDirectoryLoader} loader
 * @returns {void}
 */
function patchLoader(loader) {
	const internals = /** @type {LoaderInternals} */ (/** @type {unknown} */ (loader));
	const originalResolve = internals.resolvePath.bind(loader);
	internals.resolvePath = /** @param {string} file */ (file) => originalResolve(toSourcePath(file));
	internals.loadClass = /** @param {string} sourcePath */ (sourcePath) => {
		const filePath = internals.resolvePath(sourcePath);
		const [className] = path.parse(sourcePath).name.split('.');
		const mod = /** @type {Record<string, unknown>} */ (require(filePath));
		const Class = mod[className];
		if (typeof Class !== 'function') {
			throw new Error(
				`${path.relative(PACKAGE_ROOT, filePath)} does not export a class named "${className}" ` +
					'(n8n requires the class name to equal the file-name prefix)',
			);
		}
		return new /** @type {new () => unknown} */ (Class)();
	};
}

/** @type {Promise<LoadedPackage> | undefined} */ let packagePromise;

/** @returns {Promise<LoadedPackage>} */
async function loadPackage() {
	await getEnv(); // the loader needs n8n's Logger, which needs the configured container
	const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
	patchLoader(loader);
	await loader.loadAll();

	// While package.json `n8n.credentials` is still being filled in, credential classes in
	// credentials/ are loaded too, so credential tests work before the package lists them.
	/** @type {string[]} */ const unlistedCredentialFiles = [];
	const credentialsDir = path.join(PACKAGE_ROOT, 'credentials');
	const listed = new Set(
		Object.values(loader.known.credentials).map((c) => path.resolve(c.sourcePath)),
	);
	if (fs.existsSync(credentialsDir)) {
		for (const file of fs.readdirSync(credentialsDir).sort()) {
			if (!file.endsWith('.credentials.ts') || file.endsWith('.test.ts')) continue;
			const absolute = path.join(credentialsDir, file);
			if (listed.has(absolute)) continue;
			const distPath = `dist/credentials/${file.replace(/\.ts$/, '.js')}`;
			loader.loadCredentialFromFile(distPath);
			unlistedCredentialFiles.push(`credentials/${file}`);
		}
		/** @type {LoaderInternals} */ (/** @type {unknown} */ (loader)).inferSupportedNodes?.call(
			loader,
		);
	}

	/** @type {Record<string, INodeType | IVersionedNodeType>} */ const nodeTypes = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodeTypes[`${loader.packageName}.${name}`] = type;
	}
	/** @type {Record<string, ICredentialType>} */ const credentialTypes = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		credentialTypes[name] = type;
	}
	return { packageName: loader.packageName, nodeTypes, credentialTypes, unlistedCredentialFiles };
}

/**
 * This package's nodes and credentials, loaded once per module registry.
 * @returns {Promise<LoadedPackage>}
 */
async function getPackage() {
	packagePromise ??= loadPackage();
	return await packagePromise;
}

const preparedExtraTypes = /** @type {WeakSet<object>} */ (new WeakSet());

/**
 * What n8n's loader does to a node type on load, applied once to node types passed in by tests.
 * @param {INodeType | IVersionedNodeType} type
 * @returns {void}
 */
function prepareExtraNodeType(type) {
	if (preparedExtraTypes.has(type)) return;
	preparedExtraTypes.add(type);
	/** @type {INodeType[]} */ const versions =
		'nodeVersions' in type ? Object.values(type.nodeVersions) : [/** @type {INodeType} */ (type)];
	for (const version of versions) {
		if (version.methods?.loadOptions) {
			version.description.__loadOptionsMethods = Object.keys(version.methods.loadOptions);
		}
		DirectoryLoader.applyDeclarativeNodeOptionParameters(version);
	}
}

/** @implements {INodeTypes} */
class HarnessNodeTypes {
	/** @type {Record<string, INodeType | IVersionedNodeType>} @private @readonly */
	types;
	/** @param {Record<string, INodeType | IVersionedNodeType>} types */ constructor(types) {
		this.types = types;
	}

	/**
	 * @param {string} nodeType
	 * @returns {INodeType | IVersionedNodeType}
	 */
	getByName(nodeType) {
		const type = this.types[nodeType];
		if (!type) {
			const [pkg, ...rest] = nodeType.split('.');
			throw new UnrecognizedNodeTypeError(
				rest.length ? pkg : 'unknown',
				rest.join('.') || nodeType,
			);
		}
		return type;
	}

	/**
	 * @param {string} nodeType
	 * @param {number} [version]
	 * @returns {INodeType}
	 */
	getByNameAndVersion(nodeType, version) {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	/** @returns {IDataObject} */ getKnownTypes() {
		return Object.fromEntries(
			Object.entries(this.types).map(([name, type]) => [
				name,
				{ className: type.constructor.name, sourcePath: '' },
			]),
		);
	}

	/**
	 * Every registered type name (package, helper and extra types).
	 * @returns {string[]}
	 */
	names() {
		return Object.keys(this.types);
	}
}

class HarnessCredentialTypes {
	/** @type {Record<string, ICredentialType>} @private @readonly */
	types;
	/** @type {HarnessNodeTypes} @private @readonly */
	nodeTypes;
	/**
	 * @param {Record<string, ICredentialType>} types
	 * @param {HarnessNodeTypes} nodeTypes
	 */
	constructor(types, nodeTypes) {
		this.types = types;
		this.nodeTypes = nodeTypes;
	}

	/**
	 * @param {string} name
	 * @returns {boolean}
	 */
	recognizes(name) {
		return name in this.types;
	}

	/**
	 * @param {string} name
	 * @returns {ICredentialType}
	 */
	getByName(name) {
		const type = this.types[name];
		if (!type) throw new UnrecognizedCredentialTypeError(name);
		return type;
	}

	/**
	 * @param {string} name
	 * @returns {string[]}
	 */
	getParentTypes(name) {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/**
	 * Full names of the node types (any version) that declare this credential.
	 * @param {string} name
	 * @returns {string[]}
	 */
	getSupportedNodes(name) {
		return this.nodeTypes.names().filter((typeName) => {
			const type = this.nodeTypes.getByName(typeName);
			/** @type {INodeType[]} */ const versions =
				'nodeVersions' in type
					? Object.values(type.nodeVersions)
					: [/** @type {INodeType} */ (type)];
			return versions.some((v) => v.description.credentials?.some((c) => c.name === name));
		});
	}
}

/**
 * @typedef {object} TypeRegistry
 * @property {HarnessNodeTypes} nodeTypes
 * @property {HarnessCredentialTypes} credentialTypes
 * @property {string} packageName
 */

/**
 * Package types + helper types + the extra types of one run (extras win on name clashes).
 * @param {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @param {Record<string, ICredentialType>} [extraCredentialTypes]
 * @returns {Promise<TypeRegistry>}
 */
async function createTypeRegistry(extraNodeTypes = {}, extraCredentialTypes = {}) {
	const pkg = await getPackage();
	for (const type of Object.values(extraNodeTypes)) prepareExtraNodeType(type);
	const nodeTypes = new HarnessNodeTypes({
		...createHelperNodeTypes(),
		...pkg.nodeTypes,
		...extraNodeTypes,
	});
	const credentialTypes = new HarnessCredentialTypes(
		{ ...pkg.credentialTypes, ...extraCredentialTypes },
		nodeTypes,
	);
	return { nodeTypes, credentialTypes, packageName: pkg.packageName };
}

module.exports = {
	PACKAGE_ROOT,
	toSourcePath,
	getPackage,
	HarnessNodeTypes,
	HarnessCredentialTypes,
	createTypeRegistry,
};
