/**
 * The Messlo demos of `npm start` (demo/workflows/messlo-*.json), their package nodes as the files
 * have them, through the real n8n-core engine against the simulator: a demo that no longer fits
 * the nodes fails here, without a real n8n (test/e2e/messlo.e2e.test.ts runs them whole).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import autoReply from '../../demo/workflows/messlo-auto-reply.json';
import broadcast from '../../demo/workflows/messlo-scheduled-broadcast.json';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import { startMesslo } from '../support/messlo';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesslo);

const PACKAGE = 'n8n-nodes-whatsapp-gateways.';
const SEND = 'POST /api/whatsapp/send';

function demoNode(workflow: { nodes: Array<{ name: string; type: string; parameters: unknown; onError?: string }> }, name: string) {
	const found = workflow.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`the demo has no node "${name}"`);
	expect(found.type.startsWith(PACKAGE)).toBe(true);
	return { name: found.name, type: found.type.slice(PACKAGE.length), parameters: found.parameters as INodeParameters, ...(found.onError ? { onError: found.onError as 'continueErrorOutput' } : {}) };
}

test('auto-reply: the trigger fires for a customer who writes in, and Reply answers from the number written to', async () => {
	const trigger = demoNode(autoReply, 'Customer Writes In');
	const credentials = { messloApi: env.sandbox.credentials };
	const first = await env.pkg.runPoll({ node: trigger, credentials });
	expect(first.items).toBeNull();
	env.sandbox.inbound({ from: '+1 415 555 0123', name: 'Ana', text: 'Do you deliver on Sundays?', to: MESSLO_DEMO.secondSenderNumber });
	const second = await env.pkg.runPoll({ node: trigger, credentials, staticData: first.staticData });
	const fired = second.items?.[0].map((item) => item.json as IDataObject) ?? [];
	expect(fired).toHaveLength(1);

	const reply = await env.pkg.runWorkflow({ nodes: [demoNode(autoReply, 'Reply')], credentials, inputJson: fired });
	expect(reply.error).toBeUndefined();
	expect(env.sandbox.server.accepted(SEND).map((request) => request.body)).toEqual([
		{ contact_no: '14155550123', whatsapp_phone_number: MESSLO_DEMO.secondSenderNumber, messageType: 'text', message: 'Thanks Ana, we got your message: Do you deliver on Sundays?' },
	]);
});

test('scheduled broadcast: each VIP contact gets welcome_offer with the first name; a failing one leaves by the error output', async () => {
	const credentials = { messloApi: env.sandbox.credentials };
	const contacts = await env.pkg.runWorkflow({ nodes: [demoNode(broadcast, 'Get Contacts')], credentials });
	expect(contacts.error).toBeUndefined();
	// What the demo's Filter keeps: the contacts whose tags hold the VIP tag's ID.
	const filter = broadcast.nodes.find((node) => node.name === 'Tagged VIP')!;
	const vipTag = (filter.parameters as { conditions: { conditions: Array<{ rightValue: string }> } }).conditions.conditions[0]!.rightValue;
	expect(vipTag).toBe(MESSLO_SEED.tags.vip.id);
	const vip = contacts.json().filter((contact) => (contact.tags as string[]).includes(vipTag));
	expect(vip.map((contact) => contact.name)).toEqual([MESSLO_SEED.asha.name, MESSLO_SEED.lena.name]);

	const send = demoNode(broadcast, 'Send Welcome Offer');
	const result = await env.pkg.runWorkflow({ nodes: [send], credentials, inputJson: [...vip, { name: '', phone_number: '+1 555' }] });
	expect(result.error).toBeUndefined();
	expect(env.sandbox.server.accepted(SEND).map((request) => (request.body as IDataObject).templateVariables)).toEqual([
		{ '1': 'Asha', '2': 'VIP10' },
		{ '1': 'Lena', '2': 'VIP10' },
	]);
	const [sent, failed] = result.outputs('Send Welcome Offer');
	expect(sent).toHaveLength(2);
	expect(failed?.map((item) => item.json.error)).toEqual([expect.stringMatching(/^Recipient: "\+1 555" is not a valid phone number/)]);
});
