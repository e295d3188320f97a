/**
 * Node and credential type registries for the in-process engine, filled from packages loaded with
 * n8n-core's PackageDirectoryLoader — the shape n8n's own server (LoadNodesAndCredentials +
 * NodeTypes + CredentialTypes) gives WorkflowExecute: node types are `<package>.<name>`,
 * credential types are bare names, `supportedNodes` hold full node type names.
 */
import type {
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	INodeProperties,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

type AnyNodeType = INodeType | IVersionedNodeType;

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, { type: AnyNodeType; sourcePath: string }>();

	add(fullName: string, type: AnyNodeType, sourcePath = ''): void {
		this.types.set(fullName, { type, sourcePath });
	}

	has(fullName: string): boolean {
		return this.types.has(fullName);
	}

	names(): string[] {
		return [...this.types.keys()];
	}

	getByName(nodeType: string): AnyNodeType {
		const entry = this.types.get(nodeType);
		if (!entry) {
			throw new UnexpectedError(
				`Unrecognized node type "${nodeType}" (known: ${this.names().join(', ') || 'none'})`,
			);
		}
		return entry.type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const [name, { type, sourcePath }] of this.types) {
			known[name] = { className: type.constructor.name, sourcePath };
		}
		return known;
	}

	/** Latest version of a node type (what the editor puts on a newly added node). */
	latestVersion(nodeType: string): number {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) return type.currentVersion;
		const { version } = type.description;
		return Array.isArray(version) ? Math.max(...version) : version;
	}
}

export class HarnessCredentialTypes implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	private readonly supportedNodes = new Map<string, string[]>();

	add(type: ICredentialType, supportedNodes: string[] = []): void {
		this.types.set(type.name, type);
		this.supportedNodes.set(type.name, supportedNodes);
	}

	names(): string[] {
		return [...this.types.keys()];
	}

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types.get(credentialType);
		if (!type) {
			throw new UnexpectedError(
				`Unrecognized credential type "${credentialType}" (known: ${this.names().join(', ') || 'none'})`,
			);
		}
		return type;
	}

	getSupportedNodes(type: string): string[] {
		return this.supportedNodes.get(type) ?? [];
	}

	/** All ancestors through `extends`, nearest first (as n8n's CredentialTypes does). */
	getParentTypes(typeName: string): string[] {
		const extendsArr = this.types.get(typeName)?.extends ?? [];
		const parents = [...extendsArr];
		for (const parent of extendsArr) parents.push(...this.getParentTypes(parent));
		return parents;
	}

	/** Properties including the inherited ones; the type's own properties take precedence. */
	getProperties(type: string): INodeProperties[] {
		const credentialType = this.getByName(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			if (this.recognizes(parent)) NodeHelpers.mergeNodeProperties(combined, this.getProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}
