import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import type { ZodTypeAny } from 'zod';

import { ProviderClient } from '../shared/http';
import type { RequestSpec } from '../shared/operation';
import { LIST_KEYS, messlo, messloPages, MESSLO_SUCCESS, recordId } from './api';

/** The most pages a dropdown reads of one list (at 100 records a page). */
const MAX_DROPDOWN_PAGES = 10;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);

/** Every record of a paged list, up to the dropdown's bound. */
async function readAll(client: ProviderClient, spec: RequestSpec, keys: readonly string[], success: ZodTypeAny, paged = true): Promise<IDataObject[]> {
	const pages = messloPages(keys, 100);
	const records: IDataObject[] = [];
	for (let page: number | undefined = 1, read = 0; page !== undefined && read < MAX_DROPDOWN_PAGES; read++) {
		const answer = await client.call(paged ? pages.request(spec, page, 100) : spec, { idempotent: true, success });
		const result = pages.read(answer, page, 100);
		records.push(...result.records);
		page = paged ? result.next : undefined;
	}
	return records;
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** Options with an id each; records without one are left out, as nothing could be sent for them. */
function options(records: IDataObject[], name: (record: IDataObject) => string, value: (record: IDataObject) => string | undefined, description?: (record: IDataObject) => string | undefined): INodePropertyOptions[] {
	const seen = new Set<string>();
	return records
		.flatMap((record) => {
			const id = value(record);
			if (id === undefined || seen.has(id)) return [];
			seen.add(id);
			return [{ name: name(record) || id, value: id, description: description?.(record) }];
		})
		.sort(byName);
}

/** A parameter of the node as the editor holds it, when it is a plain value (not an expression). */
function plainParameter(ctx: ILoadOptionsFunctions, name: string): string | undefined {
	const value = ctx.getCurrentNodeParameter(name);
	return typeof value === 'string' && value.trim() !== '' && !value.startsWith('=') ? value.trim() : undefined;
}

async function connections(client: ProviderClient): Promise<IDataObject[]> {
	return await readAll(client, { method: 'GET', path: 'api/whatsapp/connections' }, LIST_KEYS.connections, MESSLO_SUCCESS.connections, false);
}

const wabaName = (waba: IDataObject) => [text(waba.name) ?? text(waba.waba_name) ?? text(waba.business_name) ?? 'WABA', `(${recordId(waba)})`].join(' ');

export async function getWabas(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	return options(await connections(client), wabaName, recordId, (waba) => (text(waba.waba_id) ? `Meta WABA ID: ${text(waba.waba_id)}` : undefined));
}

async function phoneNumbers(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const client = await ProviderClient.for(ctx, messlo);
	return await readAll(client, { method: 'GET', path: 'api/whatsapp/phone-numbers' }, LIST_KEYS.phoneNumbers, MESSLO_SUCCESS.phoneNumbers, false);
}

const shownNumber = (phone: IDataObject) => text(phone.display_phone_number) ?? text(phone.phone_number) ?? text(phone.phone) ?? '';
const phoneName = (phone: IDataObject) => [shownNumber(phone), text(phone.verified_name) ? `(${text(phone.verified_name)})` : ''].join(' ').trim();
const primary = (phone: IDataObject) => (phone.is_primary === true ? 'Primary number' : undefined);

/** The account's WhatsApp numbers, valued by the number itself in digits (the sender of a send). */
export async function getSenderNumbers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const digits = (phone: IDataObject) => {
		const number = shownNumber(phone).replace(/\D/g, '');
		return number === '' ? undefined : number;
	};
	return options(await phoneNumbers(this), phoneName, digits, primary);
}

/** The account's WhatsApp numbers, valued by Messlo's ID of each (chats, messages, assign, file sends). */
export async function getPhoneNumberIds(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return options(await phoneNumbers(this), phoneName, recordId, primary);
}

/** The WABA of the sender number chosen in the node, as its phone number record names it. */
async function senderWaba(ctx: ILoadOptionsFunctions): Promise<string | undefined> {
	const sender = plainParameter(ctx, 'sender')?.replace(/\D/g, '');
	if (!sender) return undefined;
	const phone = (await phoneNumbers(ctx)).find((record) => shownNumber(record).replace(/\D/g, '') === sender);
	return phone ? (text(phone.connection_id) ?? text(phone.waba_id)) : undefined;
}

/**
 * The templates of the WABA chosen in the node (or of the chosen sender number's WABA), else of
 * every WABA of the account.
 */
