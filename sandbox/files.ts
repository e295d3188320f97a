import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { z } from 'zod';

/**
 * A file host beside every simulator, for nodes that download media from a link:
 *
 *   GET /__sandbox/files/<name>?bytes=N&type=…&length=…&magic=…&gzip=1&status=…&redirect=…
 *
 * streams a file of N bytes and records how much of it actually left the server before the client
 * hung up, so a test can prove a download stopped early. Options:
 *   bytes     size of the file (default 1024)
 *   type      the Content-Type to send; `none` sends none (default: from the name's extension)
 *   length    `honest` (default): the real Content-Length; `none`: no Content-Length (chunked);
 *             a number: that Content-Length instead of the real one
 *   magic     the file's first bytes: png | jpeg | pdf | mp4 | ogg | html | none
 *             (default: from the name's extension)
 *   gzip      `1`: the body is gzip-compressed on the way (no Content-Length then)
 *   status    answer this status with a short text body instead of the file
 *   redirect  answer 302 with this Location instead of the file
 */
export const FILES_PATH = '/files/';

export interface FileDownload {
	name: string;
	/** The file's size, as asked. */
	bytes: number;
	/** What the Content-Length header said, if anything. */
	contentLength: string | null;
	/** Bytes of the file handed to the connection before it ended. */
	sent: number;
	/** The whole file went out. */
	complete: boolean;
	/** The server is done with the request (finished, or the client hung up). */
	done: boolean;
}

const SIGNATURES: Record<string, Buffer> = {
	png: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
	jpeg: Buffer.from('ffd8ffe000104a464946000101', 'hex'),
	pdf: Buffer.from('%PDF-1.7\n'),
	mp4: Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypmp42')]),
	ogg: Buffer.from('OggS'),
	html: Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>\n'),
	none: Buffer.alloc(0),
};

const BY_EXTENSION: Record<string, { magic: keyof typeof SIGNATURES; type: string }> = {
	png: { magic: 'png', type: 'image/png' },
	jpg: { magic: 'jpeg', type: 'image/jpeg' },
	jpeg: { magic: 'jpeg', type: 'image/jpeg' },
	pdf: { magic: 'pdf', type: 'application/pdf' },
	mp4: { magic: 'mp4', type: 'video/mp4' },
	ogg: { magic: 'ogg', type: 'audio/ogg' },
	html: { magic: 'html', type: 'text/html' },
};

const fileQuery = z
	.object({
		bytes: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(1024),
		type: z.string().optional(),
		length: z.union([z.enum(['honest', 'none']), z.coerce.number().int().min(0)]).default('honest'),
		magic: z.enum(Object.keys(SIGNATURES) as [string, ...string[]]).optional(),
		gzip: z.enum(['1', '0']).optional(),
		status: z.coerce.number().int().min(200).max(599).optional(),
		redirect: z.string().min(1).optional(),
	});
// Not strict: other query parameters (a signed link's, say) are part of the address and ignored.

const CHUNK = 64 * 1024;

export class FileHost {
	private readonly log: FileDownload[] = [];

	downloads(): FileDownload[] {
		return this.log.map((download) => ({ ...download }));
	}

	clear(): void {
		this.log.length = 0;
	}

	async serve(res: ServerResponse, name: string, searchParams: URLSearchParams): Promise<void> {
		const parsed = fileQuery.safeParse(Object.fromEntries(searchParams));
		if (!parsed.success) {
			res.writeHead(400, { 'content-type': 'text/plain' });
			res.end(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
			return;
		}
		const options = parsed.data;
		const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1].toLowerCase() ?? '';
		const known = BY_EXTENSION[extension];
		const signature = SIGNATURES[options.magic ?? known?.magic ?? 'none'];
		const contentLength = options.gzip === '1' || options.length === 'none' ? null : String(options.length === 'honest' ? options.bytes : options.length);
		const download: FileDownload = { name, bytes: options.bytes, contentLength, sent: 0, complete: false, done: false };
		this.log.push(download);
		res.on('close', () => {
			download.done = true;
		});

		if (options.redirect) {
			res.writeHead(302, { location: options.redirect, 'content-length': '0' });
			res.end();
			return;
		}
		if (options.status) {
			const text = `Status ${options.status}`;
			res.writeHead(options.status, { 'content-type': 'text/plain', 'content-length': String(text.length) });
			res.end(text);
			return;
		}
		const headers: Record<string, string> = {};
		const type = options.type ?? known?.type ?? 'application/octet-stream';
		if (type !== 'none') headers['content-type'] = type;
		if (contentLength !== null) headers['content-length'] = contentLength;
		if (options.gzip === '1') headers['content-encoding'] = 'gzip';
		res.writeHead(200, headers);

		const gzip = options.gzip === '1' ? createGzip() : undefined;
		gzip?.pipe(res);
		const out = gzip ?? res;
		const fill = Buffer.alloc(CHUNK, 0x20);
		while (download.sent < options.bytes && !res.destroyed) {
			const start = download.sent;
			const size = Math.min(CHUNK, options.bytes - start);
			const chunk = Buffer.alloc(size);
			fill.copy(chunk, 0, 0, size);
			if (start < signature.length) signature.copy(chunk, 0, start, Math.min(signature.length, start + size));
			download.sent += size;
			if (!out.write(chunk)) await drainOrClose(out, res);
		}
		download.complete = download.sent >= options.bytes && !res.destroyed;
		if (!res.destroyed) out.end();
	}
}

function drainOrClose(out: NodeJS.WritableStream, res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const finish = () => {
			out.removeListener('drain', finish);
			res.removeListener('close', finish);
			resolve();
		};
		out.once('drain', finish);
		res.once('close', finish);
	});
}
