import { DnsResolver } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startChatApi, type ChatApiSandbox } from '../support/chatapi';
import type { InputItem, LoadedPackage } from '../support/engine';
import { loadPackage } from '../support/engine';
import { startMesigic, type MesigicSandbox } from '../support/mesigic';
import { until } from '../support/until';

const MB = 1024 * 1024;
const SEND = 'POST /external-api/inbox/send-message';

let pkg: LoadedPackage;
let mesigic: MesigicSandbox;
let chatApi: ChatApiSandbox;

/**
 * n8n's own DNS service, scripted for one name (this machine is offline): what n8n's egress filter
 * sees when it resolves a link's host. Connections themselves still use the system's resolver, as
 * the instance's own SSRF protection is off here (n8n's default).
 */
const lookups: string[] = [];
class ScriptedDns {
	async lookup(hostname: string): Promise<Array<{ address: string; family: number }>> {
		lookups.push(hostname);
		if (hostname === 'intranet.example.com') return [{ address: '10.0.0.7', family: 4 }];
		throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
	}
}

beforeAll(async () => {
	Container.set(DnsResolver, new ScriptedDns() as unknown as DnsResolver);
	pkg = await loadPackage();
	mesigic = await startMesigic();
	chatApi = await startChatApi();
});
afterAll(async () => {
	await mesigic?.stop();
	await chatApi?.stop();
});
beforeEach(() => {
	mesigic.server.reset();
	chatApi.server.reset();
});

/** Mesigic Send with an image (5 MB limit) or another attachment from a link. */
const sendFromUrl = (mediaUrl: string, extra: INodeParameters = {}) =>
	pkg.runWorkflow({
		nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'image', mediaSource: 'url', mediaUrl, ...extra } }],
		credentials: { mesigicApi: mesigic.credentials },
	});

const sendFile = (parameters: INodeParameters, inputItems?: InputItem[]) =>
	pkg.runWorkflow({
		nodes: [{ name: 'Chat API', type: 'chatApi', parameters: { resource: 'message', operation: 'sendFile', recipient: '+1 747 282 2486', ...parameters } }],
		credentials: { chatApiApi: chatApi.credentials },
		inputItems,
	});

const allowed = { allowPrivateNetworkUrls: true };

/** Waits until the file host has finished with every download, then gives them. */
const finishedDownloads = () => until(() => {
	const downloads = mesigic.server.downloads();
	return downloads.every((download) => download.done) ? downloads : undefined;
});

