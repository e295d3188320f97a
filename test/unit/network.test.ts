import { isIpAddress, privateAddressReason, privateHostReason } from '../../nodes/shared/network';

/** The host as the node sees it: after `new URL()` has normalised the address. */
const hostOf = (url: string) => new URL(url).hostname;
const reasonFor = (url: string) => privateHostReason(hostOf(url));

describe('privateHostReason: IPv4', () => {
	it.each([
		['http://127.0.0.1/', 'a loopback address'],
		['http://127.8.9.10/', 'a loopback address'],
		['http://10.0.0.1/', 'a private network address'],
		['http://10.255.255.255/', 'a private network address'],
		['http://172.16.0.1/', 'a private network address'],
		['http://172.31.255.254/', 'a private network address'],
		['http://192.168.1.1/', 'a private network address'],
		['http://169.254.169.254/latest/meta-data', 'a link-local address (where cloud metadata services answer)'],
		['http://100.64.0.1/', 'a shared address (carrier-grade NAT)'],
		['http://0.0.0.0/', 'an address of this host ("this network")'],
		['http://224.0.0.1/', 'a multicast address'],
		['http://255.255.255.255/', 'a reserved address'],
	])('%s is %s', (url, reason) => {
		expect(reasonFor(url)).toBe(reason);
	});

	it.each(['http://8.8.8.8/', 'http://172.15.255.255/', 'http://172.32.0.0/', 'http://11.0.0.1/', 'http://169.253.1.1/', 'http://100.128.0.1/', 'http://93.184.216.34/'])(
		'%s is public',
		(url) => {
			expect(reasonFor(url)).toBeUndefined();
		},
	);
});

describe('privateHostReason: IPv4 written another way (URL parsing normalises them)', () => {
	it.each([
		['http://2130706433/', '127.0.0.1'],
		['http://0x7f.1/', '127.0.0.1'],
		['http://0x7f000001/', '127.0.0.1'],
		['http://0177.0.0.1/', '127.0.0.1'],
		['http://017700000001/', '127.0.0.1'],
		['http://127.1/', '127.0.0.1'],
		['http://0/', '0.0.0.0'],
		['http://167772161/', '10.0.0.1'],
		['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
	])('%s is %s, and refused', (url, address) => {
		expect(hostOf(url)).toBe(address);
		expect(reasonFor(url)).toBeDefined();
	});
});

describe('privateHostReason: IPv6', () => {
	it.each([
		['http://[::1]/', 'a loopback address'],
		['http://[0:0:0:0:0:0:0:1]/', 'a loopback address'],
		['http://[::]/', 'the unspecified address (this host)'],
		['http://[fe80::1]/', 'a link-local address'],
		['http://[fc00::1]/', 'a private network address (IPv6 unique local)'],
		['http://[fd12:3456:789a::1]/', 'a private network address (IPv6 unique local)'],
		['http://[fec0::1]/', 'a private network address (IPv6 site-local)'],
		['http://[ff02::1]/', 'a multicast address'],
		['http://[::ffff:127.0.0.1]/', 'a loopback address, inside an IPv4-mapped IPv6 address'],
		['http://[::ffff:7f00:1]/', 'a loopback address, inside an IPv4-mapped IPv6 address'],
		['http://[0:0:0:0:0:ffff:10.0.0.1]/', 'a private network address, inside an IPv4-mapped IPv6 address'],
		['http://[::ffff:a9fe:a9fe]/', 'a link-local address (where cloud metadata services answer), inside an IPv4-mapped IPv6 address'],
		['http://[::127.0.0.1]/', 'a loopback address, inside an IPv4-compatible IPv6 address'],
		['http://[64:ff9b::10.0.0.1]/', 'a private network address, inside a NAT64 address'],
		['http://[2002:7f00:1::]/', 'a loopback address, inside a 6to4 address'],
	])('%s is %s', (url, reason) => {
		expect(reasonFor(url)).toBe(reason);
	});

	it.each(['http://[2001:4860:4860::8888]/', 'http://[2606:4700::1111]/', 'http://[::ffff:8.8.8.8]/', 'http://[64:ff9b::808:808]/', 'http://[2002:808:808::]/'])('%s is public', (url) => {
		expect(reasonFor(url)).toBeUndefined();
	});
});

describe('privateHostReason: names', () => {
	it.each([
		['http://localhost/', 'a loopback name'],
		['http://LOCALHOST./', 'a loopback name'],
		['http://api.localhost/', 'a loopback name'],
		['http://metadata/', 'a name on the local network (it has no domain)'],
		['http://intranet/', 'a name on the local network (it has no domain)'],
		['http://printer.local/', 'a name on the local network'],
		['http://metadata.google.internal/', 'a name on the local network'],
		['http://nas.home.arpa/', 'a name on the local network'],
	])('%s is %s', (url, reason) => {
		expect(reasonFor(url)).toBe(reason);
	});

	it.each(['http://example.com/', 'http://cdn.example.org./', 'http://localhost.example.com/', 'http://127.0.0.1.example.com/'])('%s is left to DNS (n8n\'s egress filter)', (url) => {
		expect(reasonFor(url)).toBeUndefined();
	});
});

describe('privateAddressReason: addresses as a resolver gives them', () => {
	it('reads plain and bracketed IPv6, with or without a zone', () => {
		expect(privateAddressReason('::1')).toBe('a loopback address');
		expect(privateAddressReason('[::1]')).toBe('a loopback address');
		expect(privateAddressReason('fe80::1%eth0')).toBe('a link-local address');
		expect(privateAddressReason('::ffff:192.168.0.1')).toBe('a private network address, inside an IPv4-mapped IPv6 address');
	});

	it('is not fooled by things that only look like addresses', () => {
		for (const text of ['1.2.3.256', '1.2.3', '::1::', '1:2:3:4:5:6:7:8:9', 'gggg::1', '12345::', 'example.com', '']) {
			expect(isIpAddress(text)).toBe(false);
			expect(privateAddressReason(text)).toBeUndefined();
		}
	});
});
