import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';
import { z } from 'zod';

import { MESSAGE_TEXT } from './fields';
import { ItemReader } from './item-reader';
import type { Operation } from './operation';
import { answerPage, closedPage, type FormField, type Question } from './send-and-wait-page';

/** The operation value n8n keys its resume-signature check and its human-in-the-loop tool on. */
export const SEND_AND_WAIT = 'sendAndWait';

/**
 * The node's restart webhooks on n8n's waiting-webhook route (`/webhook-waiting/<execution>/<node id>`):
 * a GET shows the answer page, the POST from that page resumes the execution.
 */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** The node's tooltip while it waits (n8n shows it on the canvas). */
export const SEND_AND_WAIT_TOOLTIP = `={{ $parameter["operation"] === "${SEND_AND_WAIT}" ? "Execution will continue after the person answers through the link in the message" : "" }}`;

/** How a provider sends the message that carries the answer link. */
export interface SendAndWaitChannel {
	/**
	 * The fields the provider's send needs, shown first: the recipient and anything else it asks
	 * for (a session, a channel, a sender number). Their names are those of the send operation.
	 */
	fields: INodeProperties[];
	/** The name of the recipient field among `fields`. */
	recipient: string;
	/** The provider's text send and the parameters that make it send `text` (on top of `fields`). */
	text: { operation: Operation; parameters(text: string): IDataObject };
	/**
	 * For recipients outside WhatsApp's 24-hour window: an approved template with the link in one
	 * of its variables. `fields` (template, variables) are the send operation's own; `parameters`
	 * adds the variable `key` = `value` to what the user gave.
	 */
	template?: {
		operation: Operation;
		fields: INodeProperties[];
		parameters(item: ItemReader, key: string, value: string): IDataObject;
	};
	/** The provider's ID of the sent message in the send operation's output; default its `id`. */
	messageId?(sent: IDataObject): string | undefined;
}

type ResponseType = 'approval' | 'freeText' | 'customForm';

const FIELD_TYPES = ['text', 'textarea', 'number', 'email', 'date', 'dropdown', 'checkbox'] as const;

const forResponse = (...types: ResponseType[]) => ({ show: { responseType: types } });

const limitWaitTime: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	description: 'Whether the workflow goes on without an answer after a while; without this it waits until the person answers',
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Goes on after a while' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Goes on at a date and time' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 45,
					description: 'How long to wait for the answer',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'minutes',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					description: 'When to go on without an answer',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const formFields: INodeProperties = {
	displayName: 'Form Fields',
	name: 'formFields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Form Field',
	default: {},
	displayOptions: forResponse('customForm'),
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Choices',
					name: 'fieldOptions',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true, sortable: true },
					placeholder: 'Add Choice',
					default: { values: [{ option: '' }] },
					displayOptions: { show: { fieldType: ['dropdown', 'checkbox'] } },
					options: [{ displayName: 'Values', name: 'values', values: [{ displayName: 'Choice', name: 'option', type: 'string', default: '' }] }],
				},
				{ displayName: 'Field Label', name: 'fieldLabel', type: 'string', default: '', required: true, placeholder: 'e.g. Refund amount', description: 'Shown above the field; the answer comes out under this name' },
				{
					displayName: 'Field Type',
					name: 'fieldType',
					type: 'options',
					default: 'text',
					options: [
						{ name: 'Checkboxes', value: 'checkbox', description: 'Any of a list of choices' },
						{ name: 'Date', value: 'date' },
						{ name: 'Dropdown List', value: 'dropdown', description: 'One of a list of choices' },
						{ name: 'Email', value: 'email' },
						{ name: 'Number', value: 'number' },
						{ name: 'Text', value: 'text' },
						{ name: 'Textarea', value: 'textarea', description: 'Several lines of text' },
					],
				},
				{ displayName: 'Placeholder', name: 'placeholder', type: 'string', default: '', displayOptions: { show: { fieldType: ['text', 'textarea', 'number', 'email'] } } },
				{ displayName: 'Required Field', name: 'requiredField', type: 'boolean', default: false, description: 'Whether the form can be sent only with this field filled in' },
			],
		},
	],
};

const TEMPLATE_LINK_KEY = 'templateLinkVariable';

