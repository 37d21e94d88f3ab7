import type { AccountsTable } from '../../shared/db/schema.js';

/** The workspace settings seed 001 shows at /settings/workspace. */
export function presentWorkspaceSettings(row: AccountsTable) {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    idle_end_minutes: row.idle_end_minutes,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type WorkspaceSettingsView = ReturnType<typeof presentWorkspaceSettings>;