describe('a file from a URL, against the provider\'s size limit', () => {
	it('downloads and sends a file within the limit (sandbox URL, private network allowed)', async () => {
		const url = mesigic.server.fileUrl('summer.png', { bytes: 300 * 1024 });
		const result = await sendFromUrl(url, allowed);
		expect(result.error).toBeUndefined();
		expect(mesigic.server.accepted(SEND)[0].files).toEqual([expect.objectContaining({ field: 'image', filename: 'summer.png', size: 300 * 1024 })]);
		expect((await finishedDownloads())[0]).toMatchObject({ complete: true, sent: 300 * 1024 });
	});

	it('refuses a 64 MB file that says its size before reading its body', async () => {
		const url = mesigic.server.fileUrl('poster.jpg', { bytes: 64 * MB });
		const result = await sendFromUrl(url, allowed);
		expect(result.error?.message).toBe('Image is too large: the file at "File URL" is 64.0 MB (the limit is 5.0 MB)');
		expect(result.error?.description).toMatch(/did not download it/);
		const [download] = await finishedDownloads();
		expect(download).toMatchObject({ contentLength: String(64 * MB), complete: false });
		expect(download.sent).toBeLessThan(8 * MB);
		expect(mesigic.server.received(SEND)).toHaveLength(0);
	});

	it('stops reading a 64 MB file without a Content-Length at the limit', async () => {
		const url = mesigic.server.fileUrl('poster.jpg', { bytes: 64 * MB, length: 'none' });
		const result = await sendFromUrl(url, allowed);
		expect(result.error?.message).toBe('Image is too large: the file at "File URL" is more than 5.0 MB (the limit)');
		const [download] = await finishedDownloads();
		expect(download).toMatchObject({ contentLength: null, complete: false });
		// What n8n read (5 MB) plus what the sockets' buffers held when it hung up.
		expect(download.sent).toBeLessThan(16 * MB);
		expect(mesigic.server.received(SEND)).toHaveLength(0);
	});

	it('stops reading a small compressed body that unpacks to 64 MB at the limit', async () => {
		const url = mesigic.server.fileUrl('poster.jpg', { bytes: 64 * MB, gzip: 1 });
		const result = await sendFromUrl(url, allowed);
		expect(result.error?.message).toBe('Image is too large: the file at "File URL" is more than 5.0 MB (the limit)');
		const [download] = await finishedDownloads();
		expect(download.complete).toBe(false);
	});

	it('reads a 16 MB video without a Content-Length in full when that is the limit', async () => {
		const url = mesigic.server.fileUrl('clip.mp4', { bytes: 16 * MB, length: 'none' });
		const result = await sendFromUrl(url, { ...allowed, attachment: 'video' });
		expect(result.error).toBeUndefined();
		expect(mesigic.server.accepted(SEND)[0].files).toEqual([expect.objectContaining({ field: 'video', filename: 'clip.mp4', size: 16 * MB })]);
	});

	it('fails with the server\'s status when the link is broken', async () => {
		const result = await sendFromUrl(mesigic.server.fileUrl('gone.png', { status: 404 }), allowed);
		expect(result.error?.message).toMatch(/^Could not download the file at http:\/\/127\.0\.0\.1:\d+\/__sandbox\/files\/gone\.png: the server answered 404/);
		expect(mesigic.server.received(SEND)).toHaveLength(0);
	});

	it('does not show the query string of a link (signed links carry secrets there)', async () => {
		const result = await sendFromUrl(`${mesigic.server.fileUrl('gone.png', { status: 403 })}&signature=s3cr3t`, allowed);
		expect(result.error?.message).toMatch(/answered 403/);
		expect(`${result.error?.message} ${result.error?.description}`).not.toContain('s3cr3t');
	});
});