/** The fields of a send-and-wait operation, in the order they show. */
function sendAndWaitFields(channel: SendAndWaitChannel): INodeProperties[] {
	const asTemplate = { show: { sendAs: ['template'] } };
	const templateFields: INodeProperties[] = channel.template
		? [
				{
					displayName: 'Send As',
					name: 'sendAs',
					type: 'options',
					default: 'text',
					options: [
						{ name: 'Text Message', value: 'text', description: 'The message with the link below it; reaches people who wrote to you in the last 24 hours' },
						{ name: 'Template', value: 'template', description: 'An approved template with the link in one of its variables; reaches anyone' },
					],
				},
				...channel.template.fields.map((field) => ({ ...field, displayOptions: asTemplate })),
				{
					displayName: 'Link Variable',
					name: TEMPLATE_LINK_KEY,
					type: 'string',
					default: '',
					required: true,
					placeholder: 'e.g. link',
					description: 'The template variable that receives the answer link (in the text or in a URL button)',
					displayOptions: asTemplate,
				},
			]
		: [];
	return [
		...channel.fields,
		...templateFields,
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'e.g. Refund $120 to Jane for order 1042?',
			description: channel.template
				? 'What the person is asked. Sent as text with the answer link below it; with a template, shown on the answer page.'
				: 'What the person is asked; the answer link is added below it',
		},
		{
			displayName: 'Response Type',
			name: 'responseType',
			type: 'options',
			default: 'approval',
			options: [
				{ name: 'Approval', value: 'approval', description: 'The person approves (or declines) on the page the link opens' },
				{ name: 'Free Text', value: 'freeText', description: 'The person writes an answer on the page the link opens' },
				{ name: 'Custom Form', value: 'customForm', description: 'The person fills in a form you define' },
			],
		},
		{
			displayName: 'Approval Options',
			name: 'approvalOptions',
			type: 'fixedCollection',
			placeholder: 'Add option',
			default: {},
			displayOptions: forResponse('approval'),
			options: [
				{
					displayName: 'Values',
					name: 'values',
					values: [
						{
							displayName: 'Type of Approval',
							name: 'approvalType',
							type: 'options',
							default: 'single',
							options: [
								{ name: 'Approve Only', value: 'single' },
								{ name: 'Approve and Decline', value: 'double' },
							],
						},
						{ displayName: 'Approve Button Label', name: 'approveLabel', type: 'string', default: 'Approve' },
						{ displayName: 'Decline Button Label', name: 'disapproveLabel', type: 'string', default: 'Decline', displayOptions: { show: { approvalType: ['double'] } } },
					],
				},
			],
		},
		formFields,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				{ displayName: 'Link Text', name: 'linkLabel', type: 'string', default: '', placeholder: 'e.g. Answer here', description: 'The words before the link in the message; default "Approve", "Approve or decline" or "Answer"' },
				{ displayName: 'Page Title', name: 'responseFormTitle', type: 'string', default: '', description: 'The title of the answer page; default "Approval requested" or "Your answer"' },
				{ displayName: 'Page Description', name: 'responseFormDescription', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'The text on the answer page; default the message' },
				{ displayName: 'Submit Button Label', name: 'responseFormButtonLabel', type: 'string', default: 'Submit', displayOptions: { show: { '/responseType': ['freeText', 'customForm'] } } },
				limitWaitTime,
				...(channel.template
					? [
							{
								displayName: 'Template Link Prefix',
								name: 'templateLinkPrefix',
								type: 'string' as const,
								default: '',
								placeholder: 'e.g. https://n8n.example.com/webhook-waiting/',
								description: 'With a template whose URL button has a fixed beginning: that beginning. The variable then gets only the rest of the link.',
								displayOptions: { show: { '/sendAs': ['template'] } },
							},
						]
					: []),
			],
		},
		{
			// Read by webhook(): resolves against the item the waiting execution keeps (see finish).
			displayName: 'Sent Message ID',
			name: 'sentMessageId',
			type: 'hidden',
			default: '={{ $json.sentMessageId }}',
		},
	];
}

// ------------------------------------------------------------------------------------------------
// Reading the question (at send time, and again when the page is asked for)

interface Reader {
	value(name: string, fallback: unknown): unknown;
}

const readerOfItem = (item: ItemReader): Reader => ({ value: (name, fallback) => item.raw(name, fallback) });

const text = (value: unknown): string => (value === undefined || value === null || typeof value === 'object' ? '' : String(value).trim());

interface Problem {
	problem: string;
	description?: string;
}

const isProblem = (value: object): value is Problem => 'problem' in value;

