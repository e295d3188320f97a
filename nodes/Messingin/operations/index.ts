import type { Operation } from '../../shared/operation';
import { messageOperations } from './message';
import { sendAndWait } from './send-and-wait';
import { sessionOperations } from './session';

export const messinginOperations: Operation[] = [...messageOperations, sendAndWait, ...sessionOperations];
