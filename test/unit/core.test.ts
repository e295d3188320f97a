import type { INodeProperties } from 'n8n-workflow';

import { MesigicApi } from '../../credentials/MesigicApi.credentials';
import { mesigic, mesigicErrorOf } from '../../nodes/Mesigic/api';
import { Mesigic } from '../../nodes/Mesigic/Mesigic.node';
import { mesigicOperations } from '../../nodes/Mesigic/operations';
import { Redactor } from '../../nodes/shared/errors';
import { retryAfterMs, Throttle } from '../../nodes/shared/http';
import { encodeMultipart, formFields } from '../../nodes/shared/multipart';
import { findRecords, numberedPages, wholeList } from '../../nodes/shared/pagination';

const actionNodes = [{ node: new Mesigic(), operations: mesigicOperations }];

describe.each(actionNodes)('description of $node.description.displayName', ({ node, operations }) => {
	const { properties } = node.description;

	it('has unique resource + operation values, each with a request', () => {
		const keys = operations.map((operation) => `${operation.resource}:${operation.value}`);
		expect(new Set(keys).size).toBe(keys.length);
		for (const operation of operations) expect(typeof operation.request).toBe('function');
	});

	it('offers every operation in its resource dropdown, sorted by name', () => {
		for (const resource of new Set(operations.map((operation) => operation.resource))) {
			const selector = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource));
			const offered = (selector?.options ?? []).map((option) => (option as { value: string }).value);
			expect(offered.sort()).toEqual(operations.filter((o) => o.resource === resource).map((o) => o.value).sort());
			const names = (selector?.options ?? []).map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('shows every field for exactly one existing operation', () => {
		const fields = properties.filter((p) => !['resource', 'operation', 'requestOptions'].includes(p.name));
		for (const field of fields) {
			const show = field.displayOptions?.show ?? {};
			expect(show.resource).toHaveLength(1);
			expect(show.operation).toHaveLength(1);
			expect(operations.some((o) => o.resource === show.resource![0] && o.value === show.operation![0])).toBe(true);
		}
	});

	it('never shows two fields of one name for the same operation', () => {
		const seen = new Set<string>();
		const visibleWhen = (field: INodeProperties) => JSON.stringify(field.displayOptions);
		for (const field of properties) {
			const key = `${field.name}|${visibleWhen(field)}`;
			expect(seen.has(key)).toBe(false);
			seen.add(key);
		}
	});

	it('gives Return All and Limit to every list operation', () => {
		for (const operation of operations.filter((o) => o.pages)) {
			const own = properties.filter((p) => p.displayOptions?.show?.operation?.[0] === operation.value && p.displayOptions?.show?.resource?.[0] === operation.resource);
			expect(own.map((p) => p.name)).toEqual(expect.arrayContaining(['returnAll', 'limit']));
		}
	});

	it('is usable as an AI tool, has a subtitle and themed icons', () => {
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.subtitle).toBeTruthy();
		const icon = node.description.icon as { light: string; dark: string };
		expect(icon.light).not.toEqual(icon.dark);
	});
});

describe('Mesigic error extraction', () => {
	it('shows every message of an error envelope', () => {
		const error = mesigicErrorOf(401, {
			remark: 'Unauthorized',
			status: 'error',
			message: ['Access to this API endpoint is restricted to IP addresses that have been explicitly whitelisted.', 'In order to access this API endpoint, please add your IP address (::1) to the white list from the user dashboard.'],
		});
		expect(error?.message).toContain('explicitly whitelisted');
		expect(error?.message).toContain('(::1)');
		expect(error?.description).toMatch(/^• Access/);
		expect(mesigic.hint!(error!, 401)).toMatch(/IP Whitelist/);
	});

	it('treats status "error" inside an HTTP 200 as a failure', () => {
		expect(mesigicErrorOf(200, { status: 'error', remark: 'validation_error', message: ['The mobile field is required.'] })?.message).toBe('The mobile field is required.');
	});

	it('reads Laravel-style message objects', () => {
		expect(mesigicErrorOf(422, { status: 'error', message: { mobile: ['The mobile field is required.'], firstname: ['The firstname field is required.'] } })?.message).toBe(
			'The mobile field is required. The firstname field is required.',
		);
	});

	it('reports an answer that is not JSON', () => {
		expect(mesigicErrorOf(200, '<html>oops')?.message).toMatch(/not JSON/);
	});

	it('passes a success envelope', () => {
		expect(mesigicErrorOf(200, { status: 'success', remark: 'contact_list', message: ['ok'], data: {} })).toBeUndefined();
	});

	it('tells the user what to check on a 401', () => {
		expect(mesigic.hint!({ message: 'Invalid client credentials' }, 401)).toMatch(/Client ID and Client Secret/);
	});
});