async function templates(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const client = await ProviderClient.for(ctx, messlo);
	const chosen = plainParameter(ctx, 'wabaId') ?? (await senderWaba(ctx));
	const wabas = chosen ? [chosen] : (await connections(client)).map(recordId).filter((id): id is string => id !== undefined);
	const lists = await Promise.all(
		wabas.map(async (wabaId) => await readAll(client, { method: 'GET', path: 'api/template', query: { waba_id: wabaId } }, LIST_KEYS.templates, MESSLO_SUCCESS.templates)),
	);
	return lists.flat();
}

const templateName = (template: IDataObject) => text(template.template_name) ?? text(template.name);
const approved = (template: IDataObject) => String(template.status ?? '').toUpperCase() === 'APPROVED';

function templateOptions(records: IDataObject[], value: (template: IDataObject) => string | undefined): INodePropertyOptions[] {
	const approvedValues = new Set(records.filter(approved).map(value));
	const described = (template: IDataObject) =>
		[text(template.status) && `Status: ${text(template.status)}`, text(template.language) && `language ${text(template.language)}`, text(template.category)].filter(Boolean).join(', ') || undefined;
	const list = options([...records.filter(approved), ...records.filter((template) => !approved(template))], (template) => templateName(template) ?? '', value, described);
	const isApproved = (option: INodePropertyOptions) => approvedValues.has(String(option.value));
	return [...list.filter(isApproved), ...list.filter((option) => !isApproved(option))];
}

/** Templates valued by their name, as a send and a campaign name them. */
export async function getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return templateOptions(await templates(this), templateName);
}

/** Templates valued by Messlo's ID of each (sync approval status). */
export async function getTemplateIds(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return templateOptions(await templates(this), recordId);
}

export async function getAgents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const agents = await readAll(client, { method: 'GET', path: 'api/agent/all' }, LIST_KEYS.agents, MESSLO_SUCCESS.agents);
	return options(agents, (agent) => [text(agent.name) ?? 'Agent', text(agent.email) ? `(${text(agent.email)})` : ''].join(' ').trim(), recordId);
}

export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const tags = await readAll(client, { method: 'GET', path: 'api/tags' }, LIST_KEYS.tags, MESSLO_SUCCESS.tags);
	return options(tags, (tag) => text(tag.label) ?? text(tag.name) ?? '', recordId);
}

export async function getSegments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const segments = await readAll(client, { method: 'GET', path: 'api/segments' }, LIST_KEYS.segments, MESSLO_SUCCESS.segments);
	return options(segments, (segment) => text(segment.name) ?? '', recordId, (segment) => text(segment.description));
}

/** The account's numbers valued by Meta's phone number ID, as a login start names the number. */
export async function getLoginPhoneNumbers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return options(await phoneNumbers(this), phoneName, (phone) => text(phone.phone_number_id), primary);
}

/** The WABA chosen in the node, else every WABA of the account: [id, name] each. */
async function chosenWabas(ctx: ILoadOptionsFunctions, client: ProviderClient): Promise<Array<{ id: string; name: string }>> {
	const chosen = plainParameter(ctx, 'wabaId');
	if (chosen) return [{ id: chosen, name: chosen }];
	return (await connections(client)).flatMap((waba) => {
		const id = recordId(waba);
		return id === undefined ? [] : [{ id, name: text(waba.name) ?? text(waba.waba_name) ?? id }];
	});
}

/** The records of a per-WABA list for the chosen WABA (or every WABA), each with the WABA's name. */
async function perWaba(ctx: ILoadOptionsFunctions, path: string, keys: readonly string[], success: ZodTypeAny, paged: boolean): Promise<Array<{ record: IDataObject; waba: string }>> {
	const client = await ProviderClient.for(ctx, messlo);
	const wabas = await chosenWabas(ctx, client);
	const lists = await Promise.all(
		wabas.map(async (waba) => (await readAll(client, { method: 'GET', path, query: { waba_id: waba.id } }, keys, success, paged)).map((record) => ({ record, waba: waba.name }))),
	);
	return lists.flat();
}

/**
 * Options from per-WABA records: named by `name`, with the WABA's name beside it when the list
 * holds more than one WABA's records.
 */
