import type { Principal } from '../../shared/auth/principal.js';
import type { Executor } from '../../shared/db/database.js';
import type { MessagesTable } from '../../shared/db/schema.js';
import type { AgentRow } from '../agents/agents.repository.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';

export type AuthorType = 'contact' | 'agent' | 'member' | 'api_key' | 'system';

/** Who wrote a message, as stored with it (migration 0016). */
export interface AuthorColumns {
  author_type: AuthorType;
  author_ref: string | null;
  author_name: string | null;
}

/** The name an automation's messages are signed with. */
export const AUTOMATION_NAME = 'Automation';

/** The agent's reply: signed with the agent's name. */
export const agentAuthor = (agent: Pick<AgentRow, 'id' | 'name'>): AuthorColumns => ({
  author_type: 'agent',
  author_ref: agent.id,
  author_name: agent.name,
});

/**
 * Who writes a message posted by `principal`: a user message is the conversation's contact
 * (whoever relays it: an API key's backend, the widget); an operator message or a note is the
 * signed-in member, the API key (an integration posting as the team, by the key's name), or an
 * automation (`system`). Names are read in the message's own transaction, one indexed lookup.
 */
export async function authorOf(
  trx: Executor,
  principal: Principal,
  role: MessagesTable['role'],
  conversation: Pick<ConversationRow, 'account_id' | 'contact_id'>,
): Promise<AuthorColumns> {
  const accountId = conversation.account_id;
  if (role === 'user') {
    const contact = await trx
      .selectFrom('contacts')
      .select('name')
      .where('account_id', '=', accountId)
      .where('id', '=', conversation.contact_id)
      .executeTakeFirst();
    return { author_type: 'contact', author_ref: String(conversation.contact_id), author_name: contact?.name ?? null };
  }
  if (principal.kind === 'member') {
    const member = await trx.selectFrom('members').select('name').where('account_id', '=', accountId).where('id', '=', principal.memberId).executeTakeFirst();
    return { author_type: 'member', author_ref: principal.memberId, author_name: member?.name ?? null };
  }
  if (principal.kind === 'api_key') {
    const key = await trx.selectFrom('api_keys').select('name').where('account_id', '=', accountId).where('id', '=', principal.keyId).executeTakeFirst();
    return { author_type: 'api_key', author_ref: principal.keyId, author_name: key?.name ?? null };
  }
  return { author_type: 'system', author_ref: null, author_name: AUTOMATION_NAME };
}

/** The author as the API shows it: a contact's id is a number, as everywhere else. */
export function presentAuthor(row: { author_type: AuthorType | null; author_ref: string | null; author_name: string | null }) {
  const type = row.author_type ?? 'system';
  const id = row.author_ref === null ? null : type === 'contact' ? Number(row.author_ref) : row.author_ref;
  return { type, id, name: row.author_name };
}
