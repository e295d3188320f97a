import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call a receiver got. */
export interface ReceivedCall {
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: http.IncomingHttpHeaders;
	/** The body parsed as JSON; an empty body gives null, one that is not JSON undefined. */
	body: any;
}

/** How a receiver answers a call: a JSON body, status 200 unless given. */
export interface ReceiverAnswer {
	status?: number;
	json: unknown;
}

export interface Receiver {
	/** http://127.0.0.1:<port> */
	url: string;
	close(): Promise<void>;
}

/**
 * An HTTP server on a free 127.0.0.1 port standing in for whatever a test calls (a webhook
 * receiver, a provider API): every call, once its body is in, goes to `answer`, which records it
 * as the test likes and says what to answer.
 */
export async function startReceiver(answer: (call: ReceivedCall) => ReceiverAnswer): Promise<Receiver> {
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString();
			let body: unknown;
			try {
				body = JSON.parse(text || 'null');
			} catch {
				body = undefined;
			}
			const { status = 200, json } = answer({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
