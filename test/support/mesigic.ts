import { SandboxServer } from '../../sandbox/framework';
import { MESIGIC_DEMO_CREDENTIALS, mesigicSimulator, receiveInbound, type MesigicState } from '../../sandbox/mesigic';

export interface MesigicSandbox {
	server: SandboxServer<MesigicState>;
	credentials: { clientId: string; clientSecret: string; baseUrl: string };
	/** A customer writes in (the conversation becomes unread). */
	inbound(message: Parameters<typeof receiveInbound>[1]): Promise<void>;
	stop(): Promise<void>;
}

/** The Mesigic simulator on a free 127.0.0.1 port, with credentials for the node. */
export async function startMesigic(): Promise<MesigicSandbox> {
	const server = await new SandboxServer(mesigicSimulator()).start();
	return {
		server,
		credentials: { ...MESIGIC_DEMO_CREDENTIALS, baseUrl: server.apiUrl },
		inbound: async (message) => {
			// Keeps inbound activity strictly later than what a poll saw before it (timestamps have ms resolution).
			await new Promise((resolve) => setTimeout(resolve, 5));
			receiveInbound(server.state, message);
		},
		stop: () => server.stop(),
	};
}

