/**
 * What the n8n editor shows of the package before anything runs: the codex of every node (how the
 * node panel finds it, where its docs are), the node's description and its icons. Data-driven over
 * package.json's `n8n.nodes`, so a new provider is checked the moment it is listed.
 *
 * n8n 2.41 loads `<node>.node.json` beside the compiled node (n8n-core's DirectoryLoader keeps its
 * categories, subcategories, alias and documentation links); the node panel's search matches the
 * typed text against the display name and every alias, nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	homepage: string;
	n8n: { nodes: string[]; credentials: string[] };
};
const REPOSITORY = manifest.homepage.replace(/#.*$/, '');

interface Codex {
	node: string;
	nodeVersion: string;
	codexVersion: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias: string[];
	resources: { primaryDocumentation: Array<{ url: string }>; credentialDocumentation: Array<{ url: string }> };
}

interface ListedNode {
	/** dist/nodes/Mesigic/MesigicTrigger.node.js */
	listed: string;
	/** nodes/Mesigic/MesigicTrigger.node (no extension) */
	source: string;
	description: INodeTypeDescription;
	isTrigger: boolean;
	/** The provider's name: the display name of the action node in the same folder. */
	provider: string;
	codex: Codex;
}

function loadDescription(source: string): INodeTypeDescription {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path.join(ROOT, source)) as Record<string, new () => { description: INodeTypeDescription }>;
	const Class = Object.values(exported).find((value) => typeof value === 'function')!;
	return new Class().description;
}