describe('Redactor', () => {
	const redactor = new Redactor({ ...mesigic, secretFields: ['clientSecret', 'token'] }, { clientId: 'public-id', clientSecret: 's3cr3t/+value', token: 'tok-12345' });

	it('removes secrets, plain and URL-encoded, from nested values', () => {
		const out = redactor.value({ message: 'failed for s3cr3t/+value', url: 'https://x/?token=tok-12345&s=s3cr3t%2F%2Bvalue', list: ['tok-12345'], n: 5 });
		expect(JSON.stringify(out)).not.toMatch(/s3cr3t|tok-12345/);
		expect(out.n).toBe(5);
		expect(out.message).toBe('failed for [redacted]');
	});

	it('leaves non-secret fields alone', () => {
		expect(redactor.text('client public-id')).toBe('client public-id');
	});
});

describe('HTTP policy helpers', () => {
	it('reads Retry-After as seconds or as a date', () => {
		expect(retryAfterMs('3')).toBe(3000);
		expect(retryAfterMs(['1.5'])).toBe(1500);
		expect(retryAfterMs('Thu, 01 Jan 2099 00:00:10 GMT', Date.parse('Thu, 01 Jan 2099 00:00:00 GMT'))).toBe(10_000);
		expect(retryAfterMs('soon')).toBeUndefined();
		expect(retryAfterMs(undefined)).toBeUndefined();
	});

	it('spaces calls so no minute holds more than the plan allows', async () => {
		let now = 0;
		const starts: number[] = [];
		const throttle = new Throttle(120, () => now, async (ms) => {
			now += ms;
		});
		for (let i = 0; i < 300; i++) {
			await throttle.slot();
			starts.push(now);
		}
		for (let i = 0; i < starts.length; i++) {
			const inWindow = starts.filter((t) => t >= starts[i] && t < starts[i] + 60_000).length;
			expect(inWindow).toBeLessThanOrEqual(120);
		}
		expect(starts[299]).toBe(299 * 500);
	});
});

describe('multipart encoding', () => {
	it('round-trips fields and files through a standard parser', async () => {
		const file = { data: Buffer.from([0, 1, 2, 255]), fileName: 'a "quoted".png', mimeType: 'image/png' };
		const { body, contentType } = encodeMultipart([...formFields({ mobile_code: '880', mobile: '1988123456', empty: '', none: undefined }), { field: 'image', file }]);
		const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
		expect(form.get('mobile_code')).toBe('880');
		expect(form.has('empty')).toBe(false);
		expect(form.has('none')).toBe(false);
		const image = form.get('image') as File;
		expect(image.type).toBe('image/png');
		expect(Buffer.from(await image.arrayBuffer())).toEqual(file.data);
	});
});

describe('paging', () => {
	const pages = numberedPages({ pageParam: 'page', sizeParam: 'paginate', maxPageSize: 100 });

	it('follows a Laravel paginator to its last page', () => {
		const page = (current: number, last: number) => ({ contacts: { current_page: current, last_page: last, data: [{ id: current }] } });
		expect(pages.read(page(1, 3), 1, 1)).toEqual({ records: [{ id: 1 }], next: 2 });
		expect(pages.read(page(3, 3), 3, 1).next).toBeUndefined();
	});

	it('falls back to a short page when there is no paginator', () => {
		expect(pages.read([{ id: 1 }], 1, 2).next).toBeUndefined();
		expect(pages.read([{ id: 1 }, { id: 2 }], 1, 2).next).toBe(2);
	});

	it('asks for the page and its size', () => {
		expect(pages.request({ method: 'GET', path: 'contact/list', query: { search: 'a' } }, 2, 20).query).toEqual({ search: 'a', page: 2, paginate: 20 });
	});

	it('finds the list inside an answer', () => {
		expect(findRecords({ templates: [{ id: 1 }] }).records).toEqual([{ id: 1 }]);
		expect(wholeList.read({ templates: [{ id: 1 }, { id: 2 }] }, 1, 1).records).toHaveLength(2);
	});
});

describe('Mesigic credential', () => {
	const credential = new MesigicApi();
	it('keeps the secret hidden and authenticates with both headers', () => {
		expect(credential.properties.find((p) => p.name === 'clientSecret')?.typeOptions?.password).toBe(true);
		expect(Object.keys(credential.authenticate.properties.headers ?? {})).toEqual(['client-id', 'client-secret']);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://mesigic.com/external-api');
	});
});
