/**
 * Message → Send and Wait for Response on n8n's queue mode (main, a worker and a webhook process
 * on Redis), for every provider: the answer link points at the webhook process and resumes the
 * waiting execution there; the run, before and after the wait, happens on the worker. The suite is
 * test/support/send-and-wait-suite.ts, the same as in regular mode.
 */
import { sendAndWaitSuite } from '../support/send-and-wait-suite';

// "Worker started execution …" is how a test knows where a run happened.
sendAndWaitSuite({ queue: true, env: { N8N_LOG_LEVEL: 'debug' } });
