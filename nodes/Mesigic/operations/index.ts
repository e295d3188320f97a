import type { Operation } from '../../shared/operation';
import { contactOperations } from './contact';
import { conversationOperations } from './conversation';
import { messageOperations } from './message';
import { sendAndWait } from './send-and-wait';
import { templateOperations } from './template';

export const mesigicOperations: Operation[] = [...contactOperations, ...conversationOperations, ...messageOperations, sendAndWait, ...templateOperations];
