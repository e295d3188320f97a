/**
 * The package in the real n8n editor, as a user meets it, in a real browser (Debian's Chromium
 * driven by playwright-core; scripts/ensure-chromium.cjs installs it when missing, and where it
 * cannot, this suite fails saying how). One n8n 2.41 server with the packed package and the provider
 * simulators for the whole file. Everything is read from package.json's `n8n` lists and the built
 * node descriptions, so a new provider is covered the moment it is listed.
 *
 * Each test saves screenshots under test-output/browser/ (ignored by git) for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Locator } from 'playwright-core';
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { choose, logIn, openBrowser, optionsOf, trackRequests, waitFor, type Browser } from '../support/browser';
import { CREDENTIAL_CASES, type CredentialCase, type CredentialSandbox } from '../support/credential-cases';
import { PROJECT_ROOT, startN8n, type Credential, type N8nServer } from '../support/n8n-server';

const manifest = require(path.join(PROJECT_ROOT, 'package.json')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };

/** The description of a compiled node or credential listed in package.json (dist/ is built by `npm test`). */
function instanceOf<T>(file: string): T {
	const exported: Record<string, unknown> = require(path.join(PROJECT_ROOT, file));
	const Class = Object.values(exported).find((value) => typeof value === 'function') as new () => T;
	return new Class();
}

const nodes = manifest.n8n.nodes.map((file) => instanceOf<{ description: INodeTypeDescription }>(file).description);
const credentialTypes = manifest.n8n.credentials.map((file) => instanceOf<{ name: string; displayName: string; documentationUrl: string }>(file));
const isTrigger = (node: INodeTypeDescription) => node.group.includes('trigger');
const actionNodes = nodes.filter((node) => !isTrigger(node));
const CUSTOM_API_CALL = 'Custom API Call'; // n8n's own entry for nodes whose credential can sign any request

/**
 * How n8n 2.41's node panel lists the package: a trigger whose type name is an action node's plus
 * "Trigger" is folded into that node (its events become the node's "Triggers"); any other trigger is
 * an entry of its own, shown without " Trigger".
 */
function panelEntries(): Array<{ label: string; actions: INodeTypeDescription | undefined; triggers: INodeTypeDescription[] }> {
	const entries = actionNodes.map((action) => ({ label: action.displayName, actions: action as INodeTypeDescription | undefined, triggers: [] as INodeTypeDescription[] }));
	for (const trigger of nodes.filter(isTrigger)) {
		const app = entries.find((entry) => entry.actions?.name === trigger.name.replace('Trigger', ''));
		if (app) app.triggers.push(trigger);
		else entries.push({ label: trigger.displayName.replace(' Trigger', ''), actions: undefined, triggers: [trigger] });
	}
	return entries;
}

/** What the panel shows for each event of a trigger ("On new contact"). */
function triggerEvents(trigger: INodeTypeDescription): string[] {
	const events = trigger.properties.find((p) => ['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()));
	return ((events?.options ?? []) as INodePropertyOptions[]).map((option) => option.action ?? `On ${option.name.toLowerCase()}`);
}

function optionNames(property: INodeProperties | undefined): string[] {
	return ((property?.options ?? []) as INodePropertyOptions[]).map((option) => option.name);
}

/** The operation names the node offers for a resource (by the resource's value). */
function operationsFor(node: INodeTypeDescription, resourceValue: string): INodeProperties | undefined {
	return node.properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resourceValue));
}

/**
 * What the node details view shows as wrong with the parameters: n8n's issue marks (an option value
 * the field does not offer, …) and dropdowns whose options could not be loaded (n8n writes that into
 * the field itself, greyed).
 */
async function problemsShown(ndv: Locator): Promise<string[]> {
	const problems: string[] = [];
	const issues = ndv.locator('[data-test-id="parameter-issues"]:visible');
	for (let i = 0; i < (await issues.count()); i++) {
		await issues.nth(i).hover();
		const tip = await ndv.page().locator('.el-popper:visible, [role="tooltip"]:visible').last().innerText().catch(() => '(no text)');
		problems.push(`issue: ${tip.trim()}`);
	}
	const shownInFields = await ndv.locator('input:visible').evaluateAll((inputs) => inputs.flatMap((input) => [(input as HTMLInputElement).value, (input as HTMLInputElement).placeholder]));
	for (const text of shownInFields) {
		if (/error fetching options|could not load/i.test(text)) problems.push(`dropdown: ${text}`);
	}
	return problems;
}

