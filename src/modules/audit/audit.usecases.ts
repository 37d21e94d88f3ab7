import { requireAdmin } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import { badRequest, unprocessable } from '../../shared/errors/errors.js';
import { parseJsonObject } from '../../shared/json/json.js';
import { DEFAULT_LIMIT, decodeCursor, toPage, type Page } from '../../shared/pagination/pagination.js';
import type { AuditRepository, AuditRow } from './audit.repository.js';

export interface AuditListInput {
  actor?: string;
  action?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
}

/** An action ('member.created'), or a family of them ('member.*'). */
const ACTION = /^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$/;

/** ISO-8601 with a date and a time (a zone, else UTC), as stored: anything else is a 400. */
function timeOf(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim());
  const at = ok ? new Date(/T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim()) ? `${value.trim()}Z` : value.trim()) : null;
  if (!at || Number.isNaN(at.getTime())) throw badRequest(`Invalid ${field}`, { [field]: ['must be an ISO-8601 date or time, e.g. 2026-01-31T09:00:00Z'] });
  return at.toISOString();
}

export function presentAuditEntry(row: AuditRow) {
  return {
    id: row.id,
    created_at: row.created_at,
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: row.target_type === null ? null : { type: row.target_type, id: row.target_id },
    details: parseJsonObject(row.details),
    ip: row.ip,
  };
}

export type AuditEntryView = ReturnType<typeof presentAuditEntry>;

/** Reading the audit log: admins only; there is no way to change or delete an entry through the API. */
export function createAuditUseCases({ audit }: { audit: AuditRepository }) {
  return {
    async list(principal: Principal, input: AuditListInput): Promise<Page<AuditEntryView>> {
      const admin = requireAdmin(principal);
      const actions = input.action
        ?.split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '');
      const wrong = actions?.find((a) => !ACTION.test(a));
      if (wrong !== undefined) {
        throw badRequest('Invalid action', { action: [`"${wrong.slice(0, 60)}" is not an action: dotted lowercase words, like member.created or member.*`] });
      }
      const since = timeOf(input.since, 'since');
      const until = timeOf(input.until, 'until');
      if (since !== undefined && until !== undefined && since >= until) {
        throw unprocessable('since must be before until', { since: ['must be before until'] });
      }
      const after = decodeCursor(input.cursor, ['number']);
      const limit = input.limit ?? DEFAULT_LIMIT;
      const actor = input.actor?.trim();
      const rows = await audit.list(admin.accountId, {
        actor: actor === '' ? undefined : actor,
        actions,
        since,
        until,
        before: after ? Number(after[0]) : null,
        limit,
      });
      return toPage(rows, limit, (row) => [row.id], presentAuditEntry);
    },
  };
}

export type AuditUseCases = ReturnType<typeof createAuditUseCases>;
