import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { Database } from '../../shared/db/database.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { deepMerge, jsonEqual, parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import { assertMetadataFits } from '../../shared/json/metadata.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentChannel, type ChannelPresentation, type ChannelView } from './channels.presenters.js';
import type { ChannelRegistry } from './channels.registry.js';
import { generateInboundToken, hashInboundToken } from '../email/email.config.js';
import type { ChannelRow, ChannelsRepository } from './channels.repository.js';
import type { ChannelType } from './channels.schemas.js';
import { cleanName } from '../../shared/http/names.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { Executor } from '../../shared/db/database.js';
import { assertTeamOf } from '../teams/teams.repository.js';
import { normalizeWidgetConfig } from '../widget/widget.config.js';
import { generateIdentitySecret, generatePublicKey } from '../widget/widget.secrets.js';

export interface ChannelInput {
  name?: string;
  type?: ChannelType;
  config?: Record<string, unknown>;
  active?: boolean;
  default_team_id?: string | null;
}



/** A config as stored: nulls dropped (as a merge into nothing would), bounded like metadata (else 422). */
function cleanConfig(config: Record<string, unknown>): JsonObject {
  const cleaned = deepMerge({}, config as JsonObject);
  assertMetadataFits(cleaned, 'config');
  return cleaned;
}

/**
 * A type change may not make or unmake a widget (its key is already pasted into pages) or an email
 * channel (its address, mail threads, inbound token and queued replies belong to email).
 */
function assertTypeChange(from: ChannelType, to: ChannelType): void {
  for (const fixed of ['web_widget', 'email'] as const) {
    if (from !== to && (from === fixed || to === fixed)) {
      throw unprocessable(`A channel cannot change to or from ${fixed}; create a new channel`, { type: [`cannot change to or from ${fixed}`] });
    }
  }
}

/** Channel types that receive by posting with an inbound token (forwarded raw mail). */
const TOKEN_TYPES: ReadonlySet<ChannelType> = new Set(['email']);

/**
 * Channels are managed by admins and API keys (integrations); any principal of the account may
 * read them, since the inbox filters conversations by channel.
 */
