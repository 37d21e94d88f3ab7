import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { Database } from '../../shared/db/database.js';
import { isUniqueViolation } from '../../shared/db/db-errors.js';
import { conflict, notFound } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentConversationState, type ConversationStateView } from './conversation-states.presenters.js';
import type { ConversationStateRow, ConversationStatesRepository } from './conversation-states.repository.js';
import { DEFAULT_STATE_COLOR } from './conversation-states.schemas.js';
import { cleanName } from '../../shared/http/names.js';

export interface ConversationStateInput {
  name?: string;
  description?: string;
  color?: string;
  persistent?: boolean;
}


const nameTaken = (name: string) =>
  conflict(`A conversation state named "${name}" already exists`, { name: ['is already taken in this workspace'] });

/** Runs a write and turns the name's unique violation into 409. */
async function guardName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(name ?? '');
    throw e;
  }
}

/** Seed 003's custom states: admins and API keys manage them, anyone in the account reads them. */
export function createConversationStatesUseCases({
  database,
  states,
  conversations,
}: {
  database: Database;
  states: ConversationStatesRepository;
  conversations: ConversationsRepository;
}) {
  async function load(principal: Principal, id: string): Promise<ConversationStateRow> {
    const row = await states.findById(principal.accountId, id);
    if (!row) throw notFound('conversation state');
    return row;
  }

  return {
    async list(principal: Principal, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await states.list(principal.accountId, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentConversationState);
    },

    async get(principal: Principal, id: string): Promise<ConversationStateView> {
      return presentConversationState(await load(principal, id));
    },

    async create(principal: Principal, input: ConversationStateInput & { name: string }): Promise<ConversationStateView> {
      requireAdminOrKey(principal);
      const now = nowIso();
      const row: ConversationStateRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        name: cleanName(input.name),
        description: input.description ?? '',
        color: (input.color ?? DEFAULT_STATE_COLOR).toLowerCase(),
        persistent: input.persistent ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await guardName(row.name, () => states.insert(row));
      return presentConversationState(row);
    },

    async update(principal: Principal, id: string, input: ConversationStateInput): Promise<ConversationStateView> {
      requireAdminOrKey(principal);
      const color = input.color?.toLowerCase();
      // Compared against the state as stored when the change is written (updateLocked); the name is
      // checked there too, so a missing state is a 404 before its input is judged.
      const updated = await guardName(input.name?.trim(), () =>
        states.updateLocked(principal.accountId, id, (row) => {
          const name = input.name === undefined ? undefined : cleanName(input.name);
          const changes: Partial<ConversationStateRow> = {};
          if (name !== undefined && name !== row.name) changes.name = name;
          if (input.description !== undefined && input.description !== row.description) changes.description = input.description;
          if (color !== undefined && color !== row.color) changes.color = color;
          if (input.persistent !== undefined && (input.persistent ? 1 : 0) !== row.persistent) {
            changes.persistent = input.persistent ? 1 : 0;
          }
          return changes;
        }),
      );
      if (!updated) throw notFound('conversation state');
      return presentConversationState(updated);
    },

    /** Deletes a state; conversations in it keep going with no state, in the same transaction. */
    async delete(principal: Principal, id: string): Promise<void> {
      requireAdminOrKey(principal);
      await database.db.transaction().execute(async (trx) => {
        // The row first, then what points at it (see channels' delete).
        if (!(await states.delete(principal.accountId, id, trx))) throw notFound('conversation state');
        await conversations.clearReference(principal.accountId, 'state_id', id, trx);
      });
    },
  };
}

export type ConversationStatesUseCases = ReturnType<typeof createConversationStatesUseCases>;
