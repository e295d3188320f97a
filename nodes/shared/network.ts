/**
 * Which hosts are inside n8n's own network: loopback, private and link-local ranges (IPv4 and IPv6,
 * IPv6 forms that carry an IPv4 address included), and names that only a local resolver knows.
 * Pure: no DNS. A public-looking name is resolved by n8n's own egress filter (see media.ts).
 */

type Range = [network: number, prefix: number, reason: string];

const ipv4 = (text: string): number => text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

const IPV4_RANGES: Range[] = [
	[ipv4('0.0.0.0'), 8, 'an address of this host ("this network")'],
	[ipv4('10.0.0.0'), 8, 'a private network address'],
	[ipv4('100.64.0.0'), 10, 'a shared address (carrier-grade NAT)'],
	[ipv4('127.0.0.0'), 8, 'a loopback address'],
	[ipv4('169.254.0.0'), 16, 'a link-local address (where cloud metadata services answer)'],
	[ipv4('172.16.0.0'), 12, 'a private network address'],
	[ipv4('192.0.0.0'), 24, 'a reserved address'],
	[ipv4('192.168.0.0'), 16, 'a private network address'],
	[ipv4('198.18.0.0'), 15, 'a reserved address (network benchmarking)'],
	[ipv4('224.0.0.0'), 4, 'a multicast address'],
	[ipv4('240.0.0.0'), 4, 'a reserved address'],
];

/** The four octets of a dotted IPv4 address as one number; undefined for anything else. */
function parseIPv4(text: string): number | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
	if (!match || match.slice(1).some((octet) => Number(octet) > 255)) return undefined;
	return ipv4(text);
}

function ipv4Reason(address: number): string | undefined {
	for (const [network, prefix, reason] of IPV4_RANGES) {
		const size = 2 ** (32 - prefix);
		if (Math.floor(address / size) === Math.floor(network / size)) return reason;
	}
	return undefined;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped); undefined when it is not one. */
function parseIPv6(text: string): number[] | undefined {
	let rest = text.replace(/%.*$/, '').toLowerCase();
	if (!/^[0-9a-f:.]+$/.test(rest) || !rest.includes(':')) return undefined;
	// A trailing dotted IPv4 part (::ffff:127.0.0.1) becomes the two groups it stands for.
	const dotted = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest);
	if (dotted) {
		const value = parseIPv4(dotted[1]);
		if (value === undefined) return undefined;
		rest = `${rest.slice(0, -dotted[1].length)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
	}
	const halves = rest.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (half: string) => (half === '' ? [] : half.split(':'));
	const head = groupsOf(halves[0]);
	const after = halves.length === 2 ? groupsOf(halves[1]) : [];
	if ([...head, ...after].some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
	const missing = 8 - head.length - after.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	const zeros = new Array<number>(halves.length === 2 ? missing : 0).fill(0);
	return [...head.map((group) => parseInt(group, 16)), ...zeros, ...after.map((group) => parseInt(group, 16))];
}

function embeddedIPv4Reason(high: number, low: number, form: string): string | undefined {
	const reason = ipv4Reason(high * 65536 + low);
	return reason && `${reason}, inside ${form}`;
}

function ipv6Reason(words: number[]): string | undefined {
	const zeroUpTo = (count: number) => words.slice(0, count).every((word) => word === 0);
	if (words.every((word) => word === 0)) return 'the unspecified address (this host)';
	if (zeroUpTo(7) && words[7] === 1) return 'a loopback address';
	if (zeroUpTo(5) && words[5] === 0xffff) return embeddedIPv4Reason(words[6], words[7], 'an IPv4-mapped IPv6 address');
	if (zeroUpTo(6)) return embeddedIPv4Reason(words[6], words[7], 'an IPv4-compatible IPv6 address');
	if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) {
		return embeddedIPv4Reason(words[6], words[7], 'a NAT64 address');
	}
	if (words[0] === 0x64 && words[1] === 0xff9b && words[2] === 1) return 'a private network address (local NAT64)';
	if (words[0] === 0x2002) return embeddedIPv4Reason(words[1], words[2], 'a 6to4 address');
	if ((words[0] & 0xfe00) === 0xfc00) return 'a private network address (IPv6 unique local)';
	if ((words[0] & 0xffc0) === 0xfe80) return 'a link-local address';
	if ((words[0] & 0xffc0) === 0xfec0) return 'a private network address (IPv6 site-local)';
	if ((words[0] & 0xff00) === 0xff00) return 'a multicast address';
	return undefined;
}

/** Top-level names reserved for private use: no public file lives under them. */
const PRIVATE_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'home.arpa'];

/** Why an IP address (plain text, IPv4 or IPv6) is inside the local network; undefined when it is public or not an address. */
export function privateAddressReason(address: string): string | undefined {
	const text = address.replace(/^\[(.*)\]$/, '$1');
	const v4 = parseIPv4(text);
	if (v4 !== undefined) return ipv4Reason(v4);
	const v6 = parseIPv6(text);
	return v6 ? ipv6Reason(v6) : undefined;
}

export function isIpAddress(host: string): boolean {
	const text = host.replace(/^\[(.*)\]$/, '$1');
	return parseIPv4(text) !== undefined || parseIPv6(text) !== undefined;
}

/**
 * Why the host of a URL is inside the local network, judged without DNS: an address in a private
 * range, or a name only a local resolver can answer (`localhost`, a name without a dot, `*.internal`).
 * Expects the hostname as `new URL()` gives it, which has already turned `2130706433`, `0x7f.1` and
 * `0177.0.0.1` into `127.0.0.1`.
 */
export function privateHostReason(hostname: string): string | undefined {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (isIpAddress(host)) return privateAddressReason(host);
	if (host === '') return 'an empty host';
	if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name';
	if (!host.includes('.')) return 'a name on the local network (it has no domain)';
	if (PRIVATE_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`))) return 'a name on the local network';
	return undefined;
}
