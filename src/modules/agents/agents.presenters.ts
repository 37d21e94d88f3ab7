import type { AgentRow } from './agents.repository.js';

/** The agent as seed 000 shows it. */
export function presentAgent(row: AgentRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
