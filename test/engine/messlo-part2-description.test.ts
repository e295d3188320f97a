/** The Messlo node's second half as pure modules: which operation covers each row, its fields, its success shapes. */
import type { INodeProperties } from 'n8n-workflow';

import { messlo, MESSLO_SUCCESS } from '../../nodes/Messlo/api';
import { Messlo } from '../../nodes/Messlo/Messlo.node';
import { messloOperations } from '../../nodes/Messlo/operations';
import { loginAnswerState, loginEventState } from '../../nodes/Messlo/operations/login';

const { properties } = new Messlo().description;

/** Rows of shared/MESSLO-CONTRACT.md → the operation that covers each (and the option, when one). */
const COVERAGE: Array<[row: number, resource: string, operation: string, option?: string]> = [
	[6, 'login', 'start'],
	[7, 'login', 'waitForVerification', 'Subscribe Token (event stream; polls row 8 without it)'],
	[8, 'login', 'getStatus'],
	[9, 'login', 'verifyToken'],
	[47, 'automation', 'getAll'],
	[48, 'automation', 'getNodeTypes'],
	[49, 'automation', 'create'],
	[50, 'automation', 'setActive'],
	[51, 'automation', 'test'],
	[52, 'automation', 'getExecutions'],
	[53, 'segment', 'getAll'],
	[54, 'segment', 'create'],
	[55, 'tag', 'getAll'],
	[56, 'tag', 'create'],
	[57, 'customField', 'getAll'],
	[58, 'contact', 'update'],
	[59, 'chatbot', 'getAll'],
	[60, 'chatbot', 'create'],
	[61, 'chatbot', 'train'],
	[62, 'messageBot', 'getAll'],
	[63, 'messageBot', 'create'],
	[64, 'quickReply', 'getAll'],
	[65, 'form', 'getAll'],
	[66, 'form', 'create'],
	[67, 'form', 'publish'],
	[68, 'industryPack', 'getAll'],
	[69, 'industryPack', 'preview'],
	[70, 'industryPack', 'apply'],
	[71, 'workspace', 'getUsage'],
	[72, 'agent', 'getAll'],
	[73, 'chat', 'assign', 'Assign To: Agent'],
	[74, 'workspace', 'getGoogleConnectUrl'],
	[75, 'sequence', 'getAll'],
	[76, 'kanbanFunnel', 'getAll'],
	[77, 'catalog', 'sync'],
	[78, 'catalog', 'getProducts'],
	[79, 'orderWebhook', 'create'],
	[80, 'orderWebhook', 'mapTemplate'],
];

const fieldsOf = (resource: string, operation: string) => messloOperations.find((o) => o.resource === resource && o.value === operation)!.fields;
const optionsOf = (field: INodeProperties) => (field.options ?? []) as INodeProperties[];

describe('Messlo node, part 2: coverage and fields', () => {
	it('covers rows 6–9 and 47–80 of the contract, each with an operation of the node', () => {
		const keys = new Set(messloOperations.map((operation) => `${operation.resource}:${operation.value}`));
		expect(COVERAGE.map(([row]) => row)).toEqual([6, 7, 8, 9, ...Array.from({ length: 34 }, (_, index) => 47 + index)]);
		for (const [row, resource, operation] of COVERAGE) expect([row, keys.has(`${resource}:${operation}`)]).toEqual([row, true]);
	});

	it('offers a Login App API Key, hidden like a password, on every login operation; the tokens are hidden too', () => {
		for (const operation of messloOperations.filter((o) => o.resource === 'login')) {
			const options = operation.fields.find((field) => field.name === 'options')!;
			const key = optionsOf(options).find((option) => option.name === 'loginApiKey');
			expect([operation.value, key?.typeOptions?.password]).toEqual([operation.value, true]);
		}
		expect(fieldsOf('login', 'verifyToken').find((field) => field.name === 'token')?.typeOptions?.password).toBe(true);
		expect(fieldsOf('login', 'waitForVerification').find((field) => field.name === 'subscribeToken')?.typeOptions?.password).toBe(true);
	});

	it('waits up to 10 minutes by default (a session\'s life), an hour at most', () => {
		const timeout = fieldsOf('login', 'waitForVerification').find((field) => field.name === 'timeoutSeconds')!;
		expect([timeout.default, timeout.typeOptions?.minValue, timeout.typeOptions?.maxValue]).toEqual([600, 1, 3600]);
	});

	it('gives the JSON fields defaults that are valid JSON of the right kind', () => {
		const jsonFields = messloOperations.flatMap((operation) => operation.fields.flatMap((field) => [field, ...optionsOf(field)])).filter((field) => field.type === 'json');
		expect(jsonFields.map((field) => field.name).sort()).toEqual(
			expect.arrayContaining(['connections', 'fields', 'nodes', 'settings', 'setupOverrides', 'submitSettings', 'triggers']),
		);
		for (const field of jsonFields) expect(() => JSON.parse(String(field.default))).not.toThrow();
	});

	it('shows every part 2 dropdown for the operation it belongs to', () => {
		const dropdowns = properties.filter((p) => ['flowId', 'chatbotId', 'formId', 'packSlug', 'catalogId', 'webhookId', 'replyId', 'templateId'].includes(p.name));
		for (const field of dropdowns) expect(field.type).toBe('options');
		expect(dropdowns.find((p) => p.name === 'replyId')?.typeOptions?.loadOptionsDependsOn).toEqual(['wabaId', 'replyType']);
	});
});

