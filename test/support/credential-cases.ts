/**
 * What the credential tests of the four providers have in common, for the engine and the
 * end-to-end tests: how to start each simulator, which credential field holds the address and
 * which one a wrong secret goes into, the route the test calls, and a JSON answer that looks like
 * the provider's but is not its documented one.
 */
import type { SandboxServer } from '../../sandbox/framework';
import { startChatApi } from './chatapi';
import { startMehery } from './mehery';
import { startMesigic } from './mesigic';
import { startMessingin } from './messingin';
import { startMesslo } from './messlo';

export interface CredentialSandbox {
	server: SandboxServer<unknown>;
	credentials: Record<string, string | number>;
	stop(): Promise<void>;
}

export interface CredentialCase {
	/** Credential type name. */
	type: string;
	displayName: string;
	start(): Promise<CredentialSandbox>;
	/** The field holding the address, and its label in messages. */
	urlField: string;
	urlLabel: string;
	/** A wrong secret, laid over the sandbox's credentials. */
	wrong: Record<string, string>;
	/** The simulator route the credential test calls (a fault selector). */
	route: string;
	/** The status the test expects a working credential to get from the simulator. */
	okStatus: number;
	/** An answer that is JSON but not the one the test requires (served on `route`). */
	lookalike: { status: number; body: string };
}

export const CREDENTIAL_CASES: CredentialCase[] = [
	{
		type: 'mesigicApi',
		displayName: 'Mesigic',
		start: startMesigic as () => Promise<CredentialSandbox>,
		urlField: 'baseUrl',
		urlLabel: 'Base URL',
		wrong: { clientSecret: 'wrong-client-secret-0123' },
		route: 'GET /external-api/contact/list',
		okStatus: 200,
		// The success envelope, but no list in it.
		lookalike: { status: 200, body: '{"status":"success","remark":"ok","message":["Done"],"data":{}}' },
	},
	{
		type: 'chatApiApi',
		displayName: 'Chat API',
		start: startChatApi as () => Promise<CredentialSandbox>,
		urlField: 'instanceUrl',
		urlLabel: 'Instance API URL',
		wrong: { token: 'wrong-chat-api-token-0123' },
		route: 'GET /instance12345/status',
		okStatus: 200,
		lookalike: { status: 200, body: '{"status":"ok"}' },
	},
	{
		type: 'messinginApi',
		displayName: 'Messingin',
		start: startMessingin as () => Promise<CredentialSandbox>,
		urlField: 'baseUrl',
		urlLabel: 'Base URL',
		wrong: { apiKey: 'wrong-messingin-key-0123' },
		route: 'POST /api/whatsapp/sessions/:sessionId/messages',
		okStatus: 404,
		// A web framework's JSON 404, not Messingin's envelope.
		lookalike: { status: 404, body: '{"statusCode":404,"message":"Cannot POST /api/whatsapp/sessions/n8n-credential-test/messages"}' },
	},
	{
		type: 'meheryApi',
		displayName: 'Mehery',
		start: startMehery as unknown as () => Promise<CredentialSandbox>,
		urlField: 'baseUrl',
		urlLabel: 'Base URL',
		wrong: { apiKey: 'wrong-mehery-key-0123' },
		route: 'GET /api/v1/session/messages',
		okStatus: 404,
		// A Java server's default JSON 404: no `errors`, so not Mehery's envelope.
		lookalike: { status: 404, body: '{"timestamp":1764547200000,"status":404,"error":"Not Found","path":"/api/v1/session/messages"}' },
	},
	{
		type: 'messloApi',
		displayName: 'Messlo',
		start: startMesslo as unknown as () => Promise<CredentialSandbox>,
		urlField: 'baseUrl',
		urlLabel: 'Base URL',
		wrong: { apiKey: 'wrong-messlo-key-0123' },
		route: 'GET /api/whatsapp/connections',
		okStatus: 200,
		// Messlo's envelope, but without the connections.
		lookalike: { status: 200, body: '{"success":true}' },
	},
];

/** Every secret a sandbox credential holds (for "never shown" checks). */
export const secretsOf = (sandbox: CredentialSandbox, testCase: CredentialCase): string[] =>
	[...Object.values(testCase.wrong), ...Object.entries(sandbox.credentials).filter(([field]) => /secret|key|token/i.test(field)).map(([, value]) => String(value))];
