import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Website {
	/** http://127.0.0.1:<port>: every path answers 200 with an HTML page. */
	url: string;
	/** `${url}/missing`: every path under it answers 404 with an HTML "page not found". */
	missingUrl: string;
	/** Path and query of every request, in order. */
	requests: string[];
	close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * A web server on a free 127.0.0.1 port, standing in for a Base URL that points at a website
 * instead of an API. Its pages show the address they were asked for, query included, as many
 * servers' pages do (so a secret sent in the query string comes back in the page).
 */
export async function startWebsite(): Promise<Website> {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const target = req.url ?? '/';
			requests.push(target);
			const missing = target === '/missing' || target.startsWith('/missing/');
			const title = missing ? '404 Not Found' : 'Welcome';
			res.writeHead(missing ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(`<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body><h1>${title}</h1><p>You asked for ${escapeHtml(target)}.</p></body></html>\n`);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		missingUrl: `${url}/missing`,
		requests,
		close: async () =>
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
