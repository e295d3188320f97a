import type { Operation } from '../../shared/operation';
import { contactOperations } from './contact';
import { conversationOperations } from './conversation';
import { messageOperations } from './message';
import { templateOperations } from './template';

export const mesigicOperations: Operation[] = [...contactOperations, ...conversationOperations, ...messageOperations, ...templateOperations];
