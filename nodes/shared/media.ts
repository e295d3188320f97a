import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ItemReader } from './item-reader';

export interface MediaFile {
	data: Buffer;
	fileName: string;
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

const MIME_BY_EXTENSION: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	gif: 'image/gif',
	pdf: 'application/pdf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	txt: 'text/plain',
	csv: 'text/csv',
	mp4: 'video/mp4',
	'3gp': 'video/3gpp',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	aac: 'audio/aac',
	amr: 'audio/amr',
	m4a: 'audio/mp4',
	wav: 'audio/wav',
};

function extensionOf(fileName: string): string | undefined {
	const match = /\.([a-z0-9]+)$/i.exec(fileName);
	return match?.[1].toLowerCase();
}

function extensionFor(mimeType: string): string | undefined {
	return Object.entries(MIME_BY_EXTENSION).find(([, mime]) => mime === mimeType)?.[0];
}

export function mimeTypeFor(fileName: string): string {
	return MIME_BY_EXTENSION[extensionOf(fileName) ?? ''] ?? 'application/octet-stream';
}

function formatBytes(bytes: number): string {
	return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Fails the item when the file breaks the provider's rule; nothing is sent. */
export function checkMedia(item: ItemReader, file: MediaFile, rule: MediaRule): MediaFile {
	const extension = extensionOf(file.fileName) ?? extensionFor(file.mimeType);
	if (rule.extensions.length && (!extension || !rule.extensions.includes(extension))) {
		item.fail(
			`${rule.label} must be ${rule.extensions.join(', ')}: "${file.fileName}" is not`,
			`Choose a ${rule.extensions.join('/')} file, or pick the attachment type that matches the file.`,
		);
	}
	if (file.data.length > rule.maxBytes) {
		item.fail(
			`${rule.label} is too large: ${formatBytes(file.data.length)} (the limit is ${formatBytes(rule.maxBytes)})`,
			'Compress or shorten the file, or send a link to it in the message text instead.',
		);
	}
	if (file.data.length === 0) item.fail(`${rule.label} "${file.fileName}" is empty`);
	return file;
}

export type MediaSource = 'binary' | 'url' | 'base64';

/** The fields that let a user give a file three ways. */
export function mediaSourceFields(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	const shownFor = (source: MediaSource): INodeProperties['displayOptions'] => ({
		...displayOptions,
		show: { ...displayOptions?.show, mediaSource: [source] },
	});
	return [
		{
			displayName: 'File Source',
			name: 'mediaSource',
			type: 'options',
			default: 'binary',
			displayOptions,
			options: [
				{ name: 'Binary Data of the Input Item', value: 'binary', description: 'A file read or downloaded earlier in the workflow' },
				{ name: 'URL', value: 'url', description: 'Download the file from a public link first' },
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

/** Reads the file the item's media fields point at. */
export async function readMedia(item: ItemReader): Promise<MediaFile> {
	const source = item.string('mediaSource') as MediaSource;
	if (source === 'binary') {
		const property = item.string('binaryPropertyName');
		const inputBinary = item.ctx.getInputData()[item.index]?.binary ?? {};
		if (!inputBinary[property]) {
			const present = Object.keys(inputBinary);
			item.fail(
				`The input item has no binary field "${property}"`,
				present.length
					? `Its binary fields are: ${present.join(', ')}. Enter one of them in "Input Binary Field".`
					: 'Add a node before this one that reads or downloads the file (e.g. Read/Write Files from Disk or HTTP Request).',
			);
		}
		const binary = item.ctx.helpers.assertBinaryData(item.index, property);
		const data = await item.ctx.helpers.getBinaryDataBuffer(item.index, property);
		const fileName = binary.fileName ?? `file.${binary.fileExtension ?? extensionFor(binary.mimeType) ?? 'bin'}`;
		return { data, fileName, mimeType: binary.mimeType || mimeTypeFor(fileName) };
	}
	if (source === 'url') {
		const url = item.string('mediaUrl');
		if (!/^https?:\/\//i.test(url)) item.fail(`File URL must start with http:// or https://: "${url}"`);
		let response: { body: Buffer; headers: Record<string, string> };
		try {
			response = await item.ctx.helpers.httpRequest({ url, encoding: 'arraybuffer', returnFullResponse: true, timeout: 60_000 });
		} catch (error) {
			return item.fail(`Could not download the file at ${url}`, (error as Error).message);
		}
		const nameFromUrl = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'file';
		const mimeType = String(response.headers['content-type'] ?? '').split(';')[0] || mimeTypeFor(nameFromUrl);
		const fileName = extensionOf(nameFromUrl) ? nameFromUrl : `${nameFromUrl}.${extensionFor(mimeType) ?? 'bin'}`;
		return { data: Buffer.from(response.body), fileName, mimeType };
	}
	const fileName = item.string('mediaFileName');
	const text = item.string('mediaBase64').replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) item.fail('Base64 Content is not valid base64', 'Remove any text around the base64 data.');
	return { data: Buffer.from(text, 'base64'), fileName, mimeType: mimeTypeFor(fileName) };
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
