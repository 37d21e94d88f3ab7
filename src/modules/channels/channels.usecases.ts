import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { Database } from '../../shared/db/database.js';
import { notFound } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { deepMerge, jsonEqual, parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import { assertMetadataFits } from '../../shared/json/metadata.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentChannel, type ChannelView } from './channels.presenters.js';
import type { ChannelRow, ChannelsRepository } from './channels.repository.js';
import type { ChannelType } from './channels.schemas.js';
import { cleanName } from '../../shared/http/names.js';

export interface ChannelInput {
  name?: string;
  type?: ChannelType;
  config?: Record<string, unknown>;
  active?: boolean;
}


/** A config as stored: nulls dropped (as a merge into nothing would), bounded like metadata (else 422). */
function cleanConfig(config: Record<string, unknown>): JsonObject {
  const cleaned = deepMerge({}, config as JsonObject);
  assertMetadataFits(cleaned, 'config');
  return cleaned;
}

/**
 * Channels are managed by admins and API keys (integrations); any principal of the account may
 * read them, since the inbox filters conversations by channel.
 */
export function createChannelsUseCases({
  database,
  channels,
  conversations,
}: {
  database: Database;
  channels: ChannelsRepository;
  conversations: ConversationsRepository;
}) {
  async function load(principal: Principal, id: string): Promise<ChannelRow> {
    const row = await channels.findById(principal.accountId, id);
    if (!row) throw notFound('channel');
    return row;
  }

  return {
    async list(
      principal: Principal,
      query: { type?: ChannelType; active?: boolean; cursor?: string; limit?: number },
    ) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await channels.list(principal.accountId, { type: query.type, active: query.active }, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentChannel);
    },

    async get(principal: Principal, id: string): Promise<ChannelView> {
      return presentChannel(await load(principal, id));
    },

    async create(principal: Principal, input: ChannelInput & { name: string; type: ChannelType }): Promise<ChannelView> {
      requireAdminOrKey(principal);
      const now = nowIso();
      const row: ChannelRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        name: cleanName(input.name),
        type: input.type,
        config: JSON.stringify(cleanConfig(input.config ?? {})),
        active: input.active === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      };
      await channels.insert(row);
      return presentChannel(row);
    },

    /** Fields left out keep their value; `config` is replaced whole, since it is settings, not notes. */
    async update(principal: Principal, id: string, input: ChannelInput): Promise<ChannelView> {
      requireAdminOrKey(principal);
      // Compared against the channel as stored when the change is written (updateLocked); checked
      // there too, so a missing channel is a 404 before its input is judged.
      const updated = await channels.updateLocked(principal.accountId, id, (row) => {
        const name = input.name === undefined ? undefined : cleanName(input.name);
        const config = input.config === undefined ? undefined : cleanConfig(input.config);
        const changes: Partial<ChannelRow> = {};
        if (name !== undefined && name !== row.name) changes.name = name;
        if (input.type !== undefined && input.type !== row.type) changes.type = input.type;
        if (config !== undefined && !jsonEqual(config, parseJsonObject(row.config))) changes.config = JSON.stringify(config);
        if (input.active !== undefined && (input.active ? 1 : 0) !== row.active) changes.active = input.active ? 1 : 0;
        return changes;
      });
      if (!updated) throw notFound('channel');
      return presentChannel(updated);
    },

    /** Deletes a channel; its conversations stay, with no channel, in the same transaction. */
    async delete(principal: Principal, id: string): Promise<void> {
      requireAdminOrKey(principal);
      await database.db.transaction().execute(async (trx) => {
        // The row first: on PostgreSQL that waits for any conversation being pointed at it (its
        // writer holds the row FOR KEY SHARE, findShared), so the clearing below sees it too.
        if (!(await channels.delete(principal.accountId, id, trx))) throw notFound('channel');
        await conversations.clearReference(principal.accountId, 'channel_id', id, trx);
      });
    },
  };
}

export type ChannelsUseCases = ReturnType<typeof createChannelsUseCases>;
