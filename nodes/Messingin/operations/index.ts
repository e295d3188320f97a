import type { Operation } from '../../shared/operation';
import { messageOperations } from './message';
import { sessionOperations } from './session';

export const messinginOperations: Operation[] = [...messageOperations, ...sessionOperations];
