import { SandboxServer } from '../../sandbox/framework';
import { createSession, MESSINGIN_DEMO, messinginSimulator, type MessinginSession, type MessinginState } from '../../sandbox/messingin';

export const WEBHOOK_SECRET = 'whs-0123456789abcdef-messingin';

export type MessinginCredentials = {
	apiKey: string;
	baseUrl: string;
	plan: string;
	callsPerMinute?: number;
	webhookSecret: string;
};

export interface MessinginSandbox {
	server: SandboxServer<MessinginState>;
	/** The demo account on the Enterprise plan's figure, so tests that are not about the rate run at full speed. */
	credentials: MessinginCredentials;
	/** A session whose QR code was scanned, ready to send. */
	connectedSession(webhook?: string): MessinginSession;
	stop(): Promise<void>;
}

/** The Messingin simulator on a free 127.0.0.1 port (account on the Enterprise plan), with credentials for the nodes. */
export async function startMessingin(): Promise<MessinginSandbox> {
	const server = await new SandboxServer(messinginSimulator({ plan: 'enterprise' })).start();
	return {
		server,
		credentials: { apiKey: MESSINGIN_DEMO.apiKey, baseUrl: server.apiUrl, plan: 'enterprise', webhookSecret: WEBHOOK_SECRET },
		connectedSession: (webhook) => {
			const session = createSession(server.state, { name: 'Support', webhook });
			session.status = 'connected';
			session.phone = '+15550100001';
			return session;
		},
		stop: () => server.stop(),
	};
}