function readFormFields(reader: Reader): FormField[] | Problem {
	const rows = ((reader.value('formFields', {}) as IDataObject)?.values ?? []) as IDataObject[];
	if (!Array.isArray(rows) || rows.length === 0) return { problem: 'Form Fields is empty', description: 'Add at least one field to the form, or choose another Response Type.' };
	const labels = new Set<string>();
	const fields: FormField[] = [];
	for (const [index, row] of rows.entries()) {
		const label = text(row.fieldLabel);
		if (!label) return { problem: `Form Fields: field ${index + 1} has no label`, description: 'Give every field a label: the answer comes out under it.' };
		if (labels.has(label)) return { problem: `Form Fields: the label "${label}" is used twice`, description: 'Give each field its own label: the answers come out under them.' };
		labels.add(label);
		const type = (FIELD_TYPES as readonly string[]).includes(String(row.fieldType)) ? (row.fieldType as FormField['type']) : 'text';
		const choices = (((row.fieldOptions as IDataObject)?.values ?? []) as IDataObject[]).map((choice) => text(choice.option)).filter(Boolean);
		if ((type === 'dropdown' || type === 'checkbox') && choices.length === 0) {
			return { problem: `Form Fields: "${label}" has no choices`, description: 'Add the choices the person picks from.' };
		}
		fields.push({ name: `field-${index}`, label, type, choices, placeholder: text(row.placeholder) || undefined, required: row.requiredField === true });
	}
	return fields;
}