/** A new workflow with a manual trigger, then `displayName` added from the node panel by its action `action`; returns the node details view. */
async function addFromPanel(displayName: string, action: string): Promise<Locator> {
	await searchFirstStep('Manual');
	await page().keyboard.press('Enter');
	await page().locator('[data-test-id="node-creator-plus-button"]').click();
	await page().locator('input[data-test-id="node-creator-search-bar"]').pressSequentially(displayName);
	await page().locator('[data-test-id="node-creator-item-name"]').getByText(displayName, { exact: true }).click();
	await page().locator('[data-test-id="item-iterator-item"]').getByText(action, { exact: true }).click();
	const ndv = page().locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	return ndv;
}

const fileName = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// ---- the stand: simulators, n8n with the package, a browser -----------------------------------------

interface Stand {
	n8n: N8nServer;
	sandboxes: Map<string, CredentialSandbox>;
	/** A credential per type, made through the API, which nodes added in the editor pick up. */
	credentials: Map<string, Credential>;
	browser: Browser;
	requests: ReturnType<typeof trackRequests>;
}
const stand = {} as Stand;
const suiteStarted = Date.now();

beforeAll(async () => {
	// The browser first: where Chromium is missing and cannot be installed, fail before anything else.
	stand.browser = await openBrowser();
	stand.requests = trackRequests(stand.browser.page);
	stand.sandboxes = new Map();
	for (const testCase of CREDENTIAL_CASES) stand.sandboxes.set(testCase.type, await testCase.start());
	stand.n8n = await startN8n();
	stand.credentials = new Map();
	for (const testCase of CREDENTIAL_CASES) {
		const data = stand.sandboxes.get(testCase.type)!.credentials;
		stand.credentials.set(testCase.type, await stand.n8n.createCredential(testCase.type, `${testCase.displayName} (sandbox)`, { ...data }));
	}
	await logIn(stand.browser.page, stand.n8n);
}, 15 * 60_000);

afterAll(async () => {
	await stand.browser?.close();
	await stand.n8n?.stop();
	for (const sandbox of stand.sandboxes?.values() ?? []) await sandbox.stop();
	process.stderr.write(`browser suite: ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s, screenshots in test-output/browser/\n`);
}, 60_000);

const page = () => stand.browser.page;

/** A new workflow, its node panel open on the first step, `text` typed into its search. */
async function searchFirstStep(text: string) {
	await page().goto(`${stand.n8n.baseUrl}/workflow/new`);
	await page().locator('[data-test-id="canvas-add-button"]').click();
	const search = page().locator('input[data-test-id="node-creator-search-bar"]');
	await search.waitFor();
	// Typed as a person types, once the panel listens: filled too early, the text is dropped.
	await waitFor(async () => {
		if ((await search.inputValue()) !== text) {
			await search.fill('');
			await search.pressSequentially(text);
		}
		const first = (await panelItemNames())[0];
		return first !== undefined && first !== 'Trigger manually' ? true : undefined;
	});
}

async function panelItemNames(): Promise<string[]> {
	return (await page().locator('[data-test-id="node-creator-item-name"]').allInnerTexts()).map((name) => name.trim());
}

test('logs in to n8n (signed in before all tests) and lands on the overview', async () => {
	await page().goto(`${stand.n8n.baseUrl}/home/workflows`);
	await page().locator('[data-test-id="main-sidebar-settings"]').waitFor();
	await page().getByText('Overview', { exact: true }).first().waitFor();
	await stand.browser.screenshot('01-logged-in');
	expect(new URL(page().url()).pathname).toMatch(/^\/home/);
}, 60_000);

describe('the node panel', () => {
	const entries = panelEntries();

	test('searching "WhatsApp" lists every node of the package', async () => {
		await searchFirstStep('WhatsApp');
		const labels = entries.map((entry) => entry.label);
		const listed = await waitFor(async () => {
			const names = await panelItemNames();
			return labels.every((label) => names.includes(label)) ? names : undefined;
		}, 10_000).catch(async () => await panelItemNames());
		await stand.browser.screenshot('02-search-whatsapp');
		expect(listed).toEqual(expect.arrayContaining(labels));
	}, 60_000);

	test.each(entries.map((entry) => [entry.label, entry] as const))('"%s" found by "WhatsApp" shows its triggers and actions', async (label, entry) => {
		await searchFirstStep('WhatsApp');
		await page().locator('[data-test-id="node-creator-item-name"]').getByText(label, { exact: true }).click();
		const panel = page().locator('[data-test-id="node-creator-category-item"]').first();
		await panel.waitFor();
		const categories = (await page().locator('[data-test-id="node-creator-category-item"]').allInnerTexts()).map((text) => text.trim());
		const expectedEvents = entry.triggers.flatMap(triggerEvents);
		if (expectedEvents.length) expect(categories).toContain(`Triggers (${expectedEvents.length})`);
		if (entry.actions) {
			const operations = entry.actions.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options ?? []);
			expect(categories).toContain(`Actions (${operations.length})`);
		}
		const shown = (await page().locator('[data-test-id="item-iterator-item"]').allInnerTexts()).map((text) => text.trim());
		expect(shown).toEqual(expect.arrayContaining(expectedEvents));
		await page().waitForTimeout(500); // the details slide in: let the picture settle
		await stand.browser.screenshot(`03-panel-${fileName(label)}`);
	}, 60_000);
});