const sources = manifest.n8n.nodes.map((listed) => ({ listed, source: listed.replace(/^dist\//, '').replace(/\.js$/, '') }));
const descriptions = new Map(sources.map(({ source }) => [source, loadDescription(source)]));
const nodes: ListedNode[] = sources.map(({ listed, source }) => {
	const description = descriptions.get(source)!;
	const folder = path.dirname(source);
	const action = [...descriptions].find(([other, d]) => path.dirname(other) === folder && !d.group.includes('trigger'));
	const codexFile = path.join(ROOT, `${source}.json`);
	return {
		listed,
		source,
		description,
		isTrigger: description.group.includes('trigger'),
		provider: action?.[1].displayName ?? description.displayName.replace(/( Polling)? Trigger$/, ''),
		codex: fs.existsSync(codexFile) ? (JSON.parse(fs.readFileSync(codexFile, 'utf8')) as Codex) : (undefined as unknown as Codex),
	};
});
const credentialsByName = new Map(
	manifest.n8n.credentials.map((listed) => {
		const source = listed.replace(/^dist\//, '').replace(/\.js$/, '');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(path.join(ROOT, source)) as Record<string, new () => { name: string; documentationUrl: string }>;
		const credential = new (Object.values(exported).find((value) => typeof value === 'function')!)();
		return [credential.name, credential] as const;
	}),
);
const cases = nodes.map((node) => [node.description.displayName, node] as const);

/** GitHub's anchors of a Markdown file's headings (lower case, punctuation dropped, spaces → '-'; repeats get -1, -2…). */
function headingAnchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*```/.test(line)) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
		const base = text.toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}
const readmeAnchors = headingAnchors(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const anchorOf = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');

/** Every option of every `operation` property (value, name, action). */
function operationsOf(description: INodeTypeDescription): INodePropertyOptions[] {
	return description.properties.filter((p: INodeProperties) => p.name === 'operation').flatMap((p) => (p.options ?? []) as INodePropertyOptions[]);
}

test('every codex file belongs to a node listed in package.json, and every listed node has one', () => {
	const codexFiles = fs
		.readdirSync(path.join(ROOT, 'nodes'), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.node.json'))
		.map((file) => `nodes/${file.replace(/\\/g, '/').replace(/\.json$/, '')}`)
		.sort();
	expect(codexFiles).toEqual(nodes.map((node) => node.source).sort());
});

describe.each(cases)('%s: codex', (_name, node) => {
	const { codex, description } = node;

	it('names the node type n8n gives it', () => {
		expect(codex).toBeDefined();
		expect(codex).toMatchObject({ node: `${manifest.name}.${description.name}`, nodeVersion: '1.0', codexVersion: '1.0' });
	});

	it("is in n8n's Communication category", () => {
		expect(codex.categories).toContain('Communication');
	});

	it('carries the words its users search for: WhatsApp, its kind of work and the provider', () => {
		const aliases = codex.alias.map((alias) => alias.toLowerCase());
		expect(new Set(aliases).size).toBe(aliases.length);
		const wanted = ['whatsapp', 'whatsapp business', 'message', 'chat', node.provider.toLowerCase()];
		wanted.push(...(node.isTrigger ? ['incoming message', 'inbound', 'auto-reply'] : ['send message', 'broadcast', 'bulk']));
		if (node.isTrigger && description.webhooks?.length) wanted.push('webhook');
		if (description.polling) wanted.push('polling');
		if (operationsOf(description).some((option) => /template/i.test(`${option.name} ${option.action ?? ''}`))) wanted.push('template');
		expect(aliases).toEqual(expect.arrayContaining(wanted));
	});

	it('is listed under Human in the Loop exactly when it offers Send and Wait', () => {
		const sendsAndWaits = operationsOf(description).some((option) => option.value === 'sendAndWait');
		if (sendsAndWaits) {
			expect({ categories: codex.categories, hitl: codex.subcategories?.HITL, aliases: codex.alias }).toEqual({
				categories: expect.arrayContaining(['HITL']),
				hitl: ['Human in the Loop'],
				aliases: expect.arrayContaining(['approval', 'human', 'wait']),
			});
		} else {
			expect(codex.categories).not.toContain('HITL');
		}
	});

	it("links its own section of the README, and the credential's", () => {
		const { primaryDocumentation, credentialDocumentation } = codex.resources;
		const ownSection = anchorOf(node.isTrigger ? description.displayName : `${node.provider} operations`);
		expect(primaryDocumentation).toEqual([{ url: `${REPOSITORY}#${ownSection}` }]);
		expect(credentialDocumentation).toEqual([{ url: `${REPOSITORY}#${anchorOf(`${node.provider} credential`)}` }]);
		expect(readmeAnchors).toContain(ownSection);
		expect(readmeAnchors).toContain(anchorOf(`${node.provider} credential`));
	});

	it("gives n8n's Docs link the same address in the description, which n8n uses as it is", () => {
		// Without it, n8n 2.41 appends `?utm_source=…` to the codex link, after the `#section`: the
		// browser then looks for a section that does not exist and shows the top of the README.
		expect(node.description.documentationUrl).toBe(codex.resources.primaryDocumentation[0]!.url);
	});

	it("names credentials whose own docs link is the credential's section", () => {
		for (const { name } of node.description.credentials ?? []) {
			const credential = credentialsByName.get(name);
			expect({ name, listed: credential !== undefined }).toEqual({ name, listed: true });
			expect(credential!.documentationUrl).toBe(codex.resources.credentialDocumentation[0]!.url);
		}
	});

	it('travels into dist/ unchanged, beside the compiled node (where n8n reads it)', () => {
		const built = path.join(ROOT, `${node.listed.replace(/\.js$/, '')}.json`);
		expect(fs.existsSync(built)).toBe(true);
		expect(JSON.parse(fs.readFileSync(built, 'utf8'))).toEqual(codex);
	});
});

describe.each(cases)('%s: description', (_name, node) => {
	const { description } = node;

	it('says WhatsApp and the provider, and a trigger says how it hears of events', () => {
		expect(description.description).toMatch(/WhatsApp/);
		expect(description.description).toContain(node.provider);
		if (node.isTrigger && description.webhooks?.length) expect(description.description).toMatch(/\(webhook\)/);
		if (description.polling) expect(description.description).toMatch(/\bpolling\b/);
	});

	it('has a light and a dark icon of its provider, different files that exist', () => {
		const icon = description.icon as { light: string; dark: string };
		const file = (ref: string) => path.resolve(ROOT, path.dirname(node.source), ref.replace(/^file:/, ''));
		expect(path.basename(file(icon.light))).toMatch(/^[a-z]+\.svg$/);
		expect(path.basename(file(icon.dark))).toBe(path.basename(file(icon.light)).replace(/\.svg$/, '.dark.svg'));
		expect(fs.existsSync(file(icon.light))).toBe(true);
		expect(fs.existsSync(file(icon.dark))).toBe(true);
		expect(fs.readFileSync(file(icon.dark), 'utf8')).not.toEqual(fs.readFileSync(file(icon.light), 'utf8'));
	});
});

test('every provider has an icon of its own: no two providers share a picture', () => {
	const byProvider = new Map<string, string>();
	for (const node of nodes) {
		const icon = node.description.icon as { light: string };
		byProvider.set(node.provider, fs.readFileSync(path.resolve(ROOT, path.dirname(node.source), icon.light.replace(/^file:/, '')), 'utf8'));
	}
	const pictures = [...byProvider.values()].map((svg) => svg.replace(/\s+/g, ' ').replace(/#[0-9a-f]{3,8}\b/gi, '#colour'));
	// Same shapes in other colours do not count as different: a user must tell them apart at a glance.
	expect(new Set(pictures).size).toBe(byProvider.size);
});
