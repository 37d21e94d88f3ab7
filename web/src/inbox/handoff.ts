import type { Conversation, Message } from '../api/types';

export type Handoff = NonNullable<Conversation['handoff']>;

/** Who handed the conversation over, as the banner and the marker in the messages both say it. */
export const HANDED_OVER_BY: Record<Handoff['source'], string> = {
  ai: 'the AI',
  visitor: 'the customer',
  // The handoff does not say which member; the summary note and the assignee tell the rest.
  operator: 'a teammate',
  automation: 'an automation',
  api: 'an integration',
};

/** The server's handoff note starts this way; it is written by Parley itself, never by a person. */
const NOTE_PREFIX = 'Handed over by';

/** The latest summary note written at a handoff, if the messages hold one. */
export function handoffNote(messages: Message[]): Message | undefined {
  return messages.findLast((m) => m.role === 'note' && m.author.type === 'system' && m.content.startsWith(NOTE_PREFIX));
}

/**
 * The note without its first line ("Handed over by …: reason"), which the banner's headline
 * already says: what is still open and what was answered.
 */
export function noteBody(content: string): string {
  return content.split('\n').slice(1).join('\n').trim();
}
