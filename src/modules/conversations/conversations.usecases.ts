import { uuidv7 } from '../../shared/ids.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { Database } from '../../shared/db/database.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import { deepMerge, type JsonObject } from '../../shared/json/json.js';
import { assertMetadataFits } from '../../shared/json/metadata.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { ContactsRepository } from '../contacts/contacts.repository.js';
import { presentConversation, type ConversationView } from './conversations.presenters.js';
import type { ConversationRow, ConversationsRepository } from './conversations.repository.js';

export function createConversationsUseCases({
  database,
  conversations,
  contacts,
}: {
  database: Database;
  conversations: ConversationsRepository;
  contacts: ContactsRepository;
}) {
  /** A conversation of the principal's account, or 404. */
  async function load(principal: Principal, id: string): Promise<ConversationRow> {
    const row = await conversations.findById(principal.accountId, id);
    if (!row) throw notFound('conversation');
    return row;
  }

  return {
    load,

    async list(
      principal: Principal,
      query: { contact_id?: number; status?: 'active' | 'ended'; cursor?: string; limit?: number },
    ) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await conversations.list(
        principal.accountId,
        { contactId: query.contact_id, status: query.status },
        { after, limit },
      );
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentConversation);
    },

    async get(principal: Principal, id: string): Promise<ConversationView> {
      return presentConversation(await load(principal, id));
    },

    /** Starts a conversation between the principal's agent and a contact of the account. */
    async create(principal: Principal, input: { contact_id: number; metadata?: Record<string, unknown> }) {
      const metadata = deepMerge({}, (input.metadata ?? {}) as JsonObject);
      assertMetadataFits(metadata);
      const contact = Number.isSafeInteger(input.contact_id)
        ? await contacts.findById(principal.accountId, input.contact_id)
        : undefined;
      if (!contact) {
        throw unprocessable('contact_id does not name a contact of this account', {
          contact_id: ['does not exist in this account'],
        });
      }
      const now = nowIso();
      const row: ConversationRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        agent_id: principal.agentId,
        contact_id: contact.id,
        channel_id: null,
        status: 'active',
        end_reason: null,
        mode: 'ai',
        assignee_id: null,
        state_id: null,
        title: null,
        context: null,
        summary: null,
        score: null,
        priority: 'normal',
        metadata: JSON.stringify(metadata),
        turn_count: 0,
        last_message_at: null,
        ended_at: null,
        created_at: now,
        updated_at: now,
      };
      await conversations.insert(row);
      return presentConversation(row);
    },

    /** Ends an active conversation once; a second time is 422. */
    async end(principal: Principal, id: string): Promise<ConversationView> {
      return database.db.transaction().execute(async (trx) => {
        const ended = await conversations.end(principal.accountId, id, nowIso(), 'ended', trx);
        const row = await conversations.findById(principal.accountId, id, trx);
        if (!row) throw notFound('conversation');
        if (!ended) throw unprocessable('Conversation is already ended', { status: ['is ended'] });
        return presentConversation(row);
      });
    },
  };
}

export type ConversationsUseCases = ReturnType<typeof createConversationsUseCases>;
