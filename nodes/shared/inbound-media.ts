import type { BinaryHelperFunctions, IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { extensionOf, fileKind, isKindConflict } from './file-kind';
import { downloadFile, MB, shownUrl, type DownloadContext, type MediaFile } from './media';

/**
 * Inbound media as n8n binary data, for every trigger: with "Download Media" on, the file a message
 * carries is downloaded (the same streaming, size-capped, private-network-checked download the
 * action nodes use) and put on the item. A file that cannot be had leaves the item as it is, with a
 * `mediaError` that says why: no message is ever dropped for its file.
 *
 * A trigger adds INBOUND_MEDIA_OPTIONS to its Options and turns its records into items with
 * inboundItems() (webhook: emitInbound in webhook.ts; polling: inboundPollResult in polling.ts),
 * giving each record the media link of its message, e.g. from its normalized form.
 */

/** Where a message's file is, as the provider describes it. */
export interface MediaLink {
	url?: string;
	fileName?: string;
	mimeType?: string;
}

/** One output record of a trigger, and the file its message carries (none for a text or an ack). */
export interface InboundRecord {
	json: IDataObject;
	media?: MediaLink | null;
}

/** The binary property the file goes in: the one action nodes read by default. */
export const INBOUND_MEDIA_PROPERTY = 'data';

const DEFAULT_LIMIT_MB = 16;
/** Downloads of one delivery or poll running at once. */
const PARALLEL_DOWNLOADS = 4;

export const INBOUND_MEDIA_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Download Media',
		name: 'downloadMedia',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the file a message carries (photo, voice note, video, document) and put it on the item as binary data "data", with its file name and MIME type. A file that cannot be downloaded leaves the item in place with a "mediaError" saying why.',
	},
	{
		displayName: 'Media Size Limit (MB)',
		name: 'mediaSizeLimitMb',
		type: 'number',
		typeOptions: { minValue: 0.01, maxValue: 1024, numberPrecision: 2 },
		default: DEFAULT_LIMIT_MB,
		description:
			'With Download Media on: a larger file is not downloaded (n8n stops reading at the limit) and the item gets a "mediaError". WhatsApp allows images up to 5 MB, audio and video up to 16 MB, documents up to 100 MB.',
	},
	{
		displayName: 'Allow Private Network URLs',
		name: 'allowPrivateNetworkUrls',
		type: 'boolean',
		default: false,
		description:
			'Whether Download Media may also download from addresses inside your own network (localhost, 10.x, 172.16–31.x, 192.168.x, 169.254.x, names without a domain). Off keeps a link in a message away from internal services.',
	},
];

interface InboundMediaSettings {
	downloadMedia?: boolean;
	mediaSizeLimitMb?: number;
	allowPrivateNetworkUrls?: boolean;
}

/** What inboundItems needs of a trigger's context: webhook and poll contexts both have it. */
export interface InboundContext extends DownloadContext {
	getNodeParameter(name: 'options', fallback: IDataObject): unknown;
	helpers: DownloadContext['helpers'] & Pick<BinaryHelperFunctions, 'prepareBinaryData'>;
}

const LINK_FIX =
	'The link the provider sent does not give the file: it may have expired, or the file may have been deleted. Ask the sender to send it again, or download it from the provider\'s dashboard.';

function isHttpLink(text: string): boolean {
	try {
		return /^https?:$/.test(new URL(text).protocol);
	} catch {
		return false;
	}
}

/** The file of `media`, named and typed as the provider and the file itself agree; throws a NodeOperationError saying why not. */
async function fetchInbound(ctx: InboundContext, media: MediaLink, settings: Required<Omit<InboundMediaSettings, 'downloadMedia'>>): Promise<MediaFile> {
	const link = String(media.url ?? '').trim();
	if (!isHttpLink(link)) {
		throw new NodeOperationError(
			ctx.getNode(),
			link === '' ? 'The message carries no link to its file' : `The message's link to its file is not an http(s) address: "${link.slice(0, 200)}"`,
			{ description: 'Nothing was downloaded; the rest of the message is on the item.' },
		);
	}
	const shown = shownUrl(new URL(link));
	const file = await downloadFile(ctx, link, {
		maxBytes: Math.floor(settings.mediaSizeLimitMb * MB),
		label: 'The file',
		source: shown,
		allowPrivateNetwork: settings.allowPrivateNetworkUrls,
		tooLargeFix: 'Raise "Media Size Limit (MB)" in the trigger\'s options to download larger files.',
		linkFix: LINK_FIX,
	});
	const declared = { fileName: media.fileName?.trim() || file.fileName, mimeType: media.mimeType?.trim() || file.mimeType };
	const kind = fileKind({ data: file.data, ...declared });
	if (isKindConflict(kind)) {
		throw new NodeOperationError(ctx.getNode(), `The file at ${shown} is not what the message says: ${kind.disagreement}`, { description: LINK_FIX });
	}
	const fileName = extensionOf(declared.fileName) || !kind.extension ? declared.fileName : `${declared.fileName}.${kind.extension}`;
	return { data: file.data, fileName, mimeType: kind.mimeType };
}

async function withFile(ctx: InboundContext, record: InboundRecord, settings: Required<Omit<InboundMediaSettings, 'downloadMedia'>>): Promise<INodeExecutionData> {
	if (!record.media) return { json: record.json };
	try {
		const file = await fetchInbound(ctx, record.media, settings);
		const binary = await ctx.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
		return { json: record.json, binary: { [INBOUND_MEDIA_PROPERTY]: binary } };
	} catch (error) {
		const { message, description } = error instanceof NodeOperationError ? error : { message: `Could not store the file: ${(error as Error).message}`, description: undefined };
		return { json: { ...record.json, mediaError: description ? `${message.replace(/\.$/, '')}. ${description}` : message } };
	}
}

/**
 * The trigger's records as items: as they are, or, with the trigger's "Download Media" option on,
 * each message's file as binary data (or a `mediaError`). Order is kept; nothing is dropped.
 */
export async function inboundItems(ctx: InboundContext, records: InboundRecord[]): Promise<INodeExecutionData[]> {
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as InboundMediaSettings;
	if (options.downloadMedia !== true) return records.map((record) => ({ json: record.json }));
	const limit = Number(options.mediaSizeLimitMb ?? DEFAULT_LIMIT_MB);
	const settings = {
		mediaSizeLimitMb: Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_LIMIT_MB,
		allowPrivateNetworkUrls: options.allowPrivateNetworkUrls === true,
	};
	const items: INodeExecutionData[] = new Array(records.length);
	let next = 0;
	const worker = async () => {
		while (next < records.length) {
			const index = next++;
			items[index] = await withFile(ctx, records[index], settings);
		}
	};
	await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, records.length) }, worker));
	return items;
}
