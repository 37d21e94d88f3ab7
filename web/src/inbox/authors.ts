/**
 * The parts of a message that say who wrote it. Spelled out rather than imported from the API
 * types so the tests can load this file on its own; a `Message` fits it, and stops compiling
 * where it is passed in if the API's shape moves away.
 */
export interface Authored {
  role: 'user' | 'assistant' | 'operator' | 'note';
  author_id: string | null;
  author: { type: 'contact' | 'agent' | 'member' | 'api_key' | 'system'; id: string | number | null; name: string | null };
}

/** How a message is signed in the conversation: a name, and what kind of writer when not a person. */
export interface Byline {
  name: string;
  /** "AI" for the agent, "Integration" for an API key writing as the team. */
  tag: 'AI' | 'Integration' | null;
  /** Written by the signed-in member. */
  own: boolean;
}

/** Whether the signed-in member wrote it (`author_id` covers messages attributed before authors existed). */
export const isOwn = (m: Authored, meId: string | undefined): boolean =>
  meId !== undefined && m.author.type === 'member' && (m.author.id === meId || m.author_id === meId);

/**
 * Who wrote a message, by name: "You" for your own, a teammate's name (as it was when they wrote
 * it), the AI agent's name, an integration's key name, "Automation"; the contact by the name the
 * conversation shows, so the header and the messages agree.
 */
export function byline(m: Authored, meId: string | undefined, contactName: string): Byline {
  const { type, name } = m.author;
  switch (type) {
    case 'contact':
      return { name: contactName || name || 'Contact', tag: null, own: false };
    case 'agent':
      return { name: name || 'AI agent', tag: 'AI', own: false };
    case 'api_key':
      return { name: name || 'An integration', tag: 'Integration', own: false };
    case 'system':
      return { name: 'Automation', tag: null, own: false };
    case 'member':
      return isOwn(m, meId) ? { name: 'You', tag: null, own: true } : { name: name || 'A teammate', tag: null, own: false };
  }
}

/**
 * A teammate's first name, or the whole name when another member shares that first name
 * (two Mayas stay apart). `names` are the account's members' names.
 */
export function shortName(name: string, names: readonly string[]): string {
  const first = name.trim().split(/\s+/)[0] ?? name;
  const clash = names.some((other) => other !== name && other.trim().split(/\s+/)[0] === first);
  return clash ? name : first;
}

/**
 * What goes before the last message in the conversation list: nothing for the contact (the row
 * is theirs), "You: " only for your own, else a teammate's first name, the agent's or
 * integration's name, "Automation: "; a note says it is one.
 */
export function previewPrefix(m: Authored, meId: string | undefined, memberNames: readonly string[]): string {
  if (m.author.type === 'contact') return '';
  const b = byline(m, meId, '');
  const who = m.author.type === 'member' && !b.own && m.author.name ? shortName(m.author.name, memberNames) : b.name;
  return m.role === 'note' ? `${who} (note): ` : `${who}: `;
}
