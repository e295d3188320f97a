/**
 * The credential test of every provider, run as n8n runs it (the node's `credentialTest` named by
 * `testedBy`, with n8n-core's CredentialTestContext): it passes only on the provider's documented
 * answer, and every failure says what came back and what to fix, without a secret in it.
 */
import type { IAuthenticateGeneric, IHttpRequestOptions, INodeType } from 'n8n-workflow';

import { authenticationOf } from '../../nodes/shared/credential-test';
import type { MesigicState } from '../../sandbox/mesigic';

import { loadPackage, type LoadedPackage } from '../support/engine';
import { CREDENTIAL_CASES, secretsOf, type CredentialCase, type CredentialSandbox } from '../support/credential-cases';
import { startWebsite, type Website } from '../support/website';

let pkg: LoadedPackage;
let website: Website;
const sandboxes = new Map<string, CredentialSandbox>();

beforeAll(async () => {
	pkg = await loadPackage();
	website = await startWebsite();
	for (const testCase of CREDENTIAL_CASES) sandboxes.set(testCase.type, await testCase.start());
});

afterAll(async () => {
	await website?.close();
	for (const sandbox of sandboxes.values()) await sandbox.stop();
});

beforeEach(() => {
	for (const sandbox of sandboxes.values()) sandbox.server.reset();
});

const sandboxOf = (testCase: CredentialCase) => sandboxes.get(testCase.type)!;

async function test(testCase: CredentialCase, overrides: Record<string, string> = {}) {
	const sandbox = sandboxOf(testCase);
	const result = await pkg.testCredential({ type: testCase.type, data: { ...sandbox.credentials, ...overrides } });
	for (const secret of secretsOf(sandbox, testCase)) expect(result.message).not.toContain(secret);
	return result;
}

describe.each(CREDENTIAL_CASES.map((testCase) => [testCase.displayName, testCase] as const))('%s credential test', (name, testCase) => {
	it('passes against the simulator, with one call that changes nothing', async () => {
		expect(await test(testCase)).toEqual({ status: 'OK', message: expect.stringMatching(new RegExp(`^Connection successful: ${name} accepted the credential and answered with `)) });
		const calls = sandboxOf(testCase).server.received();
		expect(calls.map((call) => [call.route && `${call.method} ${call.route.split(' ')[1]}`, call.status])).toEqual([[testCase.route, testCase.okStatus]]);
		// A read, or a call the provider refused: nothing was created or sent.
		expect(sandboxOf(testCase).server.accepted().filter((call) => call.method !== 'GET')).toEqual([]);
	});

	it('fails for a wrong secret, naming the refusal and the fix', async () => {
		const result = await test(testCase, testCase.wrong);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^${name} refused the credential: .+ \\(HTTP 401\\)\\. Check the `));
		expect(result.message).toContain('What came back: HTTP 401 (application/json): "{');
	});

	it('fails when the address answers 200 with an HTML page', async () => {
		const api = name === 'Chat API' ? 'the Chat API' : `the ${name} API`;
		const result = await test(testCase, { [testCase.urlField]: website.url });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining(
				`${name} did not answer: the ${testCase.urlLabel} answered HTTP 200 with an HTML page. Check the ${testCase.urlLabel}: it must be the address of ${api}, not of a web page. What came back: HTTP 200 (text/html): "<!DOCTYPE html> <html><head><title>Welcome</title>`,
			),
		});
	});

	it('fails when the address answers 404 with an HTML page', async () => {
		const result = await test(testCase, { [testCase.urlField]: website.missingUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`the ${testCase.urlLabel} answered HTTP 404 with an HTML page`);
		expect(result.message).toContain('What came back: HTTP 404 (text/html): "<!DOCTYPE html> <html><head><title>404 Not Found</title>');
	});

	it(`fails on JSON that is not ${name}'s documented answer`, async () => {
		const { status, body } = testCase.lookalike;
		sandboxOf(testCase).server.injectFault(testCase.route, { kind: 'answer', status, contentType: 'application/json', body });
		const result = await test(testCase);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`Check the ${testCase.urlLabel}`);
		expect(result.message).toContain(`What came back: HTTP ${status} (application/json): "${body.slice(0, 40)}`);
	});

	it('fails with the reason when nothing answers', async () => {
		const result = await test(testCase, { [testCase.urlField]: 'http://127.0.0.1:9/api' });
		expect(result).toEqual({
			status: 'Error',
			message: `Could not reach ${name} at "http://127.0.0.1:9/api": the connection was refused. Check the ${testCase.urlLabel} in the credential and that ${name} can be reached from the n8n server.`,
		});
	});

	it('fails with the fix when the address is not a URL', async () => {
		expect(await test(testCase, { [testCase.urlField]: 'api.example.com' })).toEqual({
			status: 'Error',
			message: `Could not reach ${name} at "api.example.com": it is not a valid URL. Check the ${testCase.urlLabel} in the credential: it must be a full address, starting with https://.`,
		});
	});
});