describe('Messlo login success answers', () => {
	it('takes a start as done when it names the session, at the top or in data', () => {
		expect(MESSLO_SUCCESS.loginStarted.safeParse({ success: true, sessionId: 's1', waLink: 'https://wa.me/1' }).success).toBe(true);
		expect(MESSLO_SUCCESS.loginStarted.safeParse({ success: true, data: { sessionId: 's1' } }).success).toBe(true);
		expect(MESSLO_SUCCESS.loginStarted.safeParse({ success: true }).success).toBe(false);
		expect(MESSLO_SUCCESS.loginStarted.safeParse({ success: false, sessionId: 's1' }).success).toBe(false);
	});

	it('takes a status answer when it gives a status or a token', () => {
		expect(MESSLO_SUCCESS.loginStatus.safeParse({ success: true, status: 'pending' }).success).toBe(true);
		expect(MESSLO_SUCCESS.loginStatus.safeParse({ success: true, verificationToken: 'eyJ' }).success).toBe(true);
		expect(MESSLO_SUCCESS.loginStatus.safeParse({ success: true, data: { status: 'success' } }).success).toBe(true);
		expect(MESSLO_SUCCESS.loginStatus.safeParse({ success: true }).success).toBe(false);
		expect(MESSLO_SUCCESS.loginStatus.safeParse('<html>').success).toBe(false);
	});

	it('takes a verified token only as valid: true with the user', () => {
		expect(MESSLO_SUCCESS.tokenVerified.safeParse({ valid: true, user: { phone: '1', name: 'A' } }).success).toBe(true);
		expect(MESSLO_SUCCESS.tokenVerified.safeParse({ success: true, data: { valid: true, user: { phone: '1' } } }).success).toBe(true);
		expect(MESSLO_SUCCESS.tokenVerified.safeParse({ valid: false, user: { phone: '1' } }).success).toBe(false);
		expect(MESSLO_SUCCESS.tokenVerified.safeParse({ valid: true }).success).toBe(false);
	});

	it('gives token advice, not API key advice, when Messlo refuses a token', () => {
		expect(messlo.hint!({ message: 'The token was already used' }, 401)).toMatch(/good for one Verify Token call/);
		expect(messlo.hint!({ message: 'Invalid API key' }, 401)).toMatch(/API key in the Messlo credential/);
		expect(messlo.hint!({ message: 'chatbot_tokens_monthly limit reached' }, 403) ?? '').not.toMatch(/Verify Token/);
	});
});

describe('Messlo login events and status answers', () => {
	it('reads an event by its name, else by the status its data gives; anything else keeps the wait going', () => {
		expect(loginEventState({ event: 'verified', data: '{"sessionId":"s1","status":"success"}' }).state).toBe('verified');
		expect(loginEventState({ event: 'message', data: '{"status":"success"}' }).state).toBe('verified');
		expect(loginEventState({ event: 'expired', data: '' }).state).toBe('expired');
		expect(loginEventState({ event: 'failed', data: '{"message":"The number is blocked"}' })).toEqual({ state: 'failed', reason: 'The number is blocked' });
		expect(loginEventState({ event: 'error', data: 'Session cancelled by the app' })).toEqual({ state: 'failed', reason: 'Session cancelled by the app' });
		expect(loginEventState({ event: 'pending', data: '{"status":"pending"}' }).state).toBeUndefined();
		expect(loginEventState({ event: 'ping', data: '' }).state).toBeUndefined();
	});

	it('takes a status answer as verified once it carries a token or says success', () => {
		expect(loginAnswerState({ success: true, status: 'pending' })).toBe('pending');
		expect(loginAnswerState({ success: true, verificationToken: 'eyJ' })).toBe('verified');
		expect(loginAnswerState({ success: true, data: { status: 'success' } })).toBe('verified');
		expect(loginAnswerState({ success: true, status: 'expired' })).toBe('expired');
		expect(loginAnswerState({ success: true, status: 'failed' })).toBe('failed');
	});
});
