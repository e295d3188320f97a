import type { Operation } from '../../shared/operation';
import { groupOperations } from './group';
import { instanceOperations } from './instance';
import { messageOperations } from './message';
import { sendAndWait } from './send-and-wait';
import { queueOperations } from './queue';
import { webhookOperations } from './webhook';

export const chatApiOperations: Operation[] = [...instanceOperations, ...messageOperations, sendAndWait, ...groupOperations, ...queueOperations, ...webhookOperations];
