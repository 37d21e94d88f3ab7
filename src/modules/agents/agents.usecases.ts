import type { Principal } from '../../shared/auth/principal.js';
import { notFound } from '../../shared/errors/errors.js';
import { cleanName } from '../../shared/http/names.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { jsonEqual, parseJsonArray } from '../../shared/json/json.js';
import { presentAgent } from './agents.presenters.js';
import type { AgentRow, AgentsRepository } from './agents.repository.js';
import { assertTeamOf } from '../teams/teams.repository.js';

export interface AgentsDeps {
  agents: AgentsRepository;
}

/** The agents a principal may see: an API key sees only its own agent (seed 000). */
function onlyAgentOf(principal: Principal): string | undefined {
  return principal.kind === 'api_key' ? principal.agentId : undefined;
}

/** Keywords trimmed, blank ones dropped, duplicates (case-insensitively) removed, order kept. */
function normalizeKeywords(keywords: string[]): string[] {
  const seen = new Set<string>();
  return keywords
    .map((k) => k.trim().replace(/\s+/g, ' '))
    .filter((k) => k && !seen.has(k.toLowerCase()) && seen.add(k.toLowerCase()));
}

export function createAgentsUseCases({ agents }: AgentsDeps) {
  /** Loads an agent the principal may see, or 404 (never 403, so ids cannot be probed). */
  async function getVisibleAgent(principal: Principal, id: string): Promise<AgentRow> {
    const only = onlyAgentOf(principal);
    if (only !== undefined && only !== id) throw notFound('agent');
    const row = await agents.findById(principal.accountId, id);
    if (!row) throw notFound('agent');
    return row;
  }

  return {
    getVisibleAgent,

    async list(principal: Principal, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await agents.list(principal.accountId, { onlyId: onlyAgentOf(principal), after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentAgent);
    },

    async get(principal: Principal, id: string) {
      return presentAgent(await getVisibleAgent(principal, id));
    },

    /** A new agent in the principal's account; it answers nothing until it has knowledge or an LLM. */
    async create(
      principal: Principal,
      input: {
        name: string;
        description?: string;
        instructions?: string;
        status?: 'active' | 'inactive';
        keywords?: string[];
        handoff_after_declines?: number;
      },
    ) {
      const now = nowIso();
      const row: AgentRow = {
        knowledge_revision: 0,
        default_team_id: null,
        handoff_after_declines: input.handoff_after_declines ?? 2,
        id: uuidv7(),
        account_id: principal.accountId,
        name: cleanName(input.name),
        description: input.description ?? '',
        status: input.status ?? 'active',
        instructions: input.instructions ?? '',
        keywords: JSON.stringify(normalizeKeywords(input.keywords ?? [])),
        model_settings: '{}',
        created_at: now,
        updated_at: now,
      };
      await agents.insert(row);
      return presentAgent(row);
    },

    /** Changes what was sent, compared against the agent as stored at that moment; answers the stored agent. */
    async update(
      principal: Principal,
      id: string,
      patch: {
        name?: string;
        description?: string;
        status?: 'active' | 'inactive';
        instructions?: string;
        keywords?: string[];
        handoff_after_declines?: number;
        default_team_id?: string | null;
      },
    ) {
      const only = onlyAgentOf(principal);
      if (only !== undefined && only !== id) throw notFound('agent');
      const name = patch.name === undefined ? undefined : cleanName(patch.name);
      const keywords = patch.keywords === undefined ? undefined : normalizeKeywords(patch.keywords);
      const stored = await agents.updateLocked(principal.accountId, id, async (row, _at, trx) => {
        const changes: Partial<AgentRow> = {};
        if (patch.handoff_after_declines !== undefined && patch.handoff_after_declines !== row.handoff_after_declines) {
          changes.handoff_after_declines = patch.handoff_after_declines;
        }
        if (patch.default_team_id !== undefined && patch.default_team_id !== row.default_team_id) {
          await assertTeamOf(principal.accountId, patch.default_team_id, trx);
          changes.default_team_id = patch.default_team_id;
        }
        if (name !== undefined && name !== row.name) changes.name = name;
        if (patch.description !== undefined && patch.description !== row.description) changes.description = patch.description;
        if (patch.status !== undefined && patch.status !== row.status) changes.status = patch.status;
        if (patch.instructions !== undefined && patch.instructions !== row.instructions) changes.instructions = patch.instructions;
        if (keywords !== undefined && !jsonEqual(keywords, parseJsonArray(row.keywords))) changes.keywords = JSON.stringify(keywords);
        return changes;
      });
      if (!stored) throw notFound('agent');
      return presentAgent(stored);
    },
  };
}

export type AgentsUseCases = ReturnType<typeof createAgentsUseCases>;
