/** The Messlo node's description, success shapes and error extraction, as pure modules (no engine needed). */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MessloApi } from '../../credentials/MessloApi.credentials';
import { dataOf, MESSLO_CONNECTIONS_SUCCESS, MESSLO_SUCCESS, messloErrorOf, messloPages, messlo } from '../../nodes/Messlo/api';
import { Messlo } from '../../nodes/Messlo/Messlo.node';
import { messloOperations } from '../../nodes/Messlo/operations';
import { NODE_WIDE_PROPERTIES } from '../../nodes/shared/describe';

const { properties } = new Messlo().description;
const valuesOf = (name: string) => (properties.find((p) => p.name === name)!.options as INodePropertyOptions[]).map((option) => option.value);
const namesOf = (name: string) => (properties.find((p) => p.name === name)!.options as INodePropertyOptions[]).map((option) => option.name);

/** Every property, with the options of collections and the values of fixed collections. */
function allProperties(list: INodeProperties[]): INodeProperties[] {
	return list.flatMap((property) => [
		property,
		...allProperties(((property.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>).flatMap((option) => ('type' in option ? [option as INodeProperties] : (option.values ?? [])))),
	]);
}

describe('Messlo node description', () => {
	it('has one operation per documented call, each in its resource dropdown, sorted by name', () => {
		const keys = messloOperations.map((operation) => `${operation.resource}:${operation.value}`);
		expect(keys.sort()).toEqual([
			'account:getConnections',
			'account:getPhoneNumbers',
			'account:getWabaPhoneNumbers',
			'account:setUpWebhooks',
			'account:syncWorkspace',
			'agent:getAll',
			'automation:create',
			'automation:getAll',
			'automation:getExecutions',
			'automation:getNodeTypes',
			'automation:setActive',
			'automation:test',
			'campaign:create',
			'campaign:getAll',
			'catalog:getProducts',
			'catalog:sync',
			'chat:assign',
			'chat:getAll',
			'chat:getMessages',
			'chatbot:create',
			'chatbot:getAll',
			'chatbot:train',
			'contact:create',
			'contact:getAll',
			'contact:update',
			'customField:getAll',
			'form:create',
			'form:getAll',
			'form:publish',
			'industryPack:apply',
			'industryPack:getAll',
			'industryPack:preview',
			'kanbanFunnel:getAll',
			'login:getStatus',
			'login:start',
			'login:verifyToken',
			'login:waitForVerification',
			'message:send',
			'message:sendAndWait',
			'messageBot:create',
			'messageBot:getAll',
			'orderWebhook:create',
			'orderWebhook:mapTemplate',
			'quickReply:getAll',
			'segment:create',
			'segment:getAll',
			'sequence:getAll',
			'tag:create',
			'tag:getAll',
			'template:create',
			'template:syncStatus',
			'template:validateMediaUrl',
			'workspace:getGoogleConnectUrl',
			'workspace:getUsage',
		]);
		expect(namesOf('resource')).toEqual([
			'Agent',
			'AI Chatbot',
			'Automation Flow',
			'Campaign',
			'Catalog',
			'Chat',
			'Contact',
			'Custom Field',
			'Form',
			'Industry Pack',
			'Kanban Funnel',
			'Keyword Bot',
			'Login With WhatsApp',
			'Message',
			'Order Webhook',
			'Quick Reply',
			'Segment',
			'Sequence',
			'Tag',
			'Template',
			'WhatsApp Account',
			'Workspace',
		]);
		for (const resource of new Set(messloOperations.map((operation) => operation.resource))) {
			const selector = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))!;
			const names = selector.options!.map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('shows every field for exactly one operation, never two of one name at once', () => {
		const seen = new Set<string>();
		for (const field of properties.filter((p) => !NODE_WIDE_PROPERTIES.includes(p.name))) {
			expect(field.displayOptions?.show?.resource).toHaveLength(1);
			expect(field.displayOptions?.show?.operation).toHaveLength(1);
			const key = `${field.name}|${JSON.stringify(field.displayOptions)}`;
			expect(seen.has(key)).toBe(false);
			seen.add(key);
		}
	});

	it('offers every message type, template kind and campaign variant of the document', () => {
		expect(valuesOf('messageType').sort()).toEqual(['audio', 'document', 'image', 'location', 'multipleMedia', 'template', 'text', 'upload', 'video']);
		expect(valuesOf('templateKind')).toHaveLength(11);
		expect(valuesOf('templateKind').sort()).toEqual(['callPermission', 'carousel', 'catalog', 'couponCode', 'ctaButtons', 'limitedTimeOffer', 'mediaHeader', 'otp', 'quickReplies', 'simple', 'variables']);
		expect(valuesOf('campaignType').sort()).toEqual(['coupon', 'limitedTimeOffer', 'media', 'mediaCarousel', 'mediaCarouselUpload', 'productCarousel', 'standard']);
		expect(valuesOf('recipientType').sort()).toEqual(['all_contacts', 'specific_contacts', 'tags']);
		for (const name of ['messageType', 'templateKind', 'campaignType', 'recipientType']) expect(namesOf(name)).toEqual([...namesOf(name)].sort((a, b) => a.localeCompare(b)));
	});

	it('gives every dropdown a load method the node has, and lets an expression stand in for it', () => {
		const { methods } = new Messlo();
		const dynamic = allProperties(properties).filter((p) => p.typeOptions?.loadOptionsMethod);
		expect(new Set(dynamic.map((p) => p.typeOptions!.loadOptionsMethod)).size).toBe(Object.keys(methods.loadOptions).length);
		for (const field of dynamic) {
			expect(Object.keys(methods.loadOptions)).toContain(field.typeOptions!.loadOptionsMethod);
			expect(field.noDataExpression).not.toBe(true);
			expect(field.description).toMatch(/^Choose from the list, or specify (an ID|IDs) using an/);
		}
		const methodsUsed = new Set(dynamic.map((p) => p.typeOptions!.loadOptionsMethod));
		expect([...methodsUsed].sort()).toEqual([
			'getAgents',
			'getCatalogs',
			'getChatbots',
			'getFlows',
			'getForms',
			'getIndustryPacks',
			'getLoginPhoneNumbers',
			'getOrderWebhooks',
			'getPhoneNumberIds',
			'getReplyTargets',
			'getSegments',
			'getSenderNumbers',
			'getTags',
			'getTemplateIds',
			'getTemplates',
			'getWabas',
		]);
	});

	it('gives Return All and Limit to the paged lists', () => {
		for (const operation of messloOperations.filter((o) => o.pages)) {
			const own = properties.filter((p) => p.displayOptions?.show?.operation?.[0] === operation.value && p.displayOptions?.show?.resource?.[0] === operation.resource);
			expect(own.map((p) => p.name)).toEqual(expect.arrayContaining(['returnAll', 'limit']));
		}
		expect(messloOperations.filter((o) => o.pages).map((o) => `${o.resource}:${o.value}`).sort()).toEqual([
			'agent:getAll',
			'automation:getAll',
			'automation:getExecutions',
			'campaign:getAll',
			'catalog:getProducts',
			'chat:getAll',
			'chat:getMessages',
			'chatbot:getAll',
			'contact:getAll',
			'customField:getAll',
			'form:getAll',
			'kanbanFunnel:getAll',
			'messageBot:getAll',
			'quickReply:getAll',
			'segment:getAll',
			'sequence:getAll',
			'tag:getAll',
		]);
	});

	it('is usable as an AI tool, with a subtitle and themed icons; the credential too has themed icons', () => {
		const { description } = new Messlo();
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toBeTruthy();
		for (const { icon } of [description, new MessloApi()] as Array<{ icon?: unknown }>) {
			const { light, dark } = icon as { light: string; dark: string };
			expect(light).not.toEqual(dark);
		}
	});

	it('sends the API key as X-API-Key, keeps it secret, and tests it on the connections list', async () => {
		const credential = new MessloApi();
		expect(credential.properties.filter((p) => p.typeOptions?.password).map((p) => p.name)).toEqual(['apiKey']);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.messlo.com');
		const authenticate = credential.authenticate as (credentials: object, request: object) => Promise<{ headers: Record<string, string> }>;
		expect(typeof authenticate).toBe('function');
		expect((await authenticate({ apiKey: 'key-1' }, { url: '/x', headers: { accept: 'application/json' } })).headers).toEqual({ accept: 'application/json', 'X-API-Key': 'key-1' });
		expect(new Messlo().description.credentials).toEqual([{ name: 'messloApi', required: true, testedBy: 'messloApiTest' }]);
		expect(messlo.secretFields).toEqual(['apiKey']);
	});
});

describe('Messlo success answers', () => {
	const notAnswers: Array<[string, unknown]> = [
		['an HTML page', '<!doctype html><html><body>Login</body></html>'],
		['an empty body', ''],
		['null', null],
		['an empty object', {}],
		['success: false', { success: false, message: 'x' }],
	];

	it.each(messloOperations.map((operation) => [`${operation.resource}:${operation.value}`, operation] as const))('%s refuses what is not a success answer', (_key, operation) => {
		for (const [, body] of notAnswers) expect(operation.success.safeParse(body).success).toBe(false);
	});

	it('takes an action as done on success: true or on its data', () => {
		expect(MESSLO_SUCCESS.done.safeParse({ success: true }).success).toBe(true);
		expect(MESSLO_SUCCESS.done.safeParse({ success: true, message: 'Message sent', data: { messageId: 'wamid.1' } }).success).toBe(true);
		expect(MESSLO_SUCCESS.done.safeParse({ data: { _id: '64a1' } }).success).toBe(true);
		expect(MESSLO_SUCCESS.done.safeParse({ message: 'Sent' }).success).toBe(false);
		expect(MESSLO_SUCCESS.done.safeParse({ success: true, data: null }).success).toBe(true);
		expect(MESSLO_SUCCESS.done.safeParse({ data: null }).success).toBe(false);
	});

	it('finds a list in data, under its own name, or inside data', () => {
		expect(MESSLO_CONNECTIONS_SUCCESS.safeParse({ success: true, data: [{ id: 'w1' }], total_wabas: 1 }).success).toBe(true);
		expect(MESSLO_CONNECTIONS_SUCCESS.safeParse({ connections: [], total_wabas: 0 }).success).toBe(true);
		expect(MESSLO_CONNECTIONS_SUCCESS.safeParse({ success: true, data: { connections: [{ id: 'w1' }] } }).success).toBe(true);
		expect(MESSLO_CONNECTIONS_SUCCESS.safeParse({ success: true, total_wabas: 1 }).success).toBe(false);
		expect(MESSLO_SUCCESS.phoneNumbers.safeParse({ phone_numbers: [{ id: 'p1' }] }).success).toBe(true);
		expect(MESSLO_SUCCESS.contacts.safeParse({ success: true, data: { contacts: [], pagination: { totalItems: 0 } } }).success).toBe(true);
		expect(MESSLO_SUCCESS.contacts.safeParse({ success: true, data: { pagination: {} } }).success).toBe(false);
	});

	it('takes a media check as done on success: true or reachable: true', () => {
		expect(MESSLO_SUCCESS.mediaCheck.safeParse({ reachable: true }).success).toBe(true);
		expect(MESSLO_SUCCESS.mediaCheck.safeParse({ success: true }).success).toBe(true);
		expect(MESSLO_SUCCESS.mediaCheck.safeParse({ reachable: false }).success).toBe(false);
	});

	it('outputs the data of an answer, or the answer without its success flag', () => {
		expect(dataOf({ success: true, data: { id: 'm1' } })).toEqual({ id: 'm1' });
		expect(dataOf({ success: true, data: [{ id: 'a' }, 'b'] })).toEqual([{ id: 'a' }, { value: 'b' }]);
		expect(dataOf({ success: true, message: 'Workspace synced' })).toEqual({ message: 'Workspace synced' });
		expect(dataOf({ success: true })).toEqual({ success: true });
	});
});

describe('Messlo pages', () => {
	const pages = messloPages(['contacts'], 100);
	const spec = { method: 'GET' as const, path: 'api/contacts', query: { search: 'a' } };

	it('asks for page and limit', () => {
		expect(pages.request(spec, 3, 25)).toEqual({ ...spec, query: { search: 'a', page: 3, limit: 25 } });
	});

	it('reads the next page from the paging info, or from a full page', () => {
		const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i) }));
		expect(pages.read({ data: records(2), pagination: { totalPages: 3 } }, 2, 2).next).toBe(3);
		expect(pages.read({ data: records(2), pagination: { totalPages: 2 } }, 2, 2).next).toBeUndefined();
		expect(pages.read({ data: { contacts: records(2), pagination: { totalItems: 5 } } }, 2, 2).next).toBe(3);
		expect(pages.read({ data: { contacts: records(1), pagination: { totalItems: 5 } } }, 3, 2).next).toBeUndefined();
		expect(pages.read({ data: records(2), pagination: { hasNextPage: false } }, 1, 2).next).toBeUndefined();
		expect(pages.read({ data: records(2) }, 1, 2).next).toBe(2);
		expect(pages.read({ data: records(1) }, 1, 2).next).toBeUndefined();
		expect(pages.read({ data: [] }, 1, 2)).toEqual({ records: [], next: undefined });
	});
});

