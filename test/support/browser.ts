/**
 * A real browser on the real n8n editor: Debian's Chromium (installed by scripts/ensure-chromium.cjs
 * when missing) driven by playwright-core, with a fresh profile per run.
 *
 *   const browser = await openBrowser();                 // fails with how to install Chromium
 *   await logIn(browser.page, n8n);
 *   await browser.screenshot('01-logged-in');            // test-output/browser/01-logged-in.png
 *   await browser.close();
 *
 * Every screenshot lands in test-output/browser/ (ignored by git) for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { ensureChromium } from '../../scripts/ensure-chromium.cjs';
import type { N8nServer } from './n8n-server';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-output', 'browser');

const LAUNCH_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface Browser {
	context: BrowserContext;
	page: Page;
	/** Saves a PNG of the page (or of one element) as test-output/browser/<name>.png; returns its path. */
	screenshot(name: string, target?: Locator): Promise<string>;
	close(): Promise<void>;
}

export async function openBrowser({ width = 1440, height = 900 } = {}): Promise<Browser> {
	const executablePath = ensureChromium();
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-browser-profile-'));
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		args: LAUNCH_FLAGS,
		viewport: { width, height },
		timeout: 60_000,
	});
	context.setDefaultTimeout(20_000);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		screenshot: async (name, target) => {
			const file = path.join(SCREENSHOT_DIR, `${name}.png`);
			if (target) await target.screenshot({ path: file });
			else await page.screenshot({ path: file });
			return file;
		},
		close: async () => {
			await context.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/**
 * Resolves once the editor has had no request to n8n's REST API in flight for `quietMs` (e.g. the
 * options of a dropdown loading after a change of operation).
 */
export function trackRequests(page: Page): { settled(quietMs?: number): Promise<void> } {
	let inFlight = 0;
	let lastChange = Date.now();
	const isRest = (url: string) => new URL(url).pathname.startsWith('/rest/');
	page.on('request', (request) => {
		if (!isRest(request.url())) return;
		inFlight++;
		lastChange = Date.now();
	});
	const done = (request: { url(): string }) => {
		if (!isRest(request.url())) return;
		inFlight = Math.max(0, inFlight - 1);
		lastChange = Date.now();
	};
	page.on('requestfinished', done);
	page.on('requestfailed', done);
	return {
		settled: async (quietMs = 150) => {
			await waitFor(async () => (inFlight === 0 && Date.now() - lastChange >= quietMs ? true : undefined), 30_000, 50);
		},
	};
}

/** Signs in on n8n's sign-in page as the owner startN8n() created. */
export async function logIn(page: Page, n8n: N8nServer): Promise<void> {
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.locator('input[type=email]').fill(n8n.owner.email);
	await page.locator('input[type=password]').fill(n8n.owner.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** The options of the dropdown that the select parameter `name` opened. */
async function dropdownOf(ndv: Locator, name: string): Promise<Locator> {
	const page = ndv.page();
	const input = ndv.locator(`[data-test-id="parameter-input-${name}"] input`).first();
	const listId = await input.getAttribute('aria-controls');
	return listId ? page.locator(`[id="${listId}"] .el-select-dropdown__item`) : page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
}

async function openSelect(ndv: Locator, name: string): Promise<Locator> {
	await ndv.locator(`[data-test-id="parameter-input-${name}"]`).click();
	const items = await dropdownOf(ndv, name);
	await items.first().waitFor();
	return items;
}

async function closedSelect(ndv: Locator, name: string): Promise<void> {
	const items = await dropdownOf(ndv, name);
	await waitFor(async () => ((await items.first().isVisible()) ? undefined : true), 10_000);
}

/** Chooses `option` in the select parameter `name` of the node details view. */
export async function choose(ndv: Locator, name: string, option: string): Promise<void> {
	const page = ndv.page();
	const items = await openSelect(ndv, name);
	await items.filter({ has: page.getByText(option, { exact: true }) }).first().click();
	const shown = await waitFor(async () => ((await selectedOf(ndv, name)) === option ? option : undefined), 10_000).catch(async () => await selectedOf(ndv, name));
	if (shown !== option) throw new Error(`Chose "${option}" in ${name}, but it shows "${shown}"`);
}

/** What the select parameter `name` shows. */
export async function selectedOf(ndv: Locator, name: string): Promise<string> {
	return await ndv.locator(`[data-test-id="parameter-input-${name}"] input`).first().inputValue();
}

/** Polls `probe` until it gives something other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** The option names of the select parameter `name` (opens and closes its dropdown). */
export async function optionsOf(ndv: Locator, name: string): Promise<string[]> {
	const items = await openSelect(ndv, name);
	// An option shows its name and, below it, its description.
	const names = (await items.allInnerTexts()).map((text) => text.split('\n')[0]!.trim());
	await ndv.locator(`[data-test-id="parameter-input-${name}"]`).click(); // closes it again
	await closedSelect(ndv, name);
	return names;
}
