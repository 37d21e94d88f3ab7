import type { AccountRow } from './accounts.repository.js';
import { parseBusinessHours, teamAvailability } from './business-hours.js';

/**
 * The workspace settings seed 001 shows at /settings/workspace, with whether the team is online
 * at `now` under its business hours (computed at each read, never stored).
 */
export function presentWorkspaceSettings(row: AccountRow, now: Date = new Date()) {
  const team = teamAvailability(row, now);
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    idle_end_minutes: row.idle_end_minutes,
    business_hours: parseBusinessHours(row.business_hours),
    reply_time: team.reply_time,
    online: team.online,
    next_online_at: team.next_online_at,
    operator_reply_takes_over: row.operator_reply_takes_over === 1,
    retention: {
      ended_conversations_days: row.retention_ended_conversations_days,
      events_days: row.retention_events_days,
      webhook_deliveries_days: row.retention_webhook_deliveries_days,
      automation_runs_days: row.retention_automation_runs_days,
      audit_log_days: row.retention_audit_log_days,
    },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type WorkspaceSettingsView = ReturnType<typeof presentWorkspaceSettings>;
