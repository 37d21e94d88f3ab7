import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, errorResponses } from '../../shared/http/envelope.js';
import { AuditEntrySchema, AuditLogQuery } from './audit.schemas.js';

/**
 * The audit log, read-only: admins only (agent members and API keys get 403). Entries are written
 * by the hook of audit.hooks.ts and by `audit.record`; no route changes or deletes one.
 */
export function registerAuditRoutes(app: App, { audit }: Services): void {
  app.get(
    '/audit_log',
    {
      schema: {
        tags: ['Audit log'],
        summary: "The workspace's audit log, newest first (admins only)",
        description:
          'Who changed what and when, from which address: changes to members, invitations, API keys, agents, knowledge, channels, webhooks, automations, teams and settings (with their before and after), every deletion, erasure and export, and every sign-in, failed ones included. Filter by `actor` (a member or API key id), `action` (comma-separated; `member.*` for a family), `since` and `until`. Admin members only; agent members and API keys get 403. Append-only: no route changes or deletes an entry; the workspace’s retention (`audit_log_days`, a year unless changed) prunes them.',
        querystring: AuditLogQuery,
        response: { 200: collectionOf(AuditEntrySchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const page = await audit.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );
}
