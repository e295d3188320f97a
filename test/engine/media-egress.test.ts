/**
 * The second layer of the private-network check: n8n's own egress filter, which resolves a name and
 * judges the addresses it gets. Real n8n-core and @n8n/backend-network code; only DNS is scripted
 * (this machine is offline), through n8n's own DnsResolver service:
 *   files.example.com    → 127.0.0.1, standing in for a public address (the instance allows
 *                          127.0.0.1/32 below, so n8n's filter passes it, and the connection reaches
 *                          the sandbox)
 *   intranet.example.com → 10.0.0.7, a private address
 * The instance's own SSRF protection is on here (N8N_SSRF_PROTECTION_ENABLED), as that is what makes
 * n8n connect through the same scripted resolver.
 */
import { DnsResolver } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { INodeParameters } from 'n8n-workflow';

import { loadPackage, type LoadedPackage } from '../support/engine';
import { startMesigic, type MesigicSandbox } from '../support/mesigic';

process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
process.env.N8N_SSRF_ALLOWED_IP_RANGES = '127.0.0.1/32';

const ANSWERS: Record<string, string> = { 'files.example.com': '127.0.0.1', 'intranet.example.com': '10.0.0.7' };
const lookups: string[] = [];

class ScriptedDns {
	async lookup(hostname: string): Promise<Array<{ address: string; family: number }>> {
		lookups.push(hostname);
		const address = ANSWERS[hostname];
		if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
		return [{ address, family: 4 }];
	}
}

const SEND = 'POST /external-api/inbox/send-message';
let pkg: LoadedPackage;
let mesigic: MesigicSandbox;

beforeAll(async () => {
	Container.set(DnsResolver, new ScriptedDns() as unknown as DnsResolver);
	pkg = await loadPackage();
	mesigic = await startMesigic();
});
afterAll(() => mesigic?.stop());
beforeEach(() => {
	mesigic.server.reset();
	lookups.length = 0;
});

const sendFromUrl = (mediaUrl: string, extra: INodeParameters = {}) =>
	pkg.runWorkflow({
		nodes: [{ name: 'Mesigic', type: 'mesigic', parameters: { resource: 'message', operation: 'send', phone: '+880 1711000001', attachment: 'image', mediaSource: 'url', mediaUrl, ...extra } }],
		credentials: { mesigicApi: mesigic.credentials },
	});

const at = (host: string, name: string, query = '') => `http://${host}:${mesigic.server.port}/__sandbox/files/${name}${query}`;

describe('a name, judged by the addresses it resolves to', () => {
	it('downloads from a name that resolves to an allowed address', async () => {
		const result = await sendFromUrl(at('files.example.com', 'photo.png'));
		expect(result.error).toBeUndefined();
		expect(lookups).toContain('files.example.com');
		expect(mesigic.server.downloads()).toHaveLength(1);
		expect(mesigic.server.accepted(SEND)).toHaveLength(1);
	});

	it('refuses a name that resolves to a private address, naming both and the option', async () => {
		const result = await sendFromUrl(at('intranet.example.com', 'photo.png'));
		expect(result.error?.message).toBe('"File URL" points to a private network address (intranet.example.com is 10.0.0.7): turn on "Allow Private Network URLs" to download from it');
		expect(mesigic.server.received()).toHaveLength(0);
	});

	it('checks every redirect before following it: a public link that redirects into the network stops there', async () => {
		for (const [inner, reason] of [
			[at('intranet.example.com', 'secret.png'), 'a private network address (intranet.example.com is 10.0.0.7)'],
			[at('127.0.0.1', 'secret.png'), 'a loopback address (127.0.0.1)'],
		]) {
			mesigic.server.reset();
			const result = await sendFromUrl(at('files.example.com', 'start.png', `?redirect=${encodeURIComponent(inner)}`));
			expect(result.error?.message).toBe(`"File URL" redirects to ${inner}, which points to ${reason}: turn on "Allow Private Network URLs" to download from it`);
			// The sandbox is on 127.0.0.1: had the redirect been followed, it would have served secret.png.
			expect(mesigic.server.downloads().map((download) => download.name)).toEqual(['start.png']);
		}
	});

	it('with the option on, the instance\'s own SSRF policy still applies, and says so', async () => {
		const result = await sendFromUrl(at('intranet.example.com', 'photo.png'), { allowPrivateNetworkUrls: true });
		expect(result.error?.message).toMatch(/^Could not download the file at http:\/\/intranet\.example\.com:\d+\/__sandbox\/files\/photo\.png: this n8n instance blocks that address$/);
		expect(result.error?.description).toMatch(/N8N_SSRF_\* settings.*cannot lift that/);
	});

	it('names a host that does not resolve', async () => {
		const result = await sendFromUrl(at('nowhere.example.com', 'photo.png'));
		expect(result.error?.message).toMatch(/^Could not download the file at http:\/\/nowhere\.example\.com:\d+\/__sandbox\/files\/photo\.png: nowhere\.example\.com was not found$/);
	});
});
