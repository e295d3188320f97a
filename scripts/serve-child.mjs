// The foreground part of `--serve` in scripts/redis.mjs and scripts/postgres.mjs: this process runs
// one server as its child and lives as long as it does.
//
// SIGTERM / SIGINT, or the end of stdin with `watchStdin` (the parent died without a word), stop
// the server with `stopSignal`, and with SIGKILL after `killAfterMs`. Stopped before the server was
// started, `beforeStart()` cleans up and this process exits 143.

/** Returns `{ adopt(child), stopping }`: hand it the server once spawned; `stopping` says a stop was asked. */
export function superviseServer({ stopSignal, killAfterMs, watchStdin, beforeStart = () => undefined }) {
	let child;
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		if (!child) {
			beforeStart();
			process.exit(143);
		}
		child.kill(stopSignal);
		setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	// a parent that went away must not turn our last words into an EPIPE crash
	process.stdout.on('error', () => undefined);
	process.stderr.on('error', () => undefined);
	if (watchStdin) {
		process.stdin.on('end', stop);
		process.stdin.on('error', stop);
		process.stdin.resume();
	}
	return {
		adopt(server) {
			child = server;
		},
		get stopping() {
			return stopping;
		},
	};
}
