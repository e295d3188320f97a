/**
 * The Mesigic simulator in a process of its own, as a provider is on another machine: its work
 * (parsing, validating, recording, the latency timers) never runs on the event loop or the CPU
 * time of the process being measured. Started by `RemoteSandbox.start()` with `fork()`; driven
 * over its control API (`/__sandbox/...`) like any remote sandbox, plus one IPC question: how many
 * TCP connections it has accepted.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

import { SandboxServer } from '../sandbox/framework';
import { mesigicSimulator } from '../sandbox/mesigic';

/** More than the largest run's requests (10,000 messages, plus 429s) must stay countable. */
const RECORD_LIMIT = 50_000;

let connections = 0;
diagnosticsChannel.subscribe('net.server.socket', () => {
	connections++;
});

async function main(): Promise<void> {
	const server = await new SandboxServer(mesigicSimulator(), { recordLimit: RECORD_LIMIT }).start();
	process.on('message', (message: { type?: string; id?: number }) => {
		if (message?.type === 'connections') process.send?.({ type: 'connections', id: message.id, connections });
	});
	process.on('disconnect', () => {
		void server.stop().then(() => process.exit(0));
	});
	process.send?.({ type: 'ready', url: server.url, apiUrl: server.apiUrl });
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
