/**
 * Inbound media as n8n binary data: with "Download Media" on, every trigger whose messages can
 * carry a file (Chat API webhook and polling, Mehery) puts the file on the item, named and typed,
 * downloaded from a real file served by the simulator. A file that cannot be had (a private
 * address without the option, over the size limit, a dead link, a sign-in page instead of the
 * file) leaves the item in place with a `mediaError` that says why; the other items are untouched.
 * Messingin's events carry text only (its document shows no media in them), so it has no option.
 */
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters, INodeTypeDescription } from 'n8n-workflow';

import { filesUrlOf, messageJson, receiveInbound, CHAT_API_SEED } from '../../sandbox/chatapi';
import { encodeGreyscalePng } from '../../sandbox/png';
import { inboundBatch, MEHERY_DEMO } from '../../sandbox/mehery';
import { startChatApi, type ChatApiSandbox } from '../support/chatapi';
import { loadPackage, type LoadedPackage } from '../support/engine';
import { startMehery, type MeherySandbox } from '../support/mehery';
import { until } from '../support/until';

const MB = 1024 * 1024;

let pkg: LoadedPackage;
let chatApi: ChatApiSandbox;
let mehery: MeherySandbox;

beforeAll(async () => {
	pkg = await loadPackage();
	chatApi = await startChatApi();
	mehery = await startMehery();
});
afterAll(async () => {
	await chatApi?.stop();
	await mehery?.stop();
});
beforeEach(() => {
	chatApi.server.reset();
	mehery.server.reset();
});

const bytesOf = async (binary: IBinaryData) => await Container.get(BinaryDataService).getAsBuffer(binary);
const jsonOf = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);

const PHOTO = encodeGreyscalePng(4, 4, new Uint8Array(16).fill(128));
const VOICE = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(2000, 1)]);
const download = { downloadMedia: true, allowPrivateNetworkUrls: true };

/** Waits until the file host has finished with every download, then gives them. */
const finishedDownloads = (server: { downloads(): Array<{ done: boolean; complete: boolean; sent: number; name: string }> }) =>
	until(() => {
		const downloads = server.downloads();
		return downloads.every((entry) => entry.done) ? downloads : undefined;
	});

// ---------------------------------------------------------------------------------------------
// Chat API Trigger (webhook)

