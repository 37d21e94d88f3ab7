import { requireAdmin } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { AccountsTable } from '../../shared/db/schema.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import type { AccountsRepository } from './accounts.repository.js';
import { presentWorkspaceSettings, type WorkspaceSettingsView } from './settings.presenters.js';
import { cleanName } from '../../shared/http/names.js';

export interface WorkspaceSettingsInput {
  name?: string;
  timezone?: string;
  idle_end_minutes?: number;
}

/** IANA names are letters, digits and `_ + - /`; this also refuses the UTC offsets newer ICU accepts. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/**
 * The zone to store for a caller's input, or 422. Only the letter case is taken from ICU
 * (`europe/paris` → `Europe/Paris`): ICU also maps links to other names (Asia/Kolkata →
 * Asia/Calcutta, EST5EDT → America/New_York), and a caller should get back the zone it chose.
 */
export function normalizeTimeZone(input: string): string {
  const invalid = () =>
    unprocessable(`Unknown time zone: ${input}`, { timezone: ['must be an IANA time zone such as Europe/Paris'] });
  if (!ZONE_NAME.test(input)) throw invalid();
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat(undefined, { timeZone: input }).resolvedOptions().timeZone;
  } catch {
    throw invalid();
  }
  return resolved.toLowerCase() === input.toLowerCase() ? resolved : input;
}

export function createSettingsUseCases({ accounts }: { accounts: AccountsRepository }) {
  async function load(principal: Principal): Promise<AccountsTable> {
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
    async update(principal: Principal, input: WorkspaceSettingsInput): Promise<WorkspaceSettingsView> {
      requireAdmin(principal);
      const name = input.name === undefined ? undefined : cleanName(input.name);
      const timezone = input.timezone === undefined ? undefined : normalizeTimeZone(input.timezone);
      // Compared against the settings as stored when the change is written.
      const updated = await accounts.updateAccount(principal.accountId, (row) => {
        const changes: Partial<AccountsTable> = {};
        if (name !== undefined && name !== row.name) changes.name = name;
        if (timezone !== undefined && timezone !== row.timezone) changes.timezone = timezone;
        if (input.idle_end_minutes !== undefined && input.idle_end_minutes !== row.idle_end_minutes) {
          changes.idle_end_minutes = input.idle_end_minutes;
        }
        return changes;
      });
      if (!updated) throw notFound('workspace');
      return presentWorkspaceSettings(updated);
    },
  };
}

export type SettingsUseCases = ReturnType<typeof createSettingsUseCases>;