function perWabaOptions(
	entries: Array<{ record: IDataObject; waba: string }>,
	name: (record: IDataObject) => string | undefined,
	description?: (record: IDataObject) => string | undefined,
): INodePropertyOptions[] {
	const wabaOf = new Map(entries.map(({ record, waba }) => [record, waba]));
	const several = new Set(wabaOf.values()).size > 1;
	const shown = (record: IDataObject) => [name(record) ?? recordId(record) ?? '', several ? `(${wabaOf.get(record)})` : ''].join(' ').trim();
	return options([...wabaOf.keys()], shown, recordId, description);
}

export async function getFlows(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const flows = await readAll(client, { method: 'GET', path: 'api/automation' }, LIST_KEYS.flows, MESSLO_SUCCESS.flows);
	return options(flows, (flow) => text(flow.name) ?? '', recordId, (flow) => (flow.is_active === true ? 'Active' : flow.is_active === false ? 'Inactive' : undefined));
}

/** The AI chatbots of the chosen WABA, else of every WABA. */
export async function getChatbots(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entries = await perWaba(this, 'api/chatbots', LIST_KEYS.chatbots, MESSLO_SUCCESS.chatbots, false);
	return perWabaOptions(entries, (bot) => text(bot.name), (bot) => text(bot.status));
}

/** The forms of the chosen WABA, else of every WABA, valued by Messlo's form ID. */
export async function getForms(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entries = await perWaba(this, 'api/forms', LIST_KEYS.forms, MESSLO_SUCCESS.forms, true);
	return perWabaOptions(entries, (form) => text(form.name), (form) => (text(form.meta_status) ? `Meta status: ${text(form.meta_status)}` : undefined));
}

export async function getIndustryPacks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const packs = await readAll(client, { method: 'GET', path: 'api/industry-packs/public' }, LIST_KEYS.packs, MESSLO_SUCCESS.packs, false);
	return options(packs, (pack) => text(pack.name) ?? text(pack.slug) ?? '', (pack) => text(pack.slug), (pack) => text(pack.description));
}

/** The catalogs of the chosen WABA, else of every WABA, valued by Messlo's catalog ID. */
export async function getCatalogs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const wabas = await chosenWabas(this, client);
	const lists = await Promise.all(
		wabas.map(async (waba) =>
			(await readAll(client, { method: 'GET', path: `api/ecommerce-catalog/waba/${encodeURIComponent(waba.id)}/catalogs` }, LIST_KEYS.catalogs, MESSLO_SUCCESS.catalogs, false)).map((record) => ({ record, waba: waba.name })),
		),
	);
	return perWabaOptions(lists.flat(), (catalog) => text(catalog.name) ?? text(catalog.catalog_name), (catalog) => (text(catalog.catalog_id) ? `Meta catalog ID: ${text(catalog.catalog_id)}` : undefined));
}

export async function getOrderWebhooks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await ProviderClient.for(this, messlo);
	const webhooks = await readAll(client, { method: 'GET', path: 'api/ecommerce-webhook/list' }, LIST_KEYS.orderWebhooks, MESSLO_SUCCESS.orderWebhooks);
	return options(webhooks, (webhook) => text(webhook.webhook_name) ?? text(webhook.name) ?? '', recordId, (webhook) => text(webhook.method));
}

/** What a keyword bot can reply with, for the reply type chosen in the node. */
export async function getReplyTargets(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = plainParameter(this, 'replyType');
	switch (type) {
		case 'template':
			return await getTemplateIds.call(this);
		case 'chatbot':
			return await getChatbots.call(this);
		case 'agent':
			return await getAgents.call(this);
		case 'flow':
			return await getForms.call(this);
		case 'sequence': {
			const entries = await perWaba(this, 'api/sequences', LIST_KEYS.sequences, MESSLO_SUCCESS.sequences, false);
			return perWabaOptions(entries, (sequence) => text(sequence.name));
		}
		case 'text':
		case 'media': {
			const entries = await perWaba(this, 'api/reply-materials', LIST_KEYS.replyMaterials, MESSLO_SUCCESS.replyMaterials, true);
			const ofType = entries.filter(({ record }) => text(record.type) === undefined || text(record.type) === type);
			return perWabaOptions(ofType, (material) => text(material.name) ?? text(material.content)?.slice(0, 60));
		}
		default:
			return [];
	}
}

export const messloLoadOptions = {
	getAgents,
	getCatalogs,
	getChatbots,
	getFlows,
	getForms,
	getIndustryPacks,
	getLoginPhoneNumbers,
	getOrderWebhooks,
	getPhoneNumberIds,
	getReplyTargets,
	getSegments,
	getSenderNumbers,
	getTags,
	getTemplateIds,
	getTemplates,
	getWabas,
};