describe('Chat API Trigger', () => {
	const WEBHOOK_ID = 'c4a7f6de-0000-4000-8000-0000000feed1';
	const node = (options: IDataObject = {}) => ({ name: 'Chat API Trigger', type: 'chatApiTrigger', webhookId: WEBHOOK_ID, parameters: { events: ['incomingMessage'], options } as INodeParameters });
	const credentials = () => ({ chatApiApi: chatApi.credentials });

	/** Publishes the trigger and delivers one batch of these messages to it. */
	async function deliver(options: IDataObject, messages: IDataObject[]) {
		const active = await pkg.activateWebhooks({ node: node(options), credentials: credentials() });
		expect(active.error).toBeUndefined();
		const secret = active.nodeStaticData.secret as string;
		const call = await pkg.callWebhook({ node: node(options), credentials: credentials(), staticData: active.staticData, request: { method: 'POST', query: { n8nSecret: secret }, body: { messages } } });
		expect(call.error).toBeUndefined();
		return call.workflowData?.[0] ?? [];
	}

	/** A customer's message as Chat API delivers it; a file's body is the instance's link to it. */
	const inbound = (fields: Parameters<typeof receiveInbound>[1]) => messageJson(receiveInbound(chatApi.server.state, fields), filesUrlOf(chatApi.server)) as unknown as IDataObject;
	const photo = () => inbound({ chatId: CHAT_API_SEED.customer.chatId, type: 'image', body: `data:image/png;base64,${PHOTO.toString('base64')}`, filename: 'receipt.png' });

	it('puts a photo and a voice note on their items as binary data, with file name and MIME type; a text stays as it is', async () => {
		const voice = inbound({ chatId: CHAT_API_SEED.customer.chatId, type: 'ptt', body: `data:audio/ogg;base64,${VOICE.toString('base64')}`, filename: 'voice' });
		const text = inbound({ chatId: CHAT_API_SEED.customer.chatId, body: 'See the photo' });
		const items = await deliver(download, [photo(), voice, text]);
		expect(items.map((item) => Object.keys(item.binary ?? {}))).toEqual([['data'], ['data'], []]);
		expect(items[0].binary!.data).toMatchObject({ fileName: 'receipt.png', mimeType: 'image/png' });
		expect(await bytesOf(items[0].binary!.data)).toEqual(PHOTO);
		// A name without an extension gets the one its type and content agree on.
		expect(items[1].binary!.data).toMatchObject({ fileName: 'voice.ogg', mimeType: 'audio/ogg' });
		expect(await bytesOf(items[1].binary!.data)).toEqual(VOICE);
		expect(jsonOf(items).map((json) => [json.event, json.mediaError])).toEqual([
			['incomingMessage', undefined],
			['incomingMessage', undefined],
			['incomingMessage', undefined],
		]);
		expect(items[2].json.body).toBe('See the photo');
	});

	it('downloads nothing unless asked: the item carries the link as before', async () => {
		const items = await deliver({}, [photo()]);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.body).toMatch(/\/files\/\d+_receipt\.png$/);
		expect(chatApi.server.received({ route: 'GET /instance12345/files/:name' })).toHaveLength(0);
	});

	it('gives the normalized output the file too', async () => {
		const items = await deliver({ ...download, normalized: true }, [photo()]);
		expect(items[0].json).toMatchObject({ provider: 'chatApi', type: 'image', media: { url: expect.stringMatching(/receipt\.png$/) } });
		expect(items[0].binary!.data).toMatchObject({ fileName: 'receipt.png', mimeType: 'image/png' });
	});

	it('refuses a link into the private network unless allowed: the item stays, with a mediaError saying so', async () => {
		const items = await deliver({ downloadMedia: true }, [photo()]);
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.mediaError).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/instance12345\/files\/\d+_receipt\.png points to a loopback address \(127\.0\.0\.1\): turn on "Allow Private Network URLs" to download from it\. Links into n8n's own network are refused by default/);
		expect(items[0].json.id).toBeDefined();
		expect(chatApi.server.received({ route: 'GET /instance12345/files/:name' })).toHaveLength(0);
	});

	it('stops at the size limit without reading the rest; the other files of the batch still come', async () => {
		const big = inbound({ chatId: CHAT_API_SEED.customer.chatId, type: 'video', body: chatApi.server.fileUrl('clip.mp4', { bytes: 8 * MB, length: 'none' }) });
		const items = await deliver({ ...download, mediaSizeLimitMb: 1 }, [big, photo()]);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.mediaError).toMatch(/^The file is too large: the file at http:\/\/127\.0\.0\.1:\d+\/instance12345\/files\/\d+_clip\.mp4 is more than 1\.0 MB \(the limit\)\. n8n stopped downloading at the limit\. Raise "Media Size Limit \(MB\)" in the trigger's options/);
		expect(items[1].binary!.data).toMatchObject({ fileName: 'receipt.png' });
		const [served] = await finishedDownloads(chatApi.server);
		expect(served).toMatchObject({ name: 'clip.mp4', complete: false });
		expect(served.sent).toBeLessThan(6 * MB);
	});

	it('says what a dead link answered, and what a sign-in page instead of the photo is', async () => {
		const gone = inbound({ chatId: CHAT_API_SEED.customer.chatId, type: 'image', body: chatApi.server.fileUrl('old.jpg', { status: 404 }) });
		const signIn = inbound({ chatId: CHAT_API_SEED.customer.chatId, type: 'image', body: chatApi.server.fileUrl('photo.jpg', { magic: 'html', type: 'image/jpeg' }) });
		const items = await deliver(download, [gone, signIn]);
		expect(items.map((item) => item.binary)).toEqual([undefined, undefined]);
		expect(items[0].json.mediaError).toMatch(/^Could not download the file at http:\/\/127\.0\.0\.1:\d+\/__sandbox\/files\/old\.jpg: the server answered 404 Not Found\. The link the provider sent does not give the file/);
		expect(items[1].json.mediaError).toMatch(/^The file at http:\/\/127\.0\.0\.1:\d+\/instance12345\/files\/\d+_photo\.jpg is not what the message says: the name says a JPEG image, the MIME type \(image\/jpeg\) says a JPEG image, the content says a web page \(HTML\)/);
	});
});

// ---------------------------------------------------------------------------------------------
// Chat API Polling Trigger