describe('Messlo error extraction', () => {
	it('takes the message, else the error, else the status', () => {
		expect(messloErrorOf(400, { success: false, message: 'contact_no is required' })).toEqual({ message: 'contact_no is required', description: undefined });
		expect(messloErrorOf(401, { error: 'Invalid API key' })).toEqual({ message: 'Invalid API key', description: undefined });
		expect(messloErrorOf(500, { error: { message: 'Internal' } })).toEqual({ message: 'Internal', description: undefined });
		expect(messloErrorOf(404, {})).toEqual({ message: 'HTTP 404', description: undefined });
		expect(messloErrorOf(502, '<html>Bad gateway</html>')).toEqual({ message: 'answered HTTP 502 with something that is not JSON', description: '<html>Bad gateway</html>' });
		expect(messloErrorOf(503, undefined)).toEqual({ message: 'HTTP 503' });
	});

	it('lists every problem of an errors list', () => {
		expect(messloErrorOf(422, { message: 'Validation failed', errors: [{ field: 'phone_number', message: 'is required' }, 'email is invalid'] })).toEqual({
			message: 'Validation failed',
			description: '• phone_number: is required\n• email is invalid',
		});
	});

	it('treats success: false inside a 200 as a failure, and anything else in a 200 as no error', () => {
		expect(messloErrorOf(200, { success: false, message: 'Template not approved' })?.message).toBe('Template not approved');
		expect(messloErrorOf(200, { success: true, data: {} })).toBeUndefined();
		expect(messloErrorOf(200, '<html>')).toBeUndefined();
	});

	it('tells the user what to do for a wrong key, a closed 24-hour window and an unapproved template', () => {
		expect(messlo.hint!({ message: 'Unauthorized' }, 401)).toMatch(/API key in the Messlo credential/);
		expect(messlo.hint!({ message: 'Outside the 24-hour window: send a template' }, 400)).toMatch(/Message Type "Template"/);
		expect(messlo.hint!({ message: 'Template order_update is not approved' }, 400)).toMatch(/Sync Approval Status/);
		expect(messlo.hint!({ message: 'Something else' }, 400)).toBeUndefined();
	});
});
