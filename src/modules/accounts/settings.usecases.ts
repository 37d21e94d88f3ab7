import { requireAdmin } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { AccountsTable } from '../../shared/db/schema.js';
import { notFound } from '../../shared/errors/errors.js';
import type { Updateable } from 'kysely';
import type { AccountRow, AccountsRepository } from './accounts.repository.js';
import { normalizeBusinessHours, type ReplyTime } from './business-hours.js';
import { presentWorkspaceSettings, type WorkspaceSettingsView } from './settings.presenters.js';
import { normalizeTimeZone } from './time-zone.js';
import { cleanName } from '../../shared/http/names.js';
import type { RetentionKind } from './settings.schemas.js';
import type { Audit } from '../audit/audit.js';
import { changesOf } from '../audit/audit.changes.js';

export { normalizeTimeZone };

export interface WorkspaceSettingsInput {
  name?: string;
  timezone?: string;
  idle_end_minutes?: number;
  /** Checked by normalizeBusinessHours (business-hours.ts); null clears them. */
  business_hours?: unknown;
  reply_time?: ReplyTime;
  operator_reply_takes_over?: boolean;
  /** Days per kind of data (null: forever); the route's schema bounds them. */
  retention?: Partial<Record<RetentionKind, number | null>>;
}

export function createSettingsUseCases({ accounts, audit }: { accounts: AccountsRepository; audit?: Audit }) {
  async function load(principal: Principal): Promise<AccountRow> {
    const row = await accounts.findAccount(principal.accountId);
    if (!row) throw notFound('workspace');
    return row;
  }

  return {
    /** Any member or API key of the account may read its settings. */
    async get(principal: Principal): Promise<WorkspaceSettingsView> {
      return presentWorkspaceSettings(await load(principal));
    },

    /** Admin members only; fields left out keep their value, and nothing changed leaves updated_at alone. */
    async update(principal: Principal, input: WorkspaceSettingsInput, ip?: string): Promise<WorkspaceSettingsView> {
      requireAdmin(principal);
      const name = input.name === undefined ? undefined : cleanName(input.name);
      const timezone = input.timezone === undefined ? undefined : normalizeTimeZone(input.timezone);
      // Compared against the settings as stored when the change is written.
      let before: AccountRow | undefined;
      const updated = await accounts.updateAccount(principal.accountId, (row) => {
        before = row;
        const changes: Updateable<AccountsTable> = {};
        if (name !== undefined && name !== row.name) changes.name = name;
        if (timezone !== undefined && timezone !== row.timezone) changes.timezone = timezone;
        if (input.idle_end_minutes !== undefined && input.idle_end_minutes !== row.idle_end_minutes) {
          changes.idle_end_minutes = input.idle_end_minutes;
        }
        if (input.business_hours !== undefined) {
          // Hours without a zone are in the workspace's, as this request leaves it; the zone is
          // stored with them. A refusal here rolls the whole change back.
          const hours =
            input.business_hours === null ? null : JSON.stringify(normalizeBusinessHours(input.business_hours, timezone ?? row.timezone));
          if (hours !== row.business_hours) changes.business_hours = hours;
        }
        if (input.reply_time !== undefined && input.reply_time !== row.reply_time) changes.reply_time = input.reply_time;
        if (input.operator_reply_takes_over !== undefined && Number(input.operator_reply_takes_over) !== row.operator_reply_takes_over) {
          changes.operator_reply_takes_over = input.operator_reply_takes_over ? 1 : 0;
        }
        for (const [kind, days] of Object.entries(input.retention ?? {}) as Array<[RetentionKind, number | null | undefined]>) {
          const column = `retention_${kind}` as const;
          if (days !== undefined && days !== row[column]) changes[column] = days;
        }
        return changes;
      });
      if (!updated) throw notFound('workspace');
      const view = presentWorkspaceSettings(updated);
      // The audit log keeps what changed, before and after (a change to nothing is no entry).
      if (audit && before) {
        // Whether the team is online now is computed at each read: not a setting.
        const details = changesOf(presentWorkspaceSettings(before), view, ['id', 'created_at', 'updated_at', 'online', 'next_online_at']);
        if (Object.keys(details.after).length > 0) {
          await audit.record({ accountId: principal.accountId, actor: principal, action: 'settings.updated', target: { type: 'workspace', id: principal.accountId }, details, ip });
        }
      }
      return view;
    },
  };
}

export type SettingsUseCases = ReturnType<typeof createSettingsUseCases>;