describe('what a failed credential test shows', () => {
	it('keeps only the first 200 characters of the answer', async () => {
		const mesigic = CREDENTIAL_CASES.find((testCase) => testCase.type === 'mesigicApi')!;
		const page = `<html><body>${'x'.repeat(500)}</body></html>`;
		sandboxOf(mesigic).server.injectFault(mesigic.route, { kind: 'answer', status: 200, contentType: 'text/html', body: page });
		const { message } = await test(mesigic);
		expect(message).toContain(`What came back: HTTP 200 (text/html): "${page.slice(0, 200)}…"`);
		expect(message).not.toContain(page.slice(0, 201));
	});

	it("hides a secret the answer repeats (Chat API's token travels in the query string)", async () => {
		const chatApi = CREDENTIAL_CASES.find((testCase) => testCase.type === 'chatApiApi')!;
		const { token } = sandboxOf(chatApi).credentials;
		const result = await test(chatApi, { instanceUrl: website.missingUrl });
		expect(website.requests.at(-1)).toBe(`/missing/status?token=${token}`);
		expect(result.message).toContain('You asked for /missing/status?token=[redacted].');
	});

	it("says an empty answer is empty, and gives Mesigic's own error (even in a 200) with its fix", async () => {
		const mesigic = CREDENTIAL_CASES.find((testCase) => testCase.type === 'mesigicApi')!;
		sandboxOf(mesigic).server.injectFault(mesigic.route, { kind: 'answer', status: 200, body: '' });
		expect((await test(mesigic)).message).toBe(
			`Mesigic did not answer: the Base URL answered HTTP 200 with an empty body. Check the Base URL: it must be the address of the Mesigic API. What came back: HTTP 200 (no content type): an empty body`,
		);
		const inA200 = '{"remark":"Unauthorized","status":"error","message":["The client secret is required"]}';
		sandboxOf(mesigic).server.injectFault(mesigic.route, { kind: 'answer', status: 200, contentType: 'application/json', body: inA200 });
		expect((await test(mesigic)).message).toMatch(/^Mesigic answered with an error: The client secret is required \(HTTP 200\)\. Check the Base URL and the other fields of the Mesigic credential\. What came back: HTTP 200/);
		(sandboxOf(mesigic).server.state as MesigicState).ipWhitelist = ['203.0.113.7'];
		const refused = await test(mesigic);
		expect(refused.message).toMatch(/^Mesigic refused the credential: Access to this API endpoint is restricted .+ \(HTTP 401\)\. Add the public IP address of your n8n server to the IP Whitelist/);
	});
});

describe('a failed credential test says what to fix', () => {
	it('Mesigic: a wrong secret and a server IP missing from the whitelist read differently, each with its own fix', async () => {
		const mesigic = CREDENTIAL_CASES.find((testCase) => testCase.type === 'mesigicApi')!;
		const wrongSecret = await test(mesigic, mesigic.wrong);
		(sandboxOf(mesigic).server.state as MesigicState).ipWhitelist = ['203.0.113.7'];
		const notWhitelisted = await test(mesigic);
		expect(wrongSecret.message).toMatch(/^Mesigic refused the credential: .+ \(HTTP 401\)\. Check the Client ID and Client Secret in the Mesigic credential/);
		expect(notWhitelisted.message).toMatch(/^Mesigic refused the credential: Access to this API endpoint is restricted .+ \(HTTP 401\)\. Add the public IP address of your n8n server to the IP Whitelist/);
		expect(wrongSecret.message).not.toMatch(/whitelist/i);
	});

	it('Chat API: a wrong token names the fields to check', async () => {
		const chatApi = CREDENTIAL_CASES.find((testCase) => testCase.type === 'chatApiApi')!;
		expect((await test(chatApi, chatApi.wrong)).message).toMatch(/^Chat API refused the credential: .+ \(HTTP 401\)\. Check the token and the instance URL in the Chat API credential/);
	});
});

describe('how n8n finds the credential tests', () => {
	it("no credential has a `test` of its own (n8n would run it instead of the nodes')", () => {
		for (const name of pkg.credentialTypes.names()) expect({ name, test: pkg.credentialTypes.getByName(name).test }).toEqual({ name, test: undefined });
	});

	it('every node that uses a credential names a test it has, and it is the same test for every node of the credential', () => {
		const tests = new Map<string, unknown>();
		for (const nodeName of pkg.nodeTypes.names()) {
			const node = pkg.nodeTypes.getByName(nodeName) as INodeType;
			for (const { name, testedBy } of node.description.credentials ?? []) {
				expect({ nodeName, name, testedBy }).toEqual({ nodeName, name, testedBy: `${name}Test` });
				const fn = node.methods?.credentialTest?.[testedBy as string];
				expect(typeof fn).toBe('function');
				if (!tests.has(name)) tests.set(name, fn);
				expect(fn).toBe(tests.get(name));
			}
		}
		expect([...tests.keys()].sort()).toEqual(CREDENTIAL_CASES.map((testCase) => testCase.type).sort());
	});
});

describe("the credential's own authenticate, as the test applies it", () => {
	it.each(CREDENTIAL_CASES.map((testCase) => [testCase.displayName, testCase] as const))('sets what n8n sets on a node call (%s)', async (_name, testCase) => {
		const { authenticate } = pkg.credentialTypes.getByName(testCase.type);
		const data = { ...sandboxOf(testCase).credentials };
		// n8n's own application: the harness calls a function authenticate, or resolves a generic one with n8n's expression engine.
		const byN8n = (await pkg.credentialsHelper().authenticate(data, testCase.type, { url: '/', headers: {}, qs: {} } as IHttpRequestOptions)) as IHttpRequestOptions;
		const byTest = await authenticationOf(authenticate!, data);
		expect(byTest).toEqual({ headers: byN8n.headers, qs: byN8n.qs });
		expect(JSON.stringify(byTest)).toMatch(/demo-/);
	});

	it('refuses an expression it cannot resolve, instead of sending a wrong header', async () => {
		const authenticate: IAuthenticateGeneric = { type: 'generic', properties: { headers: { 'x-key': '={{$credentials.apiKey.toUpperCase()}}' } } };
		await expect(authenticationOf(authenticate, { apiKey: 'k' })).rejects.toThrow(
			"The credential's authenticate uses an expression the credential test cannot resolve: {{ $credentials.apiKey.toUpperCase() }}",
		);
	});
});