describe('Chat API Polling Trigger', () => {
	const poll = (options: IDataObject, staticData?: IDataObject) =>
		pkg.runPoll({ node: { name: 'Poll', type: 'chatApiPollingTrigger', parameters: { events: ['incomingMessage'], options } as INodeParameters }, credentials: { chatApiApi: chatApi.credentials }, staticData });

	it('puts each new message\'s file on its item, and notes one it cannot download', async () => {
		const first = await poll(download);
		expect(first.items).toBeNull();
		receiveInbound(chatApi.server.state, { chatId: CHAT_API_SEED.customer.chatId, type: 'image', body: `data:image/png;base64,${PHOTO.toString('base64')}`, filename: 'receipt.png' });
		receiveInbound(chatApi.server.state, { chatId: CHAT_API_SEED.customer.chatId, type: 'document', body: chatApi.server.fileUrl('invoice.pdf', { status: 410 }) });
		const second = await poll(download, first.staticData);
		expect(second.error).toBeUndefined();
		const items = second.items![0];
		expect(items).toHaveLength(2);
		expect(items[0].binary!.data).toMatchObject({ fileName: 'receipt.png', mimeType: 'image/png' });
		expect(await bytesOf(items[0].binary!.data)).toEqual(PHOTO);
		expect(items[1].binary).toBeUndefined();
		expect(items[1].json.mediaError).toMatch(/answered 410/);
	});

	it('outputs a message as the Chat API Trigger does: the same event name and ISO timestamp', async () => {
		const first = await poll({});
		const stored = receiveInbound(chatApi.server.state, { chatId: CHAT_API_SEED.customer.chatId, body: 'Hello', time: 1_760_000_000 });
		const polled = (await poll({}, first.staticData)).items![0][0].json;

		const webhookNode = { name: 'Chat API Trigger', type: 'chatApiTrigger', webhookId: 'c4a7f6de-0000-4000-8000-0000000feed2', parameters: { events: ['incomingMessage'] } };
		const active = await pkg.activateWebhooks({ node: webhookNode, credentials: { chatApiApi: chatApi.credentials } });
		const call = await pkg.callWebhook({
			node: webhookNode,
			credentials: { chatApiApi: chatApi.credentials },
			staticData: active.staticData,
			request: { method: 'POST', query: { n8nSecret: active.nodeStaticData.secret as string }, body: { messages: [messageJson(stored, filesUrlOf(chatApi.server))] } },
		});
		const delivered = call.workflowData![0][0].json;
		expect(polled).toMatchObject({ event: 'incomingMessage', body: 'Hello', time: 1_760_000_000, timestamp: '2025-10-09T08:53:20.000Z' });
		expect(polled).toEqual(delivered);
	});
});

// ---------------------------------------------------------------------------------------------
// Mehery Trigger

describe('Mehery Trigger', () => {
	const WEBHOOK_ID = 'e7e7e7e7-0000-4000-8000-0000000feed3';
	const node = (options: IDataObject) => ({ name: 'Mehery Trigger', type: 'meheryTrigger', webhookId: WEBHOOK_ID, parameters: { events: ['messageReceive'], options } as INodeParameters });

	async function deliver(options: IDataObject, body: unknown) {
		const call = await pkg.callWebhook({
			node: node(options),
			credentials: { meheryApi: mehery.credentials },
			request: { method: 'POST', path: 'api/v1/message/receive', headers: { 'x-verify-token': MEHERY_DEMO.verifyToken }, body },
		});
		expect(call.error).toBeUndefined();
		return call;
	}

	it('names and types the file as the message does; a dead link becomes a mediaError and the callback is still answered', async () => {
		const body = inboundBatch(mehery.server.state, [
			{ phone: '17472822486', type: 'image', link: mehery.server.fileUrl('IMG-0042', { bytes: 40_000, magic: 'jpeg', type: 'none' }), mimeType: 'image/jpeg', filename: 'receipt.jpg', caption: 'My receipt' },
			{ phone: '17472822486', type: 'document', link: mehery.server.fileUrl('contract.pdf', { status: 403 }), filename: 'contract.pdf' },
			{ phone: '17472822486', text: 'Thanks' },
		]);
		const call = await deliver(download, body);
		const items = call.workflowData![0];
		expect(items).toHaveLength(3);
		expect(items[0].binary!.data).toMatchObject({ fileName: 'receipt.jpg', mimeType: 'image/jpeg' });
		expect((await bytesOf(items[0].binary!.data)).length).toBe(40_000);
		expect(items[0].json).toMatchObject({ type: 'image', image: { caption: 'My receipt' } });
		expect(items[1].binary).toBeUndefined();
		expect(items[1].json.mediaError).toMatch(/^Could not download the file at http:\/\/127\.0\.0\.1:\d+\/__sandbox\/files\/contract\.pdf: the server answered 403/);
		expect(items[2].json).toEqual(expect.objectContaining({ type: 'text', text: { body: 'Thanks', type: 'text' } }));
		expect(items[2].binary).toBeUndefined();
		expect(call.webhookResponse).toEqual(body.messages[0]);
	});

	it('downloads nothing unless asked', async () => {
		const body = inboundBatch(mehery.server.state, [{ phone: '17472822486', type: 'image', link: mehery.server.fileUrl('p.jpg') }]);
		const call = await deliver({}, body);
		expect(call.workflowData![0][0].binary).toBeUndefined();
		expect(mehery.server.downloads()).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------

describe('Messingin Trigger', () => {
	it('has no Download Media option: Messingin\'s events carry text only', () => {
		const { properties } = pkg.nodeTypes.getByName(pkg.nodeType('messinginTrigger')).description as INodeTypeDescription;
		const options = properties.find((property) => property.name === 'options');
		expect((options?.options ?? []).map((option) => option.name)).not.toContain('downloadMedia');
	});
});
