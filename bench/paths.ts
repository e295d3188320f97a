/**
 * The ways of sending the broadcast that the benchmark compares, all against the same Mesigic
 * endpoint (`POST /external-api/inbox/send-message`, multipart/form-data mobile_code, mobile,
 * message; headers client-id, client-secret):
 *
 *   - this package's Mesigic node (Message → Send), in a workflow run by the real n8n-core engine;
 *   - n8n's own HTTP Request node (n8n-nodes-base from the real n8n install) building the same
 *     request: alone (n8n starts every item's request at once), with n8n's Retry On Fail, or
 *     inside a Loop Over Items of B items (how an n8n user limits how many run at once);
 *   - raw undici `request()` over a keep-alive pool, K at a time: what the network allows.
 */
import { Agent, FormData, request } from 'undici';

import type { LoadedPackage, WorkflowResult } from '../test/support/engine';
import type { Message, SandboxCredentials } from './common';

/** What a path reports about one run besides what the sandbox saw. */
export interface SendReport {
	/** Items without a success result in the node's output (error items, or all when the run stopped). */
	failedItems: number;
	/** Why the run stopped, when it did. */
	runError?: string;
	/** The engine's result, run data and all (kept by the memory measurement while it weighs the heap). */
	result?: WorkflowResult;
}

export interface SendPath {
	name: string;
	/** Requests in flight at most: a number, or 'all' for every message at once. */
	inFlight: number | 'all';
	kind: 'package' | 'http' | 'undici';
	send(messages: Message[]): Promise<SendReport>;
}

const workflowTimeoutMs = (messages: Message[]) => 120_000 + messages.length * 500;

function reportOf(result: WorkflowResult, nodeName: string, count: number): SendReport {
	const runs = result.run.data.resultData.runData[nodeName] ?? [];
	const items = runs.flatMap((_, runIndex) => result.json(nodeName, 0, runIndex));
	const succeeded = items.filter((json) => json.error === undefined).length;
	const error = result.error;
	return {
		failedItems: count - succeeded,
		runError: error ? `${error.message}${error.description ? ` (${error.description.split('\n')[0]})` : ''}` : undefined,
		result,
	};
}

export interface PackageNodeOptions {
	parallelRequests: number;
	maxRequestsPerMinute?: number;
}

/** This package's Mesigic node, Settings → On Error → Continue, as the README advises for a broadcast. */
export function packageNodePath(pkg: LoadedPackage, credentials: SandboxCredentials, options: PackageNodeOptions): SendPath {
	const { parallelRequests, maxRequestsPerMinute } = options;
	const cap = maxRequestsPerMinute === undefined ? '' : `, Max Requests per Minute ${maxRequestsPerMinute}`;
	return {
		name: `Mesigic node (Parallel Requests ${parallelRequests}${cap})`,
		inFlight: parallelRequests,
		kind: 'package',
		async send(messages) {
			const result = await pkg.runWorkflow({
				nodes: [
					{
						name: 'Mesigic',
						type: 'mesigic',
						onError: 'continueRegularOutput',
						parameters: {
							resource: 'message',
							operation: 'send',
							phone: '={{ $json.phone }}',
							message: '={{ $json.text }}',
							attachment: 'none',
							requestOptions: { parallelRequests, ...(maxRequestsPerMinute === undefined ? {} : { maxRequestsPerMinute }) },
						},
					},
				],
				credentials: { mesigicApi: { ...credentials } },
				inputJson: messages.map(({ phone, text }) => ({ phone, text })),
				timeoutMs: workflowTimeoutMs(messages),
			});
			return reportOf(result, 'Mesigic', messages.length);
		},
	};
}

/** HTTP Request node (v4.2) parameters for the same multipart POST with the same headers. */
function httpRequestParameters(credentials: SandboxCredentials) {
	const { baseUrl, clientId, clientSecret } = credentials;
	const formField = (name: string, expression: string) => ({ parameterType: 'formData', name, value: `={{ ${expression} }}` });
	return {
		method: 'POST',
		url: `${baseUrl}/inbox/send-message`,
		authentication: 'none',
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: {
			parameters: [
				{ name: 'client-id', value: clientId },
				{ name: 'client-secret', value: clientSecret },
				{ name: 'Accept', value: 'application/json' },
			],
		},
		sendBody: true,
		contentType: 'multipart-form-data',
		bodyParameters: {
			parameters: [formField('mobile_code', '$json.mobile_code'), formField('mobile', '$json.mobile'), formField('message', '$json.text')],
		},
		options: {},
	};
}

