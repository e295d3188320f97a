import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { ZodTypeAny } from 'zod';

import type { ProviderClient } from './http';
import type { ItemReader } from './item-reader';
import type { MultipartPart } from './multipart';

/** What an operation asks the HTTP layer to send, relative to the credential's base URL. */
export interface RequestSpec {
	method: IHttpRequestMethods;
	path: string;
	query?: IDataObject;
	/** Sent as JSON. */
	body?: IDataObject | IDataObject[];
	/** Sent as multipart/form-data (takes precedence over `body`). */
	form?: MultipartPart[];
	/** The response is a file (image, document): returned as a Buffer with its content type. */
	binaryResponse?: boolean;
	/**
	 * Credential fields that stand in for the credential's own in this request, e.g. the API key of
	 * another app of the same account. The credential's authentication applies them as it applies
	 * its own, and the secret ones are hidden like the credential's from then on.
	 */
	credentialOverride?: ICredentialDataDecryptedObject;
	/** Secret values this request carries (a token in its body or query): never shown in an error. */
	secrets?: string[];
	/**
	 * Fields of the answer whose values are secret (a token, a signing secret shown once): they are
	 * never shown in an error about this request. The answer itself keeps them.
	 */
	secretAnswerFields?: string[];
}

export interface BinaryResponse {
	data: Buffer;
	mimeType: string;
}

/** Where a list operation stands between two page requests. */
export interface PageScheme<Cursor = unknown> {
	/** Where the first page starts, given the operation's own request. */
	first(spec: RequestSpec): Cursor;
	/** The request for one page of `pageSize` records starting at `cursor`. */
	request(spec: RequestSpec, cursor: Cursor, pageSize: number): RequestSpec;
	/** The records of a page and the cursor of the next one (undefined when this was the last). */
	read(response: unknown, cursor: Cursor, pageSize: number): { records: IDataObject[]; next?: Cursor };
	/** The largest page the provider serves. */
	maxPageSize: number;
}

export interface Operation {
	resource: string;
	value: string;
	name: string;
	action: string;
	description?: string;
	fields: INodeProperties[];
	/** Safe to repeat after a 5xx, a timeout or a dropped connection (reads, deletes by id). */
	idempotent?: boolean;
	request(item: ItemReader): Promise<RequestSpec> | RequestSpec;
	/**
	 * Carries the operation out itself when it takes more than one call (wait on a stream, then
	 * poll): given the client and the operation's own request, it returns the answer to shape.
	 * Without it, the request is sent once (or page by page).
	 */
	perform?(client: ProviderClient, item: ItemReader, request: RequestSpec): Promise<unknown>;
	/**
	 * The provider's documented success answer (the raw body, before `unwrap`; extra fields
	 * allowed). An answer that does not fit fails the item: nothing counts as sent unless the
	 * provider said so. For a list, the shape of one page; for a file, the Buffer.
	 */
	success: ZodTypeAny;
	pages?: PageScheme;
	/**
	 * Only the first input item runs (an operation that waits for one answer, as n8n's own Send
	 * and Wait does); the others are left out with a hint.
	 */
	firstItemOnly?: boolean;
	/**
	 * Runs once after every item succeeded, with the node's output: e.g. puts the execution to
	 * wait. What it returns is the node's output.
	 */
	finish?(ctx: IExecuteFunctions, output: INodeExecutionData[]): Promise<INodeExecutionData[]>;
	/** Turns the provider's (already unwrapped) answer into output items; default: one item per record. */
	output?(
		result: unknown,
		item: ItemReader,
	): Promise<INodeExecutionData[] | IDataObject[] | IDataObject> | INodeExecutionData[] | IDataObject[] | IDataObject;
}

export interface ProviderError {
	message: string;
	description?: string;
}

export interface Provider {
	/** Shown in messages, e.g. "Mesigic". */
	displayName: string;
	credentialType: string;
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/**
	 * The provider's failure, if the answer is one. Called for every answer, because some
	 * providers signal errors inside a 200 response.
	 */
	errorOf(status: number, body: unknown): ProviderError | undefined;
	/** The useful part of a successful answer (e.g. the `data` of an envelope). */
	unwrap?(body: unknown): unknown;
	/** Credential fields whose values must never appear in an error, log or output. */
	secretFields: string[];
	/** Calls per minute the account may make, if the provider limits it. */
	callsPerMinute?(credentials: ICredentialDataDecryptedObject): number | undefined;
	/**
	 * Whether a failure means no later call can succeed either (e.g. the daily message quota is
	 * spent): the rest of the run's items then fail with it at once, without being sent.
	 */
	exhausts?(error: ProviderError, status: number): boolean;
	/** Extra guidance for an error, e.g. "whitelist the n8n server's IP" for an IP error. */
	hint?(error: ProviderError, status: number): string | undefined;
}

export type ExecuteContext = IExecuteFunctions;
