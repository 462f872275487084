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
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	DirectoryLoader,
	PackageDirectoryLoader,
	UnrecognizedCredentialTypeError,
	UnrecognizedNodeTypeError,
} from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { getEnv } from './env';
import { createHelperNodeTypes } from './helper-nodes';

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** `dist/nodes/X/X.node.js` -> `nodes/X/X.node.ts`; `dist/…/X.node.json` -> `…/X.node.json`. */
export function toSourcePath(file: string): string {
	const normalized = file.replace(/\\/g, '/').replace(/^\.\//, '');
	if (!normalized.startsWith('dist/')) return file;
	const rest = normalized.slice('dist/'.length);
	return rest.endsWith('.js') ? `${rest.slice(0, -3)}.ts` : rest;
}

export interface LoadedPackage {
	packageName: string;
	/** Full type name (`<package>.<name>`) -> node type. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: Record<string, ICredentialType>;
	/** Credential files loaded from `credentials/` because package.json did not list them. */
	unlistedCredentialFiles: string[];
}

interface LoaderInternals {
	resolvePath(file: string): string;
	loadClass(sourcePath: string): unknown;
	inferSupportedNodes?: () => void;
}

function patchLoader(loader: PackageDirectoryLoader): void {
	const internals = loader as unknown as LoaderInternals;
	const originalResolve = internals.resolvePath.bind(loader);
	internals.resolvePath = (file: string) => originalResolve(toSourcePath(file));
	internals.loadClass = (sourcePath: string) => {
		const filePath = internals.resolvePath(sourcePath);
		const [className] = path.parse(sourcePath).name.split('.');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(filePath) as Record<string, unknown>;
		const Class = mod[className];
		if (typeof Class !== 'function') {
			throw new Error(
				`${path.relative(PACKAGE_ROOT, filePath)} does not export a class named "${className}" ` +
					'(n8n requires the class name to equal the file-name prefix)',
			);
		}
		return new (Class as new () => unknown)();
	};
}

let packagePromise: Promise<LoadedPackage> | undefined;

async function loadPackage(): Promise<LoadedPackage> {
	await getEnv(); // the loader needs n8n's Logger, which needs the configured container
	const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
	patchLoader(loader);
	await loader.loadAll();

	// While package.json `n8n.credentials` is still being filled in, credential classes in
	// credentials/ are loaded too, so credential tests work before the package lists them.
	const unlistedCredentialFiles: string[] = [];
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
		(loader as unknown as LoaderInternals).inferSupportedNodes?.call(loader);
	}

	const nodeTypes: Record<string, INodeType | IVersionedNodeType> = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodeTypes[`${loader.packageName}.${name}`] = type;
	}
	const credentialTypes: Record<string, ICredentialType> = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		credentialTypes[name] = type;
	}
	return { packageName: loader.packageName, nodeTypes, credentialTypes, unlistedCredentialFiles };
}

/** This package's nodes and credentials, loaded once per module registry. */
export async function getPackage(): Promise<LoadedPackage> {
	packagePromise ??= loadPackage();
	return await packagePromise;
}

const preparedExtraTypes = new WeakSet<object>();

/** What n8n's loader does to a node type on load, applied once to node types passed in by tests. */
function prepareExtraNodeType(type: INodeType | IVersionedNodeType): void {
	if (preparedExtraTypes.has(type)) return;
	preparedExtraTypes.add(type);
	const versions: INodeType[] =
		'nodeVersions' in type ? Object.values(type.nodeVersions) : [type as INodeType];
	for (const version of versions) {
		if (version.methods?.loadOptions) {
			version.description.__loadOptionsMethods = Object.keys(version.methods.loadOptions);
		}
		DirectoryLoader.applyDeclarativeNodeOptionParameters(version);
	}
}

export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
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

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.entries(this.types).map(([name, type]) => [
				name,
				{ className: type.constructor.name, sourcePath: '' },
			]),
		);
	}

	/** Every registered type name (package, helper and extra types). */
	names(): string[] {
		return Object.keys(this.types);
	}
}

export class HarnessCredentialTypes {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly nodeTypes: HarnessNodeTypes,
	) {}

	recognizes(name: string): boolean {
		return name in this.types;
	}

	getByName(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new UnrecognizedCredentialTypeError(name);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** Full names of the node types (any version) that declare this credential. */
	getSupportedNodes(name: string): string[] {
		return this.nodeTypes.names().filter((typeName) => {
			const type = this.nodeTypes.getByName(typeName);
			const versions: INodeType[] =
				'nodeVersions' in type ? Object.values(type.nodeVersions) : [type as INodeType];
			return versions.some((v) => v.description.credentials?.some((c) => c.name === name));
		});
	}
}

export interface TypeRegistry {
	nodeTypes: HarnessNodeTypes;
	credentialTypes: HarnessCredentialTypes;
	packageName: string;
}

/** Package types + helper types + the extra types of one run (extras win on name clashes). */
export async function createTypeRegistry(
	extraNodeTypes: Record<string, INodeType | IVersionedNodeType> = {},
	extraCredentialTypes: Record<string, ICredentialType> = {},
): Promise<TypeRegistry> {
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