const HTTP_REQUEST_VERSION = 4.2;
const httpInput = (messages: Message[]) => messages.map(({ mobile_code, mobile, text }) => ({ mobile_code, mobile, text }));

/**
 * The HTTP Request node alone: n8n starts every item's request before awaiting any. With
 * `retryOnFail`, n8n's node setting Retry On Fail (3 tries, 1 s apart): a failed run of the node
 * is run again, every item of it.
 */
export function httpRequestNodePath(nodesBase: LoadedPackage, credentials: SandboxCredentials, { retryOnFail = false } = {}): SendPath {
	return {
		name: `HTTP Request node (alone${retryOnFail ? ', Retry On Fail' : ''})`,
		inFlight: 'all',
		kind: 'http',
		async send(messages) {
			const result = await nodesBase.runWorkflow({
				nodes: [
					{
						name: 'HTTP Request',
						type: 'httpRequest',
						typeVersion: HTTP_REQUEST_VERSION,
						parameters: httpRequestParameters(credentials),
						...(retryOnFail ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 } : {}),
					},
				],
				inputJson: httpInput(messages),
				timeoutMs: workflowTimeoutMs(messages),
			});
			return reportOf(result, 'HTTP Request', messages.length);
		},
	};
}

/** Loop Over Items (batch size B) → HTTP Request → back: B requests at once, batch after batch. */
export function httpRequestLoopPath(nodesBase: LoadedPackage, credentials: SandboxCredentials, batchSize: number): SendPath {
	const loop = 'Loop Over Items';
	const http = 'HTTP Request';
	return {
		name: `HTTP Request node in Loop Over Items (${batchSize})`,
		inFlight: batchSize,
		kind: 'http',
		async send(messages) {
			const result = await nodesBase.runWorkflow({
				nodes: [
					{ name: loop, type: 'splitInBatches', typeVersion: 3, parameters: { batchSize, options: {} } },
					{ name: http, type: 'httpRequest', typeVersion: HTTP_REQUEST_VERSION, parameters: httpRequestParameters(credentials) },
				],
				connections: {
					// Loop Over Items: output 0 = done, output 1 = loop.
					[loop]: { main: [[], [{ node: http, type: 'main', index: 0 }]] },
					[http]: { main: [[{ node: loop, type: 'main', index: 0 }]] },
				},
				inputJson: httpInput(messages),
				timeoutMs: workflowTimeoutMs(messages),
			});
			return reportOf(result, http, messages.length);
		},
	};
}

/**
 * Raw undici over a keep-alive pool, `concurrency` requests at a time ('all': every message at
 * once): the upper bound. With `newConnectionEach`, a new TCP connection for every request
 * (`reset: true`), as n8n's HTTP helpers make: what that costs without any n8n code.
 */
export function undiciPath(credentials: SandboxCredentials, concurrency: number | 'all', { newConnectionEach = false } = {}): SendPath {
	const { baseUrl, clientId, clientSecret } = credentials;
	const url = `${baseUrl}/inbox/send-message`;
	const headers = { 'client-id': clientId, 'client-secret': clientSecret, accept: 'application/json' };
	const sendOne = async (dispatcher: Agent, message: Message) => {
		const body = new FormData();
		body.append('mobile_code', message.mobile_code);
		body.append('mobile', message.mobile);
		body.append('message', message.text);
		const response = await request(url, { method: 'POST', headers, body, dispatcher, reset: newConnectionEach, headersTimeout: 60_000, bodyTimeout: 60_000 });
		const answer = (await response.body.json()) as { status?: unknown };
		if (response.statusCode !== 200) throw new Error(`raw undici: HTTP ${response.statusCode} for ${message.phone}: ${JSON.stringify(answer)}`);
	};
	const howMany = concurrency === 1 ? 'one at a time' : concurrency === 'all' ? 'all at once' : `${concurrency} at a time`;
	return {
		name: `raw undici (${howMany}${newConnectionEach ? ', new connection each' : ''})`,
		inFlight: concurrency,
		kind: 'undici',
		async send(messages) {
			// A fresh pool per run: each engine run starts without open connections too.
			const dispatcher = new Agent();
			let failed = 0;
			try {
				let next = 0;
				const worker = async () => {
					while (next < messages.length) {
						const message = messages[next++]!;
						await sendOne(dispatcher, message).catch(() => failed++);
					}
				};
				await Promise.all(Array.from({ length: concurrency === 'all' ? messages.length : Math.min(concurrency, messages.length) }, worker));
			} finally {
				await dispatcher.close();
			}
			return { failedItems: failed };
		},
	};
}