export function createChannelsUseCases({
  database,
  channels,
  conversations,
  agents,
  registry,
}: {
  database: Database;
  channels: ChannelsRepository;
  conversations: ConversationsRepository;
  agents: AgentsRepository;
  registry: Pick<ChannelRegistry, 'adapterOf'>;
}) {
  /** The channel as shown: its config as its adapter shows it (no passwords). */
  const present = (row: ChannelRow, origin: string, extras: Omit<ChannelPresentation, 'presentConfig'> = {}): ChannelView =>
    presentChannel(row, origin, { ...extras, presentConfig: registry.adapterOf(row.type)?.presentConfig });

  /** A config checked and completed by its adapter, when it has rules (`current`: the stored one on an update). */
  function adapterConfig(type: ChannelType, config: JsonObject, current: JsonObject | null): JsonObject {
    const normalize = registry.adapterOf(type)?.normalizeConfig;
    return normalize ? normalize(config, current) : config;
  }

  /**
   * A web_widget config checked and completed: its agent (default: the first active one) read
   * inside the write, so one deleted meanwhile is a 422, not a widget nobody answers.
   */
  async function widgetConfig(accountId: string, input: Record<string, unknown>, currentAgentId: string | null, trx: Executor) {
    const fallback = currentAgentId ?? (await agents.firstActive(accountId, trx))?.id ?? null;
    const config = normalizeWidgetConfig(input, fallback);
    if (!(await agents.findShared(accountId, config.agent_id, trx))) {
      throw unprocessable('agent_id does not name an agent of this account', { agent_id: ['does not exist in this account'] });
    }
    return config;
  }

  /**
   * The agent a channel's config names (email's agent_id) exists in this account, read inside the
   * write so one deleted meanwhile is a 422. The widget checks its own (widgetConfig).
   */
  async function assertConfiguredAgent(accountId: string, type: ChannelType, config: string, trx: Executor): Promise<void> {
    if (type === 'web_widget') return;
    const agentId = parseJsonObject(config).agent_id;
    if (typeof agentId === 'string' && !(await agents.findShared(accountId, agentId, trx))) {
      throw unprocessable('agent_id does not name an agent of this account', { agent_id: ['does not exist in this account'] });
    }
  }

  async function load(principal: Principal, id: string): Promise<ChannelRow> {
    const row = await channels.findById(principal.accountId, id);
    if (!row) throw notFound('channel');
    return row;
  }

  return {
    async list(
      principal: Principal,
      query: { type?: ChannelType; active?: boolean; cursor?: string; limit?: number },
      origin: string,
    ) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await channels.list(principal.accountId, { type: query.type, active: query.active }, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], (r) => present(r, origin));
    },

    async get(principal: Principal, id: string, origin: string): Promise<ChannelView> {
      return present(await load(principal, id), origin);
    },

    async create(principal: Principal, input: ChannelInput & { name: string; type: ChannelType }, origin: string): Promise<ChannelView> {
      requireAdminOrKey(principal);
      const now = nowIso();
      const widget = input.type === 'web_widget';
      const inboundToken = TOKEN_TYPES.has(input.type) ? generateInboundToken() : undefined;
      const row: ChannelRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        name: cleanName(input.name),
        type: input.type,
        config: JSON.stringify(adapterConfig(input.type, cleanConfig(input.config ?? {}), null)),
        active: input.active === false ? 0 : 1,
        created_at: now,
        updated_at: now,
        public_key: widget ? generatePublicKey() : null,
        identity_secret: widget ? generateIdentitySecret() : null,
        default_team_id: input.default_team_id ?? null,
        inbound_token_hash: inboundToken ? hashInboundToken(inboundToken) : null,
        status_state: null,
        status_error: null,
        status_error_at: null,
        status_checked_at: null,
      };
      await database.db.transaction().execute(async (trx) => {
        await assertTeamOf(principal.accountId, input.default_team_id, trx);
        await assertConfiguredAgent(principal.accountId, row.type, row.config, trx);
        if (widget) row.config = JSON.stringify(await widgetConfig(principal.accountId, input.config ?? {}, null, trx));
        await channels.insert(row, trx);
      });
      return present(row, origin, { withSecret: true, inboundToken });
    },

    /** A new identity secret for a web_widget channel; hashes signed with the old one stop working. */
    async rotateIdentitySecret(principal: Principal, id: string, origin: string): Promise<ChannelView> {
      requireAdminOrKey(principal);
      const row = await channels.findById(principal.accountId, id);
      if (!row) throw notFound('channel');
      if (row.type !== 'web_widget') throw unprocessable('Only web_widget channels have an identity secret', { type: ['is not web_widget'] });
      const updated = await channels.update(principal.accountId, id, { identity_secret: generateIdentitySecret(), updated_at: nowIso() });
      if (!updated) throw notFound('channel');
      return present(updated, origin, { withSecret: true });
    },

    /**
     * A new inbound token for an email channel (shown once); mail posted with the old one is refused
     * from now on. Only the token's hash is stored.
     */
    async rotateInboundToken(principal: Principal, id: string, origin: string): Promise<ChannelView> {
      requireAdminOrKey(principal);
      const row = await channels.findById(principal.accountId, id);
      if (!row) throw notFound('channel');
      if (!TOKEN_TYPES.has(row.type)) throw unprocessable('Only email channels have an inbound token', { type: ['is not email'] });
      const inboundToken = generateInboundToken();
      const updated = await channels.update(principal.accountId, id, { inbound_token_hash: hashInboundToken(inboundToken), updated_at: nowIso() });
      if (!updated) throw notFound('channel');
      return present(updated, origin, { inboundToken });
    },

    /** Fields left out keep their value; `config` is replaced whole, since it is settings, not notes. */
    async update(principal: Principal, id: string, input: ChannelInput, origin: string): Promise<ChannelView> {
      requireAdminOrKey(principal);
      // Compared against the channel as stored when the change is written (updateLocked); checked
      // there too, so a missing channel is a 404 before its input is judged.
      const updated = await channels.updateLocked(principal.accountId, id, async (row, _at, trx) => {
        if (input.type !== undefined) assertTypeChange(row.type, input.type);
        const name = input.name === undefined ? undefined : cleanName(input.name);
        let config = input.config === undefined ? undefined : cleanConfig(input.config);
        if (config !== undefined && row.type === 'web_widget') {
          const current = parseJsonObject(row.config).agent_id;
          config = (await widgetConfig(principal.accountId, config, typeof current === 'string' ? current : null, trx)) as unknown as JsonObject;
        } else if (config !== undefined) {
          config = adapterConfig(input.type ?? row.type, config, parseJsonObject(row.config));
          await assertConfiguredAgent(principal.accountId, input.type ?? row.type, JSON.stringify(config), trx);
        }
        const changes: Partial<ChannelRow> = {};
        if (name !== undefined && name !== row.name) changes.name = name;
        if (input.type !== undefined && input.type !== row.type) changes.type = input.type;
        if (config !== undefined && !jsonEqual(config, parseJsonObject(row.config))) changes.config = JSON.stringify(config);
        if (input.active !== undefined && (input.active ? 1 : 0) !== row.active) changes.active = input.active ? 1 : 0;
        if (input.default_team_id !== undefined && input.default_team_id !== row.default_team_id) {
          await assertTeamOf(principal.accountId, input.default_team_id, trx);
          changes.default_team_id = input.default_team_id;
        }
        return changes;
      });
      if (!updated) throw notFound('channel');
      return present(updated, origin);
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