describe('a URL into n8n\'s own network', () => {
	const port = () => mesigic.server.port;
	const cases: Array<[string, () => string, RegExp]> = [
		['127.0.0.1', () => `http://127.0.0.1:${port()}`, /a loopback address \(127\.0\.0\.1\)/],
		['localhost', () => `http://localhost:${port()}`, /a loopback name \(localhost\)/],
		['a decimal IPv4 literal (2130706433)', () => `http://2130706433:${port()}`, /a loopback address \(127\.0\.0\.1\)/],
		['a hex IPv4 literal (0x7f.1)', () => `http://0x7f.1:${port()}`, /a loopback address \(127\.0\.0\.1\)/],
		['an IPv4-mapped IPv6 literal', () => `http://[::ffff:127.0.0.1]:${port()}`, /a loopback address, inside an IPv4-mapped IPv6 address/],
		['[::1]', () => `http://[::1]:${port()}`, /a loopback address \(\[::1\]\)/],
		['10.x', () => 'http://10.1.2.3', /a private network address \(10\.1\.2\.3\)/],
		['192.168.x', () => 'http://192.168.0.10', /a private network address/],
		['169.254.169.254 (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data', /a link-local address/],
	];

	it.each(cases)('refuses %s without the option, naming it, and sends no request', async (_case, base, reason) => {
		const result = await sendFromUrl(`${base()}/__sandbox/files/photo.png`);
		expect(result.error?.message).toMatch(/^"File URL" points to /);
		expect(result.error?.message).toMatch(reason);
		expect(result.error?.message).toMatch(/turn on "Allow Private Network URLs" to download from it$/);
		expect(result.error?.itemIndex).toBe(0);
		expect(mesigic.server.downloads()).toHaveLength(0);
		expect(mesigic.server.received()).toHaveLength(0);
	});

	it('refuses a name without a domain (e.g. a machine on the LAN), without looking it up', async () => {
		const result = await sendFromUrl(`http://fileserver:${port()}/__sandbox/files/photo.png`);
		expect(result.error?.message).toBe('"File URL" points to a name on the local network (it has no domain) (fileserver): turn on "Allow Private Network URLs" to download from it');
		expect(lookups).not.toContain('fileserver');
	});

	it('refuses a name that resolves to a private address (n8n\'s egress filter, enforced though the instance\'s own protection is off)', async () => {
		const result = await sendFromUrl('http://intranet.example.com/brochure.png');
		expect(lookups).toContain('intranet.example.com');
		expect(result.error?.message).toBe('"File URL" points to a private network address (intranet.example.com is 10.0.0.7): turn on "Allow Private Network URLs" to download from it');
	});

	it('names a host that does not resolve (the egress filter looked it up)', async () => {
		const result = await sendFromUrl('http://files.invalid/brochure.png');
		expect(result.error?.message).toBe('Could not download the file at http://files.invalid/brochure.png: files.invalid was not found');
	});

	it('follows a redirect itself, hop by hop (option on)', async () => {
		const inner = mesigic.server.fileUrl('photo.png').replace('127.0.0.1', 'localhost');
		const result = await sendFromUrl(mesigic.server.fileUrl('start.png', { redirect: inner }), allowed);
		expect(result.error).toBeUndefined();
		expect(mesigic.server.downloads().map((download) => download.name)).toEqual(['start.png', 'photo.png']);
		expect(mesigic.server.accepted(SEND)[0].files).toEqual([expect.objectContaining({ filename: 'photo.png' })]);
	});

	it('refuses a redirect to an address that is not http(s)', async () => {
		const result = await sendFromUrl(mesigic.server.fileUrl('start.png', { redirect: 'file:///etc/passwd' }), allowed);
		expect(result.error?.message).toBe('The address "File URL" redirects to must be an http:// or https:// address: "file:///etc/passwd" is not');
		expect(mesigic.server.received(SEND)).toHaveLength(0);
	});

	it('downloads from the sandbox with the option on', async () => {
		for (const base of [`http://127.0.0.1:${port()}`, `http://localhost:${port()}`, `http://2130706433:${port()}`]) {
			mesigic.server.reset();
			const result = await sendFromUrl(`${base}/__sandbox/files/photo.png`, allowed);
			expect(result.error).toBeUndefined();
			expect(mesigic.server.downloads()).toHaveLength(1);
			expect(mesigic.server.accepted(SEND)).toHaveLength(1);
		}
	});

	it('refuses a link that is not http(s)', async () => {
		const result = await sendFromUrl('file:///etc/passwd', allowed);
		expect(result.error?.message).toBe('"File URL" must be an http:// or https:// address: "file:///etc/passwd" is not');
	});
});

