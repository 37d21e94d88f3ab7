import { parseJsonArray } from '../../shared/json/json.js';
import type { AgentRow } from './agents.repository.js';

/** The agent as seed 000 shows it, plus its `instructions` (the system prompt; additive). */
export function presentAgent(row: AgentRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    instructions: row.instructions,
    keywords: parseJsonArray<string>(row.keywords),
    handoff_after_declines: row.handoff_after_declines,
    default_team_id: row.default_team_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
