import type { IDataObject, INode, INodeExecutionData, INodeProperties, NodeEgressFilter, RequestHelperFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { extensionOf, extensionOfMimeType, fileKind, isKindConflict } from './file-kind';
import type { ItemReader } from './item-reader';
import { privateAddressReason, privateHostReason } from './network';

export interface MediaFile {
	data: Buffer;
	fileName: string;
	/** As declared by where the file came from; '' when nothing declared one (checkMedia settles it). */
	mimeType: string;
}

/** What a provider accepts for one kind of file. */
export interface MediaRule {
	label: string;
	maxBytes: number;
	/** Lower-case extensions without the dot; empty accepts any. */
	extensions: string[];
}

export const MB = 1024 * 1024;

const MAX_REDIRECTS = 5;
/** How long the server may take to start answering, and to send the whole file. */
const RESPONSE_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const ALLOW_PRIVATE_NETWORK = 'Allow Private Network URLs';

function formatBytes(bytes: number): string {
	return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Fails the item when the file breaks the provider's rule, or when its name, MIME type and content
 * disagree about what it is; nothing is sent. `origin` names the field the file came from, for the
 * message, and `field` the parameter that holds it. Gives the file back with the MIME type the checks
 * settled on (and an extension when its name had none).
 */
export function checkMedia(item: ItemReader, file: MediaFile, rule: MediaRule, origin?: string, field?: string): MediaFile {
	if (file.data.length > rule.maxBytes) {
		item.fail(
			`${rule.label} is too large: ${formatBytes(file.data.length)} (the limit is ${formatBytes(rule.maxBytes)})`,
			'Compress or shorten the file, or send a link to it in the message text instead.',
			field,
		);
	}
	if (file.data.length === 0) item.fail(`${rule.label} "${file.fileName}" is empty`, undefined, field);
	const kind = fileKind(file);
	if (isKindConflict(kind)) {
		return item.fail(
			`${rule.label} "${file.fileName}" is not what it claims to be: ${kind.disagreement}`,
			`${origin ? `The file comes from ${origin}. ` : ''}Choose the right file, or correct its name or MIME type so that they match its content.`,
			field,
		);
	}
	const fileName = extensionOf(file.fileName) || !kind.extension ? file.fileName : `${file.fileName}.${kind.extension}`;
	const extension = extensionOf(fileName);
	if (rule.extensions.length && (!extension || !rule.extensions.includes(extension))) {
		item.fail(
			`${rule.label} must be ${rule.extensions.join(', ')}: "${fileName}" is not`,
			`Choose a ${rule.extensions.join('/')} file, or pick the attachment type that matches the file.`,
			field,
		);
	}
	return { data: file.data, fileName, mimeType: kind.mimeType };
}

export type MediaSource = 'binary' | 'url' | 'base64';

export interface MediaSourceOptions {
	/**
	 * Who downloads a file given by URL: n8n (the default: the node reads and checks it) or the
	 * provider, which gets the link itself (n8n then never connects to it).
	 */
	urlFetchedBy?: 'n8n' | 'provider';
}

/** The fields that let a user give a file three ways. */
export function mediaSourceFields(displayOptions: INodeProperties['displayOptions'], options: MediaSourceOptions = {}): INodeProperties[] {
	const shownFor = (source: MediaSource): INodeProperties['displayOptions'] => ({
		...displayOptions,
		show: { ...displayOptions?.show, mediaSource: [source] },
	});
	const fetchedByN8n = (options.urlFetchedBy ?? 'n8n') === 'n8n';
	const privateNetworkOption: INodeProperties = {
		displayName: ALLOW_PRIVATE_NETWORK,
		name: 'allowPrivateNetworkUrls',
		type: 'boolean',
		default: false,
		description:
			'Whether to download from addresses inside your own network too (localhost, 10.x, 172.16–31.x, 192.168.x, 169.254.x, names without a domain). Off keeps a link from outside, e.g. one an AI agent passes on, away from internal services.',
		displayOptions: shownFor('url'),
	};
	return [
		{
			displayName: 'File Source',
			name: 'mediaSource',
			type: 'options',
			default: 'binary',
			displayOptions,
			options: [
				{ name: 'Binary Data of the Input Item', value: 'binary', description: 'A file read or downloaded earlier in the workflow' },
				{
					name: 'URL',
					value: 'url',
					description: fetchedByN8n ? 'Download the file from a public link first' : 'A public link the provider downloads the file from',
				},
				{ name: 'Base64 Text', value: 'base64', description: 'The file as base64 text, e.g. from another API' },
			],
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input item\'s binary field that holds the file',
			displayOptions: shownFor('binary'),
		},
		{
			displayName: 'File URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/brochure.pdf',
			displayOptions: shownFor('url'),
		},
		...(fetchedByN8n ? [privateNetworkOption] : []),
		{
			displayName: 'Base64 Content',
			name: 'mediaBase64',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			displayOptions: shownFor('base64'),
		},
		{
			displayName: 'File Name',
			name: 'mediaFileName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'brochure.pdf',
			description: 'The name the recipient sees; its extension tells the file type',
			displayOptions: shownFor('base64'),
		},
	];
}

/**
 * Reads the file the item's media fields point at and checks it against `rule` (see checkMedia).
 * `fileName`, when the operation lets the user name the file, replaces its own name before the checks.
 */
export async function readMedia(
	item: ItemReader,
	rule: MediaRule,
	options: { fileName?: string; ruleFor?: (file: MediaFile) => MediaRule } = {},
): Promise<MediaFile> {
	const { file, origin, field } = await readSource(item, item.string('mediaSource') as MediaSource, rule);
	const named = options.fileName ? { ...file, fileName: options.fileName } : file;
	return checkMedia(item, named, options.ruleFor?.(named) ?? rule, origin, field);
}

/** The file in binary field `property` of the input item, or the item fails naming `field` and the fields it has. */
export async function inputBinaryFile(item: ItemReader, property: string, field = 'binaryPropertyName'): Promise<MediaFile> {
	const inputBinary = item.ctx.getInputData()[item.index]?.binary ?? {};
	if (!inputBinary[property]) {
		const present = Object.keys(inputBinary);
		item.fail(
			`The input item has no binary field "${property}"`,
			present.length
				? `Its binary fields are: ${present.join(', ')}. Enter one of them in "${item.label(field)}".`
				: 'Add a node before this one that reads or downloads the file (e.g. Read/Write Files from Disk or HTTP Request).',
			field,
		);
	}
	const binary = item.ctx.helpers.assertBinaryData(item.index, property);
	const data = await item.ctx.helpers.getBinaryDataBuffer(item.index, property);
	const fileName = binary.fileName ?? `file.${binary.fileExtension ?? extensionOfMimeType(binary.mimeType) ?? 'bin'}`;
	return { data, fileName, mimeType: binary.mimeType ?? '' };
}

async function readSource(item: ItemReader, source: MediaSource, rule: MediaRule): Promise<{ file: MediaFile; origin: string; field: string }> {
	if (source === 'binary') {
		const property = item.string('binaryPropertyName');
		return { file: await inputBinaryFile(item, property), origin: `the input binary field "${property}"`, field: 'binaryPropertyName' };
	}
	if (source === 'url') return { file: await download(item, rule), origin: `"${item.label('mediaUrl')}"`, field: 'mediaUrl' };
	const fileName = item.string('mediaFileName');
	const text = item.string('mediaBase64').replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) item.fail('Base64 Content is not valid base64', 'Remove any text around the base64 data.', 'mediaBase64');
	return { file: { data: Buffer.from(text, 'base64'), fileName, mimeType: '' }, origin: '"Base64 Content"', field: 'mediaBase64' };
}

/** A URL as it may be shown: no user name, password or query string (signed links carry secrets there). */
export const shownUrl = (url: URL) => `${url.origin}${url.pathname}`;

/** `text` fit to start a sentence; a URL stays as it is. */
const capitalized = (text: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1));

