/**
 * A credentials helper for tests, implementing n8n-workflow's ICredentialsHelper the way n8n's
 * server (packages/cli/src/credentials-helper.ts) behaves, minus the database:
 *  - credential data is held in memory per credential type name, as given by the test;
 *  - getDecrypted adds the credential type's defaults (hidden fields included) and resolves
 *    expressions in credential values, like applyDefaultsAndOverwrites;
 *  - authenticate applies a generic `authenticate` (`properties.headers / qs / body / auth`, keys and
 *    values resolved as expressions with `$credentials`) or calls it when it is a function;
 *  - preAuthentication runs the type's `preAuthentication` when its expirable hidden field is empty,
 *    the credentials expired (401) or a credential test runs, and stores the result.
 * It never logs; `calls` records only which method ran for which type and node, no values.
 */
import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	isExpression,
} from 'n8n-workflow';

import type { HarnessCredentialTypes } from './registry';

export type CredentialsMap = Record<string, ICredentialDataDecryptedObject>;

export interface CredentialsHelperCall {
	method: 'getDecrypted' | 'authenticate' | 'preAuthentication' | 'update';
	type: string;
	node?: string;
}

const MOCK_NODE: INode = {
	id: 'harness-mock',
	name: '',
	type: 'harness.mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const MOCK_NODE_TYPE = {
	description: { name: 'harness.mock', properties: [] as INodeProperties[] },
} as unknown as INodeType;

/** Node types for throwaway workflows that only resolve expressions (as the server's mock). */
export const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => MOCK_NODE_TYPE,
	getByNameAndVersion: () => MOCK_NODE_TYPE,
	getKnownTypes: () => ({}),
};

function expressionWorkflow(): Workflow {
	return new Workflow({
		nodes: [{ ...MOCK_NODE }],
		connections: {},
		active: false,
		nodeTypes: MOCK_NODE_TYPES,
	});
}

export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	/** What ran, for which credential type and node — never any credential value. */
	readonly calls: CredentialsHelperCall[] = [];

	constructor(
		readonly credentialTypes: HarnessCredentialTypes,
		credentials: CredentialsMap = {},
	) {
		super();
		this.setAll(credentials);
	}

	set(type: string, data: ICredentialDataDecryptedObject): void {
		this.credentialTypes.getByName(type); // fail early on a typo
		this.store.set(type, structuredClone(data));
	}

	setAll(credentials: CredentialsMap): void {
		for (const [type, data] of Object.entries(credentials)) this.set(type, data);
	}

	has(type: string): boolean {
		return this.store.has(type);
	}

	/** The stored data (after any preAuthentication / token update), a copy. */
	get(type: string): ICredentialDataDecryptedObject | undefined {
		const data = this.store.get(type);
		return data === undefined ? undefined : structuredClone(data);
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const typeDef = this.credentialTypes.getByName(credentialType);
		if (!typeDef.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getProperties(type);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		this.calls.push({ method: 'authenticate', type: typeName, node: node?.name });
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		requestOptions.headers ??= {};
		if (authenticate.type !== 'generic') return requestOptions;

		const exprWorkflow = workflow ?? expressionWorkflow();
		const exprNode = node ?? exprWorkflow.nodes[MOCK_NODE.name];
		const resolve = (value: string): string => {
			if (!isExpression(value)) return value;
			const resolved = exprWorkflow.expression.getSimpleParameterValue(
				exprNode,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};

		const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
				target[outerKey] ??= {};
				target[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		// The server's marker of a credential test: a noOp node whose `temp` parameter is ''.
		const isTesting = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTesting) return undefined;

		this.calls.push({ method: 'preAuthentication', type: typeName, node: node?.name });
		const output = (await credentialType.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output?.[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			const stored = this.store.get(typeName) ?? {};
			const toPersist: ICredentialDataDecryptedObject = { ...stored };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
			}
			this.store.set(typeName, toPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const credentials = new Credentials(
			{ id: nodeCredentials.id ?? type, name: nodeCredentials.name ?? type },
			type,
		);
		await credentials.setData(this.requireStored(type));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.calls.push({ method: 'getDecrypted', type, node: executeData?.node?.name });
		const data = structuredClone(this.requireStored(type));
		if (raw === true) return data;
		return this.applyDefaults(additionalData, data, type, mode, executeData, expressionResolveValues);
	}

	/** Defaults of the credential type + expressions resolved, as the server's applyDefaultsAndOverwrites. */
	applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData | undefined,
		original: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		let data = NodeHelpers.getNodeParameters(
			properties,
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;

		const additionalKeys = additionalData
			? getAdditionalKeys(additionalData, mode, null, { isCredential: true })
			: {};
		if (expressionResolveValues) {
			try {
				data = expressionResolveValues.workflow.expression.getParameterValue(
					data as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const workflow = expressionWorkflow();
			data = workflow.expression.getComplexParameterValue(
				workflow.nodes[MOCK_NODE.name],
				data as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.calls.push({ method: 'update', type });
		this.store.set(type, structuredClone(data));
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.calls.push({ method: 'update', type });
		this.store.set(type, { ...(this.store.get(type) ?? {}), oauthTokenData: data.oauthTokenData });
	}

	private requireStored(type: string): ICredentialDataDecryptedObject {
		const data = this.store.get(type);
		if (data === undefined) {
			throw new UnexpectedError(
				`The test gave no credentials of type "${type}" (given: ${[...this.store.keys()].join(', ') || 'none'})`,
			);
		}
		return data;
	}
}
