import type { Operation } from '../../shared/operation';
import { analyticsOperations } from './analytics';
import { configOperations } from './config';
import { messageOperations } from './message';
import { sendAndWait } from './send-and-wait';
import { sessionOperations } from './session';

export const meheryOperations: Operation[] = [...messageOperations, sendAndWait, ...sessionOperations, ...analyticsOperations, ...configOperations];

export const MEHERY_RESOURCES = { analytics: 'Analytics', config: 'Config', message: 'Message', session: 'Session' };
