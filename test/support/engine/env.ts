/**
 * Process environment for the in-process n8n engine. Imported first by ../engine.ts, before
 * anything requires n8n-core: n8n's config classes read these variables when the DI container
 * first builds them (InstanceSettings reads N8N_USER_FOLDER and writes `.n8n/config` with an
 * encryption key there; the binary data service stores files under `.n8n/storage`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

declare const afterAll: ((fn: () => void) => void) | undefined;

function createUserFolder(): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'n8n-engine-harness-'));
	const cleanup = () => rmSync(folder, { recursive: true, force: true });
	// Under jest every test file gets its own module registry (and its own copy of process.env),
	// so each file gets its own folder, removed when the file is done. Elsewhere: at exit.
	if (typeof afterAll === 'function') afterAll(cleanup);
	else process.once('exit', cleanup);
	return folder;
}

/** The temporary n8n user folder of this module registry (never a real ~/.n8n). */
export const userFolder = createUserFolder();

process.env.N8N_USER_FOLDER = userFolder;
// Quiet, offline and deterministic unless the developer asks for more (e.g. N8N_LOG_LEVEL=debug).
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED = 'false';
process.env.GENERIC_TIMEZONE ??= 'UTC';
