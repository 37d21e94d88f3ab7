/* No imports: the tests load this file on its own. */
/** The list's last message of a conversation, as the API embeds it (`include=last_message`). */
export interface LastMessage {
  role: 'user' | 'assistant' | 'operator' | 'note' | 'system';
  content: string;
  author: { type: 'contact' | 'agent' | 'member' | 'api_key' | 'system'; name: string | null };
}

/**
 * Who wrote the last message, before it: nothing for the contact (the row is theirs), "AI: " for
 * the agent, "You: " for your own, a teammate by `short` (their first name unless it is shared),
 * an integration's name, "Automation: "; a note says it is one.
 */
export function lastMessagePrefix(m: LastMessage, meName: string | undefined, short: (name: string) => string): string {
  const { type, name } = m.author;
  let who: string;
  switch (type) {
    case 'contact':
      return '';
    case 'agent':
      who = 'AI';
      break;
    case 'api_key':
      who = name || 'Integration';
      break;
    case 'system':
      who = 'Automation';
      break;
    case 'member':
      // The author comes by name only: the reader's own name is "You".
      who = name && name === meName ? 'You' : name ? short(name) : 'A teammate';
      break;
  }
  return m.role === 'note' ? `${who} (note): ` : `${who}: `;
}
