import type { IHookFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/*
 * n8n runs a webhook trigger's checkExists / create when a workflow is published, and also when the
 * editor listens for a test event ("Execute step", "Listen for test event"). While testing, n8n:
 * - calls them with mode 'manual' and gives the node the test URL (webhook-test/…);
 * - gives the node a fresh static data of its own, not the published workflow's, and reports the
 *   workflow as not active even when it is published: the node cannot see the live registration;
 * - calls delete, with that test static data, the moment the test ends: an event arrived, the user
 *   stopped listening, or it timed out (after 2 minutes);
 * - shows an error create throws at once in the editor, and stops listening.
 */

/** Whether n8n runs this activation method to listen for a test event (not to publish). */
export function isTestListen(ctx: IHookFunctions): boolean {
	return ctx.getMode() === 'manual';
}

/**
 * The error that stops a test which cannot, or must not, listen. n8n answers the editor's request
 * with the message alone, so it says both why and what to do instead; the description adds detail.
 */
export function testRefusal(ctx: IHookFunctions, message: string, description: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { description });
}

/**
 * Whether `url`, held by the provider, is a URL of this very trigger other than the one n8n listens
 * on now: while testing, the published workflow's registration. Recognised by the node's webhook id
 * in the path, so it holds whatever n8n's webhook paths are named.
 */
export function isOwnPublishedUrl(ctx: IHookFunctions, url: string): boolean {
	const webhookId = ctx.getNode().webhookId;
	const listening = ctx.getNodeWebhookUrl('default') ?? '';
	if (!webhookId || url === '' || url.startsWith(listening)) return false;
	try {
		return new URL(url).pathname.split('/').includes(webhookId);
	} catch {
		return false;
	}
}

/** n8n's default paths of test and production webhooks (N8N_ENDPOINT_WEBHOOK_TEST, N8N_ENDPOINT_WEBHOOK). */
const TEST_ENDPOINT = 'webhook-test';
const PRODUCTION_ENDPOINT = 'webhook';

/**
 * The production URL that goes with a test URL: n8n gives a node only the URL of the mode it runs
 * in, and the two differ by the endpoint segment. Undefined when the instance renamed its webhook
 * paths and the segment is not the default one.
 */
export function productionUrlOf(testUrl: string): string | undefined {
	const url = new URL(testUrl);
	const segments = url.pathname.split('/');
	const at = segments.indexOf(TEST_ENDPOINT);
	if (at === -1) return undefined;
	segments[at] = PRODUCTION_ENDPOINT;
	url.pathname = segments.join('/');
	return url.toString();
}

/** The trigger option that lets a test take over a provider's only webhook URL until the test ends. */
export function takeOverWhileTestingOption(description: string): INodeProperties {
	return {
		displayName: 'Take Over the Webhook While Testing',
		name: 'takeOverWhileTesting',
		type: 'boolean',
		default: false,
		description,
	};
}