describe('the kind of a file, from its name, its MIME type and its content', () => {
	const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n');
	const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb', 'hex');

	it('Mesigic refuses a .jpg whose binary says application/pdf', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'image', mediaSource: 'binary', binaryPropertyName: 'data' } }],
			credentials: { mesigicApi: mesigic.credentials },
			inputItems: [{ json: {}, binary: { data: { data: PDF, fileName: 'photo.jpg', mimeType: 'application/pdf' } } }],
		});
		expect(result.error?.message).toBe('Image "photo.jpg" is not what it claims to be: the name says a JPEG image, the MIME type (application/pdf) says a PDF document, the content says a PDF document');
		expect(result.error?.description).toMatch(/^The file comes from the input binary field "data"\./);
		expect(mesigic.server.received()).toHaveLength(0);
	});

	it('Mesigic refuses a downloaded .jpg that the server sends as application/pdf', async () => {
		const result = await sendFromUrl(mesigic.server.fileUrl('photo.jpg', { type: 'application/pdf', magic: 'pdf' }), allowed);
		expect(result.error?.message).toMatch(/^Image "photo\.jpg" is not what it claims to be: the name says a JPEG image, the MIME type \(application\/pdf\) says a PDF document/);
		expect(result.error?.description).toMatch(/"File URL"/);
		expect(mesigic.server.received(SEND)).toHaveLength(0);
	});

	it('Mesigic refuses a .png link that leads to a sign-in page', async () => {
		const result = await sendFromUrl(mesigic.server.fileUrl('photo.png', { type: 'text/html', magic: 'html' }), allowed);
		expect(result.error?.message).toMatch(/the MIME type \(text\/html\) says a web page \(HTML\)/);
	});

	it('Mesigic names a downloaded file without an extension after its content type', async () => {
		const result = await sendFromUrl(mesigic.server.fileUrl('download', { type: 'image/png', magic: 'png' }), allowed);
		expect(result.error).toBeUndefined();
		expect(mesigic.server.accepted(SEND)[0].files).toEqual([expect.objectContaining({ filename: 'download.png' })]);
	});

	it('Mesigic refuses a profile image whose bytes are a PDF', async () => {
		const result = await pkg.runWorkflow({
			nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'contact', operation: 'create', firstName: 'Lena', lastName: 'Berg', phone: '+49 151 23456789', additionalFields: { profileImageBinaryField: 'photo' } } }],
			credentials: { mesigicApi: mesigic.credentials },
			inputItems: [{ json: {}, binary: { photo: { data: PDF, fileName: 'lena.png', mimeType: 'image/png' } } }],
		});
		expect(result.error?.message).toBe('Profile image "lena.png" is not what it claims to be: the name says a PNG image, the MIME type (image/png) says a PNG image, the content says a PDF document');
		expect(mesigic.server.received()).toHaveLength(0);
	});

	it('Chat API refuses base64 content that is a PDF under a .jpg name', async () => {
		const result = await sendFile({ mediaSource: 'base64', mediaBase64: PDF.toString('base64'), mediaFileName: 'photo.jpg' });
		expect(result.error?.message).toBe('File "photo.jpg" is not what it claims to be: the name says a JPEG image, the content says a PDF document');
		expect(result.error?.description).toMatch(/"Base64 Content"/);
		expect(chatApi.server.received()).toHaveLength(0);
	});

	it('Chat API refuses a File Name whose extension contradicts the file', async () => {
		const result = await sendFile({ mediaSource: 'binary', binaryPropertyName: 'data', fileName: 'invoice.pdf' }, [{ json: {}, binary: { data: { data: JPEG, fileName: 'scan.jpg', mimeType: 'image/jpeg' } } }]);
		expect(result.error?.message).toBe('File "invoice.pdf" is not what it claims to be: the name says a PDF document, the MIME type (image/jpeg) says a JPEG image, the content says a JPEG image');
		expect(chatApi.server.received()).toHaveLength(0);
	});

	it('Chat API sends a consistent file, with the MIME type its name and content agree on', async () => {
		const result = await sendFile({ mediaSource: 'binary', binaryPropertyName: 'data', fileName: '' }, [{ json: {}, binary: { data: { data: JPEG, fileName: 'scan.jpg', mimeType: 'application/octet-stream' } } }]);
		expect(result.error).toBeUndefined();
		const [call] = chatApi.server.accepted('POST /instance12345/sendFile');
		expect(call.body).toMatchObject({ filename: 'scan.jpg', body: `data:image/jpeg;base64,${JPEG.toString('base64')}` });
	});

	it('Chat API still passes a link on without downloading it (the option is not offered there)', async () => {
		const result = await sendFile({ mediaSource: 'url', mediaUrl: 'https://upload.example.org/covers/NatureCover2001.jpg' });
		expect(result.error).toBeUndefined();
		expect((chatApi.server.accepted('POST /instance12345/sendFile')[0].body as IDataObject).body).toBe('https://upload.example.org/covers/NatureCover2001.jpg');
	});
});
