import http from 'node:http';
import { gunzipSync } from 'node:zlib';

import { SandboxServer } from '../../sandbox/framework';
import { mesigicSimulator } from '../../sandbox/mesigic';
import { until } from '../support/until';
import { call, useStarted } from './helpers';

const server = new SandboxServer(mesigicSimulator());
useStarted(() => server.start(), () => server.reset());

/** GET with node:http, reading at most `keep` bytes of the body before hanging up. */
function getPart(url: string, keep: number): Promise<{ headers: http.IncomingHttpHeaders; read: number }> {
	return new Promise((resolve, reject) => {
		http.get(url, (response) => {
			let read = 0;
			response.on('data', (chunk: Buffer) => {
				read += chunk.length;
				if (read >= keep) {
					response.destroy();
					resolve({ headers: response.headers, read });
				}
			});
			response.on('end', () => resolve({ headers: response.headers, read }));
		}).on('error', reject);
	});
}

const doneDownloads = () => until(() => (server.downloads().every((download) => download.done) ? server.downloads() : undefined));

describe('the file host (/__sandbox/files)', () => {
	it('serves a file of the size asked, typed and signed after its name, with its real length', async () => {
		const response = await fetch(server.fileUrl('poster.png', { bytes: 200_000 }));
		const body = Buffer.from(await response.arrayBuffer());
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(response.headers.get('content-length')).toBe('200000');
		expect(body).toHaveLength(200_000);
		expect(body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
		expect(await doneDownloads()).toEqual([{ name: 'poster.png', bytes: 200_000, contentLength: '200000', sent: 200_000, complete: true, done: true }]);
	});

	it('sends the type, first bytes and Content-Length it is told to, or none', async () => {
		const lying = await fetch(server.fileUrl('photo.jpg', { bytes: 100, type: 'application/pdf', magic: 'pdf', length: 50 }));
		expect(lying.headers.get('content-type')).toBe('application/pdf');
		expect(lying.headers.get('content-length')).toBe('50');
		expect(Buffer.from(await lying.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

		const unsized = await fetch(server.fileUrl('clip.mp4', { bytes: 100, length: 'none', type: 'none' }));
		expect(unsized.headers.get('content-length')).toBeNull();
		expect(unsized.headers.get('content-type')).toBeNull();
		expect(Buffer.from(await unsized.arrayBuffer()).subarray(4, 8).toString()).toBe('ftyp');
	});

	it('records how much left the server when the client hangs up early', async () => {
		const { read } = await getPart(server.fileUrl('big.bin', { bytes: 64 * 1024 * 1024, length: 'none' }), 1024 * 1024);
		expect(read).toBeGreaterThanOrEqual(1024 * 1024);
		const [download] = await doneDownloads();
		expect(download.complete).toBe(false);
		expect(download.sent).toBeLessThan(32 * 1024 * 1024);
	});

	it('gzips on the way, redirects and fails when told to', async () => {
		const zipped = await new Promise<Buffer>((resolve, reject) => {
			http.get(server.fileUrl('page.html', { bytes: 10_000, gzip: 1 }), (response) => {
				const chunks: Buffer[] = [];
				expect(response.headers['content-encoding']).toBe('gzip');
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve(Buffer.concat(chunks)));
			}).on('error', reject);
		});
		expect(zipped.length).toBeLessThan(10_000);
		expect(gunzipSync(zipped).subarray(0, 15).toString()).toBe('<!DOCTYPE html>');

		const redirect = await fetch(server.fileUrl('a.png', { redirect: 'https://example.org/b.png' }), { redirect: 'manual' });
		expect([redirect.status, redirect.headers.get('location')]).toEqual([302, 'https://example.org/b.png']);
		expect((await call('GET', server.fileUrl('a.png', { status: 404 }))).status).toBe(404);
		expect((await call('GET', server.fileUrl('a.png', { bytes: -1 }))).status).toBe(400);
	});

	it('lists the downloads on the control API, and a reset of what was received clears them', async () => {
		await fetch(server.fileUrl('one.pdf')).then((response) => response.arrayBuffer());
		await doneDownloads();
		const listed = await call('GET', `${server.controlUrl}/downloads`);
		expect(listed.json).toMatchObject({ count: 1, downloads: [{ name: 'one.pdf', bytes: 1024, complete: true }] });
		await call('POST', `${server.controlUrl}/reset`, { json: { parts: ['received'] } });
		expect(server.downloads()).toEqual([]);
	});
});