/** What the person is asked, from the node's parameters, or what is wrong with them. */
function readQuestion(reader: Reader, message: string): Question | Problem {
	const responseType = String(reader.value('responseType', 'approval')) as ResponseType;
	const options = (reader.value('options', {}) ?? {}) as IDataObject;
	const description = text(options.responseFormDescription) || message;
	if (responseType === 'approval') {
		const values = ((reader.value('approvalOptions', {}) as IDataObject)?.values ?? {}) as IDataObject;
		const double = values.approvalType === 'double';
		return {
			kind: 'approval',
			title: text(options.responseFormTitle) || 'Approval requested',
			description,
			approveLabel: text(values.approveLabel) || 'Approve',
			declineLabel: double ? text(values.disapproveLabel) || 'Decline' : undefined,
		};
	}
	if (responseType !== 'freeText' && responseType !== 'customForm') {
		return { problem: `Response Type "${responseType}" is not one of Approval, Free Text or Custom Form` };
	}
	const fields = responseType === 'customForm' ? readFormFields(reader) : [{ name: 'text', label: 'Your answer', type: 'textarea' as const, choices: [], required: true }];
	if (isProblem(fields)) return fields;
	return {
		kind: responseType,
		title: text(options.responseFormTitle) || 'Your answer',
		description,
		buttonLabel: text(options.responseFormButtonLabel) || 'Submit',
		fields,
	};
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** When the execution goes on without an answer (n8n's "wait indefinitely" date when there is no limit). */
function waitTill(item: ItemReader, now = Date.now()): Date {
	const values = ((item.raw('options', {}) as IDataObject)?.limitWaitTime as IDataObject | undefined)?.values as IDataObject | undefined;
	if (!values) return WAIT_INDEFINITELY;
	if (values.limitType === 'atSpecifiedTime') {
		const raw = values.maxDateAndTime;
		const at = raw instanceof Date ? raw : new Date(text(raw) || NaN);
		if (Number.isNaN(at.getTime())) item.fail(`Limit Wait Time → Max Date and Time is not a date: "${text(raw)}"`, 'Pick a date and time, or give an ISO date such as 2026-12-24T18:00:00Z.');
		if (at.getTime() <= now) item.fail(`Limit Wait Time → Max Date and Time is in the past: ${at.toISOString()}`, 'Give a date in the future, or remove the limit.');
		return at;
	}
	const amount = Number(values.resumeAmount);
	const unit = UNIT_MS[String(values.resumeUnit ?? 'minutes')];
	if (!Number.isFinite(amount) || amount <= 0 || unit === undefined) {
		item.fail(`Limit Wait Time → Amount must be a number above 0: "${text(values.resumeAmount)}" is not`, 'Enter how many minutes, hours or days to wait for the answer.');
	}
	return new Date(now + amount * unit);
}

// ------------------------------------------------------------------------------------------------
// The link

interface SignedUrlContext {
	getSignedResumeUrl?(parameters?: Record<string, string>): string;
	/** n8n before 2.14: the signature is checked only when the execution asks for it. */
	setSignatureValidationRequired?(): void;
}

/**
 * The address of this node's restart webhook for the running execution, signed by n8n where it
 * signs resume URLs; before that, the execution's resume URL (with its token where n8n has one).
 */
export function resumeLink(ctx: IExecuteFunctions): string {
	const signing = ctx as unknown as SignedUrlContext;
	if (typeof signing.getSignedResumeUrl === 'function') {
		if (typeof signing.setSignatureValidationRequired === 'function') signing.setSignatureValidationRequired();
		return signing.getSignedResumeUrl();
	}
	const url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
	return url.toString();
}

// ------------------------------------------------------------------------------------------------
// The operation

function linkLabel(item: ItemReader, question: Question): string {
	const chosen = text((item.raw('options', {}) as IDataObject)?.linkLabel);
	if (chosen) return chosen;
	if (question.kind !== 'approval') return 'Answer';
	return question.declineLabel ? 'Approve or decline' : 'Approve';
}

function templateLinkValue(item: ItemReader, link: string): string {
	const prefix = text((item.raw('options', {}) as IDataObject)?.templateLinkPrefix);
	if (!prefix) return link;
	if (!link.startsWith(prefix)) {
		item.fail(`The answer link does not start with the Template Link Prefix "${prefix}"`, `The link is ${link.slice(0, link.indexOf('/', 8) + 1) || link}…: set the prefix to the beginning your template's URL button has, e.g. the address of this n8n followed by /webhook-waiting/.`);
	}
	return link.slice(prefix.length);
}

function questionOf(item: ItemReader, message: string): Question {
	const question = readQuestion(readerOfItem(item), message);
	return isProblem(question) ? item.fail(question.problem, question.description) : question;
}

/**
 * Message → Send and Wait for Response, for a provider: the message goes out through the
 * provider's own send with the link to the answer page; the execution then waits until the
 * person answers there, or until the wait limit.
 */
export function sendAndWaitOperation(channel: SendAndWaitChannel): Operation {
	const fields = sendAndWaitFields(channel);
	const sendsTemplate = (item: ItemReader) => channel.template !== undefined && item.raw('sendAs', 'text') === 'template';
	const sendOf = (item: ItemReader) => (sendsTemplate(item) ? channel.template!.operation : channel.text.operation);
	const { success: textSuccess } = channel.text.operation;
	const templateSuccess = channel.template?.operation.success;
	return {
		resource: 'message',
		value: SEND_AND_WAIT,
		name: 'Send and Wait for Response',
		action: 'Send a message and wait for the answer',
		description: 'Send a message with a link to approve, answer or fill in a form; the workflow goes on once the person answers',
		fields,
		firstItemOnly: true,
		success: templateSuccess && templateSuccess !== textSuccess ? z.union([textSuccess, templateSuccess]) : textSuccess,
		async request(item) {
			const message = item.string('message');
			const question = questionOf(item, message);
			waitTill(item);
			const link = resumeLink(item.ctx);
			const send = sendOf(item);
			if (sendsTemplate(item)) {
				const key = item.string(TEMPLATE_LINK_KEY);
				const parameters = channel.template!.parameters(item, key, templateLinkValue(item, link));
				return await send.request(item.withParameters(parameters, [...send.fields, ...fields]));
			}
			const full = `${message}\n\n${linkLabel(item, question)}: ${link}`;
			const limit = MESSAGE_TEXT.maxLength!;
			if (full.length > limit) {
				item.fail(
					`Message is too long: with the answer link the text has ${full.length} characters (WhatsApp allows ${limit})`,
					`Shorten "Message" to ${limit - (full.length - message.length)} characters or fewer: the link takes ${full.length - message.length}.`,
				);
			}
			return await send.request(item.withParameters(channel.text.parameters(full), [...send.fields, ...fields]));
		},
		async output(result, item) {
			const send = sendOf(item);
			const shaped = send.output ? await send.output(result, item) : result;
			const sent = (Array.isArray(shaped) ? shaped[0] : shaped) as IDataObject | INodeExecutionData | undefined;
			const json = (sent && 'json' in sent && typeof sent.json === 'object' ? sent.json : sent) as IDataObject | undefined;
			const id = json ? (channel.messageId?.(json) ?? text(json.id ?? json.messageId)) : '';
			const input = item.ctx.getInputData()[item.index];
			const waiting: INodeExecutionData = { json: { ...input.json, responded: false, sentMessageId: id || null }, pairedItem: { item: item.index } };
			if (input.binary) waiting.binary = input.binary;
			return [waiting];
		},
		async finish(ctx, output) {
			const until = waitTill(new ItemReader(ctx, 0, fields));
			// What the execution keeps for this node while it waits: the node's output if the wait
			// limit ends it, and the item webhook() resolves its parameters against.
			const waiting = ctx.getExecuteData?.();
			if (waiting) waiting.data = { main: [output] };
			await ctx.putExecutionToWait(until);
			return output;
		},
	};
}

// ------------------------------------------------------------------------------------------------
// The answer page (webhook)

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function html(ctx: IWebhookFunctions, status: number, page: string): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.status(status);
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	response.setHeader('Cache-Control', 'no-store');
	response.setHeader('Referrer-Policy', 'no-referrer');
	response.setHeader('X-Robots-Tag', 'noindex, nofollow');
	response.send(page);
	return { noWebhookResponse: true };
}

/** The fields of a submitted form, from a multipart body (`{ data, files }`), a urlencoded or a JSON one. */
function submitted(ctx: IWebhookFunctions): IDataObject {
	const body = ctx.getBodyData();
	if (!isRecord(body)) return {};
	return isRecord(body.data) && ('files' in body || Object.keys(body).length === 1) ? body.data : body;
}

const values = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(text).filter(Boolean);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person's answer, or what is wrong with it (shown on the page again). */
function answerOf(question: Question, form: IDataObject): { answer: IDataObject } | { problem: string } {
	if (question.kind === 'approval') {
		const choice = text(form.answer);
		if (choice === 'approve') return { answer: { approved: true } };
		if (choice === 'decline' && question.declineLabel) return { answer: { approved: false } };
		return { problem: 'Choose one of the buttons.' };
	}
	const answer: IDataObject = {};
	for (const field of question.fields) {
		const key = question.kind === 'freeText' ? 'text' : field.label;
		const given = values(form[field.name]);
		if (given.length === 0) {
			if (field.required) return { problem: `"${field.label}" is required.` };
			answer[key] = field.type === 'checkbox' ? [] : null;
			continue;
		}
		if (field.type === 'checkbox') {
			const unknown = given.find((choice) => !field.choices.includes(choice));
			if (unknown !== undefined) return { problem: `"${field.label}": choose from the list.` };
			answer[key] = given;
			continue;
		}
		const value = given[0];
		if (field.type === 'number') {
			const number = Number(value);
			if (!Number.isFinite(number)) return { problem: `"${field.label}" must be a number.` };
			answer[key] = number;
		} else if (field.type === 'email' && !EMAIL.test(value)) {
			return { problem: `"${field.label}" must be an email address.` };
		} else if (field.type === 'date' && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) {
			return { problem: `"${field.label}" must be a date.` };
		} else if (field.type === 'dropdown' && !field.choices.includes(value)) {
			return { problem: `"${field.label}": choose from the list.` };
		} else {
			answer[key] = value;
		}
	}
	return { answer };
}

/** The message as the node resolves it now; empty when it cannot be (e.g. it names the AI tool call). */
function messageForPage(ctx: IWebhookFunctions): string {
	try {
		return text(ctx.getNodeParameter('message', ''));
	} catch {
		return '';
	}
}

/**
 * The `webhook()` of an action node with Send and Wait for Response. A GET (the person opening
 * the link, or WhatsApp fetching it for a preview) only shows the page; the POST from the page's
 * buttons or form resumes the execution with the answer. n8n has already checked the link's
 * signature, and answers "no action required" once the execution is over.
 */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const question = readQuestion({ value: (name, fallback) => this.getNodeParameter(name, fallback) }, messageForPage(this));
	if (isProblem(question)) return html(this, 500, closedPage('This question cannot be shown', `${question.problem}. Tell the sender.`));
	const method = this.getRequestObject().method;
	if (method !== 'POST') return html(this, 200, answerPage(question));
	const result = answerOf(question, submitted(this));
	if ('problem' in result) return html(this, 400, answerPage(question, result.problem));
	const sentMessageId = text(this.getNodeParameter('sentMessageId', '')) || null;
	html(this, 200, closedPage('Thank you', 'Your answer was recorded. You can close this page.'));
	return {
		noWebhookResponse: true,
		workflowData: [[{ json: { responded: true, data: { ...result.answer, respondedAt: new Date().toISOString() }, sentMessageId }, pairedItem: { item: 0 } }]],
	};
}