/** What a download needs from n8n: any node context has it (execute, webhook, poll). */
export interface DownloadContext {
	getNode(): INode;
	helpers: Pick<RequestHelperFunctions, 'httpRequest'> & Partial<Pick<RequestHelperFunctions, 'getSecureEgressFilter'>>;
}

export interface DownloadOptions {
	/** The most bytes to read; a larger file is refused without reading it all. */
	maxBytes: number;
	/** What the file is, starting a sentence: "Image", "The message's file". */
	label: string;
	/** Where the link comes from, as the messages name it: `"File URL"`, `the link in the message`. */
	source: string;
	/** Whether links into n8n's own network may be followed. */
	allowPrivateNetwork: boolean;
	/** The fix for a file over the limit. */
	tooLargeFix: string;
	/** The fix for a link that does not give the file (an error status, no answer). */
	linkFix: string;
}

function parseDownloadUrl(node: INode, text: string, field: string): URL {
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || !['http:', 'https:'].includes(url.protocol)) {
		throw new NodeOperationError(node, `${capitalized(field)} must be an http:// or https:// address: "${text.slice(0, 200)}" is not`, {
			description: 'Enter the full link to the file, e.g. https://example.com/brochure.pdf.',
		});
	}
	return url;
}

interface StreamedResponse {
	body: AsyncIterable<Buffer> & { destroy(): void };
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
	statusMessage?: string;
}

