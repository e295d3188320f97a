/** The Mehery node's description and error extraction, as pure modules (no engine needed). */
import { meheryErrorOf, normalizeMessage } from '../../nodes/Mehery/api';
import { Mehery } from '../../nodes/Mehery/Mehery.node';
import { MeheryTrigger } from '../../nodes/Mehery/MeheryTrigger.node';
import { meheryOperations } from '../../nodes/Mehery/operations';
import { MeheryApi } from '../../credentials/MeheryApi.credentials';
import { NODE_WIDE_PROPERTIES } from '../../nodes/shared/describe';

describe('Mehery node description', () => {
	const { properties } = new Mehery().description;

	it('has unique resource + operation values, each offered in its resource\'s dropdown, sorted by name', () => {
		const keys = meheryOperations.map((operation) => `${operation.resource}:${operation.value}`);
		expect(keys.sort()).toEqual(['analytics:pushEvent', 'config:setWebhook', 'message:send', 'message:sendAndWait', 'session:getMessages']);
		const resources = properties.find((p) => p.name === 'resource')!.options!.map((option) => option.name);
		expect(resources).toEqual(['Analytics', 'Config', 'Message', 'Session']);
	});

	it('shows every field for exactly one operation', () => {
		for (const field of properties.filter((p) => !NODE_WIDE_PROPERTIES.includes(p.name))) {
			expect(field.displayOptions?.show?.resource).toHaveLength(1);
			expect(field.displayOptions?.show?.operation).toHaveLength(1);
		}
	});

	it('lists every documented message type, sorted by name', () => {
		const type = properties.find((p) => p.name === 'type')!;
		const values = type.options!.map((option) => (option as { value: string }).value);
		expect(values.sort()).toEqual(['audio', 'contacts', 'document', 'image', 'location', 'optin', 'optout', 'system', 'template', 'text', 'video', 'voice']);
		const names = type.options!.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('is usable as an AI tool, has a subtitle and themed icons; so is the trigger', () => {
		const { description } = new Mehery();
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toBeTruthy();
		for (const { icon } of [description, new MeheryTrigger().description, new MeheryApi()] as Array<{ icon?: unknown }>) {
			const { light, dark } = icon as { light: string; dark: string };
			expect(light).not.toEqual(dark);
		}
	});

	it('keeps the API key and the verify token secret', () => {
		const secret = new MeheryApi().properties.filter((p) => p.typeOptions?.password).map((p) => p.name);
		expect(secret.sort()).toEqual(['apiKey', 'verifyToken']);
	});

	it('gives the trigger one POST webhook per documented callback path', () => {
		const { webhooks } = new MeheryTrigger().description;
		expect(webhooks!.map((webhook) => [webhook.httpMethod, webhook.path])).toEqual([
			['POST', 'api/v1/message/receive'],
			['POST', 'api/v1/contact/info'],
			['POST', 'api/v1/action/event'],
		]);
	});
});

describe('Mehery error extraction', () => {
	it('shows the message and lists every entry of errors[]', () => {
		const body = {
			error: 'Bad Request',
			errors: [
				{ code: 'REQUIRED_FIELD', description: 'channelId is required.', field: 'channelId' },
				{ code: 'INVALID_FIELD', description: 'to.phone must be digits.', field: 'to.phone' },
			],
			message: 'The request has 2 problems.',
			status: 400,
		};
		expect(meheryErrorOf(400, body)).toEqual({
			message: 'The request has 2 problems.',
			description: '• channelId: channelId is required. (REQUIRED_FIELD)\n• to.phone: to.phone must be digits. (INVALID_FIELD)',
		});
	});

	it('falls back to the first problem, then to error, then to the status', () => {
		expect(meheryErrorOf(404, { errors: [{ description: 'No session x.' }] })).toEqual({ message: 'No session x.', description: undefined });
		expect(meheryErrorOf(401, { error: 'Unauthorized' })).toEqual({ message: 'Unauthorized', description: undefined });
		expect(meheryErrorOf(502, 'Bad gateway')).toEqual({ message: 'HTTP 502' });
		expect(meheryErrorOf(500, undefined)).toEqual({ message: 'HTTP 500' });
	});

	it('takes a success envelope (empty errors, maybe warnings) as success, and errors without data as a failure', () => {
		expect(meheryErrorOf(200, { data: { id: 'm1' }, error: '', errors: [], warnings: [{ code: 'W' }] })).toBeUndefined();
		expect(meheryErrorOf(200, { data: null, errors: [{ code: 'DENIED', description: 'Not allowed.' }] })).toEqual({ message: 'Not allowed. (DENIED)', description: undefined });
	});
});

describe('Mehery normalized message', () => {
	it('uses the phone of the contact when the sender is not a number', () => {
		const normalized = normalizeMessage({ id: 'm', from: 'web-visitor', contactId: 'c', type: 'voice', voice: { link: 'https://x/v.ogg', mime_type: 'audio/ogg' }, timestamp: 1760000000 }, {
			contactId: 'c',
			lane: 'support@example.com',
			profile: { mobile: '4915112345678' },
		});
		expect(normalized).toMatchObject({ from: 'web-visitor', to: 'support@example.com', chatId: 'c', type: 'voice', media: { url: 'https://x/v.ogg', mimeType: 'audio/ogg' }, timestamp: '2025-10-09T08:53:20.000Z' });
	});
});