describe.each(actionNodes.map((node) => [node.displayName, node] as const))('the %s node in the editor', (displayName, node) => {
	test('is added from the node panel, and every resource and operation shows without a parameter issue', async () => {
		// A workflow with a manual trigger, then the node from the panel, as a user adds it.
		const firstAction = (operationsFor(node, String(node.properties.find((p) => p.name === 'resource')?.default))?.options?.[0] as INodePropertyOptions).action!;
		const ndv = await addFromPanel(displayName, firstAction);

		// The credential made through the API is picked up; the Docs link is the node's README section.
		const credential = stand.credentials.get(node.credentials![0]!.name)!;
		expect(await ndv.locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe(credential.name);
		expect(await ndv.locator('a', { hasText: 'Docs' }).first().getAttribute('href')).toBe(node.documentationUrl);

		const resourceProperty = node.properties.find((p) => p.name === 'resource')!;
		const problems: string[] = [];
		const walked: string[] = [];
		const resources = (await optionsOf(ndv, 'resource')).filter((name) => name !== CUSTOM_API_CALL);
		expect(resources).toEqual(optionNames(resourceProperty));
		for (const resource of resources) {
			await choose(ndv, 'resource', resource);
			const resourceValue = String((resourceProperty.options as INodePropertyOptions[]).find((option) => option.name === resource)!.value);
			const operations = (await optionsOf(ndv, 'operation')).filter((name) => name !== CUSTOM_API_CALL);
			expect({ resource, operations }).toEqual({ resource, operations: optionNames(operationsFor(node, resourceValue)) });
			for (const operation of operations) {
				await choose(ndv, 'operation', operation);
				await stand.requests.settled();
				walked.push(`${resource} → ${operation}`);
				problems.push(...(await problemsShown(ndv)).map((problem) => `${resource} → ${operation}: ${problem}`));
			}
			await stand.browser.screenshot(`04-node-${fileName(displayName)}-${fileName(resource)}`, ndv);
		}
		expect(problems).toEqual([]);
		expect(walked.length).toBe(node.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options ?? []).length);
	}, 360_000);
});

test("the walk above notices a dropdown that cannot load its options (the provider refuses the call)", async () => {
	// The first operation of the package with a dropdown filled from the provider's API.
	const found = actionNodes
		.flatMap((node) =>
			node.properties
				.filter((p) => p.typeOptions?.loadOptionsMethod && p.displayOptions?.show?.operation)
				.map((p) => ({ node, resource: String(p.displayOptions!.show!.resource![0]), operation: String(p.displayOptions!.show!.operation![0]) })),
		)
		.find(({ node }) => stand.sandboxes.has(node.credentials![0]!.name));
	expect(found).toBeDefined();
	const { node, resource, operation } = found!;
	const action = (operationsFor(node, resource)!.options as INodePropertyOptions[]).find((option) => option.value === operation)!.action!;
	const simulator = stand.sandboxes.get(node.credentials![0]!.name)!.server;
	simulator.injectFault('*', { kind: 'answer', status: 401, contentType: 'application/json', body: '{"message":"Unauthenticated."}' }, 100);
	try {
		const ndv = await addFromPanel(node.displayName, action);
		const problems = await waitFor(async () => {
			const shown = await problemsShown(ndv);
			return shown.length ? shown : undefined;
		}, 15_000).catch(() => []);
		await stand.browser.screenshot(`04-node-${fileName(node.displayName)}-dropdown-cannot-load`, ndv);
		expect(problems).toEqual([expect.stringMatching(/^dropdown: Error fetching options/)]);
	} finally {
		simulator.reset();
	}
}, 120_000);