/**
 * Downloads the file at `link` without ever holding more than `options.maxBytes`: a Content-Length
 * over the limit is refused before the body is read, and a body without one is read only up to the
 * limit. Links into n8n's own network are refused, redirects included, unless allowed. Any failure
 * is a NodeOperationError that says what went wrong and what to do.
 */
export async function downloadFile(ctx: DownloadContext, link: string, options: DownloadOptions): Promise<MediaFile> {
	const { source, label, maxBytes } = options;
	const node = ctx.getNode();
	const refuse = (message: string, description?: string): never => {
		throw new NodeOperationError(node, message, { description });
	};
	let url = parseDownloadUrl(node, link, source);
	for (let redirects = 0; ; redirects++) {
		const target = redirects === 0 ? capitalized(source) : `${capitalized(source)} redirects to ${shownUrl(url)}, which`;
		if (!options.allowPrivateNetwork) await refusePrivateNetwork(ctx, url, target);
		const download = await get(ctx, url, options);
		const { response } = download;
		const location = response.headers.location;
		if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
			download.stop();
			if (redirects >= MAX_REDIRECTS) {
				refuse(`${capitalized(source)} redirects more than ${MAX_REDIRECTS} times`, `Enter the file's final address (the last one was ${shownUrl(url)}).`);
			}
			url = parseDownloadUrl(node, new URL(location, url).href, `the address ${source} redirects to`);
			continue;
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			download.stop();
			return refuse(
				`Could not download the file at ${shownUrl(url)}: the server answered ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
				options.linkFix,
			);
		}
		const declaredLength = Number(response.headers['content-length'] ?? NaN);
		if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
			download.stop();
			return refuse(
				`${label} is too large: the file at ${source} is ${formatBytes(declaredLength)} (the limit is ${formatBytes(maxBytes)})`,
				`n8n did not download it. ${options.tooLargeFix}`,
			);
		}
		const data = await readUpTo(node, download, maxBytes, url);
		if (!data) {
			return refuse(
				`${label} is too large: the file at ${source} is more than ${formatBytes(maxBytes)} (the limit)`,
				`n8n stopped downloading at the limit. ${options.tooLargeFix}`,
			);
		}
		const contentType = response.headers['content-type'];
		return {
			data,
			fileName: fileNameOf(response.headers['content-disposition'], url),
			mimeType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : '',
		};
	}
}

/** The file at the item's "File URL", within `rule`'s size: the item fails when it cannot be had. */
async function download(item: ItemReader, rule: MediaRule): Promise<MediaFile> {
	const field = item.label('mediaUrl');
	const link = item.string('mediaUrl');
	try {
		return await downloadFile(item.ctx, link, {
			maxBytes: rule.maxBytes,
			label: rule.label,
			source: `"${field}"`,
			allowPrivateNetwork: item.boolean('allowPrivateNetworkUrls'),
			tooLargeFix: 'Compress or shorten the file, or send the link in the message text instead.',
			linkFix: `Check "${field}": the link must lead to the file itself and work without logging in.`,
		});
	} catch (error) {
		const { message, description } = error as { message: string; description?: string | null };
		return item.fail(message, description ?? undefined, 'mediaUrl');
	}
}

interface Download {
	response: StreamedResponse;
	/** Hangs up: nothing more of the body is read or sent. */
	stop(): void;
	/** The download took longer than DOWNLOAD_TIMEOUT_MS and was stopped. */
	timedOut(): boolean;
}

async function get(ctx: DownloadContext, url: URL, options: DownloadOptions): Promise<Download> {
	const hangUp = new AbortController();
	// n8n's request timeout ends once the answer starts; this one bounds the whole body too. Its timer
	// does not keep the process alive.
	const deadline = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
	let response: StreamedResponse;
	try {
		response = (await ctx.helpers.httpRequest({
			url: url.href,
			method: 'GET',
			encoding: 'stream',
			returnFullResponse: true,
			// downloadFile() checks every hop before following it.
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			timeout: RESPONSE_TIMEOUT_MS,
			abortSignal: AbortSignal.any([hangUp.signal, deadline]),
		})) as StreamedResponse;
	} catch (error) {
		const name = (error as Error).name;
		const blocked = name === 'SsrfBlockedIpError' || name === 'SsrfBlockedHostnameError';
		throw new NodeOperationError(
			ctx.getNode(),
			blocked ? `Could not download the file at ${shownUrl(url)}: this n8n instance blocks that address` : `Could not download the file at ${shownUrl(url)}`,
			{
				description: blocked
					? `Its administrator restricts the addresses n8n may connect to (the N8N_SSRF_* settings); "${ALLOW_PRIVATE_NETWORK}" cannot lift that.`
					: `${(error as Error).message}. ${options.linkFix}`,
			},
		);
	}
	return {
		response,
		stop() {
			// The body first: aborting a body nobody reads would raise an error nobody catches.
			response.body.destroy();
			hangUp.abort();
		},
		timedOut: () => deadline.aborted,
	};
}

/** The body, or undefined as soon as it grows past `maxBytes` (the rest is never read). */
async function readUpTo(node: INode, download: Download, maxBytes: number, url: URL): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let total = 0;
	try {
		for await (const chunk of download.response.body) {
			total += chunk.length;
			if (total > maxBytes) {
				download.stop();
				return undefined;
			}
			chunks.push(chunk);
		}
	} catch (error) {
		const timedOut = download.timedOut();
		throw new NodeOperationError(
			node,
			timedOut ? `The download of ${shownUrl(url)} took longer than ${DOWNLOAD_TIMEOUT_MS / 60_000} minutes` : `The download of ${shownUrl(url)} broke off`,
			{ description: timedOut ? 'n8n stopped it. Check that the server sends the file at a usable speed, or use a smaller file.' : (error as Error).message },
		);
	}
	return Buffer.concat(chunks, total);
}

/** The name the server gives the file (Content-Disposition), else the last part of its path. */
function fileNameOf(disposition: string | string[] | undefined, url: URL): string {
	const given = typeof disposition === 'string' ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] : undefined;
	const raw = given ?? url.pathname.split('/').pop() ?? '';
	let name: string;
	try {
		name = decodeURIComponent(raw);
	} catch {
		name = raw;
	}
	return name.replace(/[/\\]/g, '_').trim() || 'file';
}

/**
 * Refuses `url` when it leads into n8n's own network. Two layers: the host as written (an address
 * in a private range, or a local-only name), then the addresses the name resolves to, through
 * n8n's own egress filter with its policy enforced (n8n 2.x: its default blocked ranges and any
 * the instance adds with N8N_SSRF_BLOCKED_IP_RANGES).
 */
async function refusePrivateNetwork(ctx: DownloadContext, url: URL, target: string): Promise<void> {
	const fail = (message: string, description?: string): never => {
		throw new NodeOperationError(ctx.getNode(), message, { description });
	};
	const refuse = (what: string): never =>
		fail(
			`${target} points to ${what}: turn on "${ALLOW_PRIVATE_NETWORK}" to download from it`,
			'Links into n8n\'s own network are refused by default, so that a link from outside (a customer, a spreadsheet, an AI agent) cannot reach internal services. Turn the option on only for links you trust.',
		);
	const hostReason = privateHostReason(url.hostname);
	if (hostReason) refuse(`${hostReason} (${url.hostname})`);

	// Older n8n versions have no egress filter: only the host as written is checked there.
	const helpers = ctx.helpers;
	if (typeof helpers.getSecureEgressFilter !== 'function') return;
	let verdict: Awaited<ReturnType<NodeEgressFilter['validateUrl']>> | undefined;
	let lookupError: Error | undefined;
	try {
		verdict = await helpers.getSecureEgressFilter('enforced').validateUrl(url);
	} catch (error) {
		lookupError = error as Error;
	}
	if (!verdict) return fail(`Could not download the file at ${shownUrl(url)}: ${url.hostname} was not found`, lookupError?.message);
	if (verdict.ok) return;
	const blockedIp = (verdict.error as { ip?: unknown }).ip;
	if (typeof blockedIp === 'string') {
		refuse(`${privateAddressReason(blockedIp) ?? 'an address this n8n instance blocks'} (${url.hostname} is ${blockedIp})`);
	}
	if (verdict.error.name === 'SsrfBlockedHostnameError') refuse(`a host this n8n instance blocks (${url.hostname})`);
	fail(`Could not download the file at ${shownUrl(url)}`, verdict.error.message);
}

/** `data:<mime>;base64,<data>` as bytes; undefined for anything else. */
export function parseDataUri(uri: unknown): { data: Buffer; mimeType: string } | undefined {
	if (typeof uri !== 'string') return undefined;
	const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(uri.trim());
	return match ? { data: Buffer.from(match[2], 'base64'), mimeType: match[1] ?? 'application/octet-stream' } : undefined;
}

export function toDataUri(file: MediaFile): string {
	return `data:${file.mimeType};base64,${file.data.toString('base64')}`;
}

/** An output item carrying a file, e.g. a QR code, under `property`. */
export async function binaryItem(item: ItemReader, json: IDataObject, file: MediaFile, property: string): Promise<INodeExecutionData> {
	const binary = await item.ctx.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	return { json, binary: { [property]: binary } };
}

/** The field naming the output binary property, e.g. for a QR code image. */
export function binaryOutputField(displayName: string, fallback = 'data'): INodeProperties {
	return {
		displayName,
		name: 'binaryPropertyName',
		type: 'string',
		default: fallback,
		required: true,
		hint: 'The name of the output binary field to put the file in',
	};
}
