/**
 * Runs every provider simulator on 127.0.0.1.
 *   node build/sandbox/main.js [--mesigic=5701] [--chatapi=5705]   (or SANDBOX_MESIGIC_PORT=5701, ...)
 * Tests call startSandbox() instead, which picks free ports unless told otherwise.
 */
import { SandboxServer, type SandboxOptions } from './framework';
import { chatApiSimulator } from './chatapi';
import { meherySimulator } from './mehery';
import { mesigicSimulator } from './mesigic';
import { messinginSimulator } from './messingin';
import { messloSimulator } from './messlo';

/** The simulators. A new provider is one entry here plus its own file. */
const PROVIDERS = {
	mesigic: { defaultPort: 5701, create: (options: SandboxOptions) => new SandboxServer(mesigicSimulator(), options) },
	messingin: { defaultPort: 5702, create: (options: SandboxOptions) => new SandboxServer(messinginSimulator(), options) },
	messlo: { defaultPort: 5703, create: (options: SandboxOptions) => new SandboxServer(messloSimulator(), options) },
	mehery: { defaultPort: 5704, create: (options: SandboxOptions) => new SandboxServer(meherySimulator(), options) },
	chatapi: { defaultPort: 5705, create: (options: SandboxOptions) => new SandboxServer(chatApiSimulator(), options) },
};

export type ProviderName = keyof typeof PROVIDERS;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];
export type SandboxPorts = Partial<Record<ProviderName, number>>;

/** What main and other tooling need from any running simulator, whatever its state type. */
export interface RunningSimulator {
	readonly name: string;
	readonly url: string;
	readonly apiUrl: string;
	readonly controlUrl: string;
	stop(): Promise<void>;
}

export type Sandbox = { [K in ProviderName]: ReturnType<(typeof PROVIDERS)[K]['create']> } & {
	servers: RunningSimulator[];
	stop(): Promise<void>;
};

/** Starts every simulator; a provider without a port gets a free one. */
export async function startSandbox(ports: SandboxPorts = {}, options: SandboxOptions = {}): Promise<Sandbox> {
	const servers: RunningSimulator[] = [];
	const handles: Partial<Record<ProviderName, RunningSimulator>> = {};
	const stop = async () => {
		await Promise.all(servers.map((server) => server.stop()));
	};
	try {
		for (const name of PROVIDER_NAMES) {
			const server = await PROVIDERS[name].create(options).start(ports[name] ?? 0);
			servers.push(server);
			handles[name] = server;
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return { ...(handles as Omit<Sandbox, 'servers' | 'stop'>), servers, stop };
}

export function portsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Record<ProviderName, number> {
	const ports = {} as Record<ProviderName, number>;
	for (const name of PROVIDER_NAMES) {
		const flag = `--${name}`;
		const index = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
		const fromArgs = index < 0 ? undefined : argv[index]!.includes('=') ? argv[index]!.split('=')[1] : argv[index + 1];
		const raw = fromArgs ?? env[`SANDBOX_${name.toUpperCase()}_PORT`];
		const port = raw === undefined ? PROVIDERS[name].defaultPort : Number(raw);
		if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`Invalid port for ${name}: ${raw}`);
		ports[name] = port;
	}
	return ports;
}

async function main(): Promise<void> {
	const sandbox = await startSandbox(portsFrom(process.argv.slice(2), process.env));
	for (const server of sandbox.servers) {
		console.log(`${server.name.padEnd(10)} ${server.apiUrl}   control: ${server.controlUrl}`);
	}
	const shutdown = () => {
		void sandbox.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