describe.each(CREDENTIAL_CASES.map((testCase) => [testCase.displayName, testCase] as const))('the %s credential in the editor', (displayName, testCase: CredentialCase) => {
	test("passes its test against the simulator, and shows the provider's refusal for a wrong secret", async () => {
		const type = credentialTypes.find((credential) => credential.name === testCase.type)!;
		const name = `${displayName} (credential test)`;
		await stand.n8n.createCredential(testCase.type, name, { ...stand.sandboxes.get(testCase.type)!.credentials });
		await page().goto(`${stand.n8n.baseUrl}/home/credentials`);
		await page().getByText(name, { exact: true }).click();
		const modal = page().locator('[data-test-id="editCredential-modal"]');
		// n8n tests a saved credential the moment it is opened.
		await modal.locator('[data-test-id="credentials-config-container-test-success"]').waitFor({ timeout: 30_000 });
		expect(await modal.getByRole('link', { name: 'docs' }).getAttribute('href')).toBe(type.documentationUrl);
		await stand.browser.screenshot(`05-credential-${fileName(displayName)}-passes`, modal);

		for (const [field, value] of Object.entries(testCase.wrong)) await modal.locator(`[data-test-id="parameter-input-${field}"] input`).fill(value);
		await modal.getByRole('button', { name: 'Save' }).click();
		await modal.getByText('Couldn’t connect with these settings').waitFor({ timeout: 30_000 });
		await modal.getByText('More details').click();
		await modal.getByText(`${displayName} refused the credential`).first().waitFor();
		await stand.browser.screenshot(`05-credential-${fileName(displayName)}-wrong-secret`, modal);
		for (const value of Object.values(testCase.wrong)) expect(await modal.innerText()).not.toContain(value);
		await page().keyboard.press('Escape');
	}, 120_000);
});

test('every credential type of the package has a case the editor tests', () => {
	expect(CREDENTIAL_CASES.map((testCase) => testCase.type).sort()).toEqual(credentialTypes.map((credential) => credential.name).sort());
});

test('the Mesigic demo workflow runs from the editor and shows its output items', async () => {
	const demo = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'demo', 'workflows', 'mesigic-template-to-contacts.json'), 'utf8')) as {
		name: string;
		nodes: Array<{ name: string; type: string; credentials?: Record<string, { id?: string; name: string }> }>;
		connections: object;
	};
	// The demo's credentials by their demo names, pointing at this suite's simulators.
	for (const node of demo.nodes) {
		for (const [type, reference] of Object.entries(node.credentials ?? {})) reference.id = stand.credentials.get(type)!.id;
	}
	const workflow = await stand.n8n.createWorkflow(demo as unknown as Record<string, unknown>);
	const mesigic = stand.sandboxes.get('mesigicApi')!.server;
	mesigic.reset();

	await page().goto(`${stand.n8n.baseUrl}/workflow/${workflow.id}`);
	await page().locator('[data-test-id="execute-workflow-button"]').click();
	const last = page().locator('[data-test-id="canvas-node"]').filter({ hasText: 'Send Welcome Template' });
	await last.getByText('5 items').waitFor({ timeout: 60_000 });
	await stand.browser.screenshot('06-demo-mesigic-run');

	await last.dblclick();
	const output = page().locator('[data-test-id="output-panel"]');
	await output.getByText('5 items').first().waitFor();
	await output.getByRole('radio', { name: 'Table' }).click().catch(() => undefined);
	const rows = output.locator('[data-test-id="ndv-data-container"] table tbody tr');
	await rows.first().waitFor();
	expect(await rows.count()).toBe(5);
	expect(await output.innerText()).toContain('wamid.');
	await stand.browser.screenshot('06-demo-mesigic-output');
	const sent = mesigic.received().filter((call) => call.route === 'POST /external-api/inbox/send-template-message');
	expect(sent.map((call) => call.status)).toEqual([200, 200, 200, 200, 200]);
}, 120_000);

test.each(['light', 'dark'])("every node's icon shows on the canvas (%s theme)", async (theme) => {
	const perRow = 5;
	const workflow = await stand.n8n.createWorkflow({
		name: `Every node of the package (${theme})`,
		nodes: nodes.map((node, i) => ({
			id: `0c0de000-0000-4000-8000-${String(i).padStart(12, '0')}`,
			name: node.displayName,
			type: `${manifest.name}.${node.name}`,
			typeVersion: 1,
			position: [(i % perRow) * 260, Math.floor(i / perRow) * 220],
			parameters: {},
		})),
		connections: {},
	});
	await page().goto(`${stand.n8n.baseUrl}/workflow/${workflow.id}?theme=${theme}`);
	const canvasNodes = page().locator('[data-test-id="canvas-node"]');
	await waitFor(async () => ((await canvasNodes.count()) === nodes.length ? true : undefined));
	await page().locator('[data-test-id="zoom-to-fit"]').click();
	const icons = page().locator('[data-test-id="canvas-node"] img');
	const loaded = await waitFor(async () => {
		const states = await icons.evaluateAll((images) => images.map((image) => ({ src: (image as HTMLImageElement).src, ok: (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0 })));
		return states.length === nodes.length && states.every((state) => state.ok) ? states : undefined;
	});
	for (const node of nodes) {
		const file = path.basename(((node.icon as { light: string; dark: string })[theme as 'light' | 'dark']).replace(/^file:/, ''));
		expect(loaded.map((state) => path.basename(new URL(state.src).pathname))).toContain(file);
	}
	await stand.browser.screenshot(`07-canvas-icons-${theme}`);
}, 60_000);
