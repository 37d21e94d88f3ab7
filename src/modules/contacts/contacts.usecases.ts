import { sourceOf, type Principal } from '../../shared/auth/principal.js';
import type { EventLog } from '../events/events.log.js';
import { isUniqueViolation } from '../../shared/db/db-errors.js';
import { conflict, notFound } from '../../shared/errors/errors.js';
import { deepMerge, jsonEqual, parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import { assertMetadataFits } from '../../shared/json/metadata.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentContact, type ContactView } from './contacts.presenters.js';
import type { ContactRow, ContactsRepository, NewContactRow } from './contacts.repository.js';
import type { ProfileInput } from './contacts.schemas.js';
import { requireAdmin } from '../../shared/auth/guards.js';
import type { Erasure } from '../erasure/erasure.js';

/** Emails are matched case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

interface ContactInput extends ProfileInput {
  /** null only on find-or-create, where it means a guest, as when left out. */
  email?: string | null;
  name?: string | null;
  metadata?: Record<string, unknown>;
}

const PROFILE_FIELDS = ['first_name', 'last_name', 'phone', 'avatar_url', 'organization_name', 'external_id'] as const;

/** The columns a find-or-create or a PATCH changes, or an empty object when nothing changes. */
function changesFor(row: ContactRow, input: ContactInput): Partial<NewContactRow> {
  const changes: Partial<NewContactRow> = {};
  if (input.name !== undefined && input.name !== row.name) changes.name = input.name;
  for (const field of PROFILE_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== row[field]) changes[field] = value;
  }
  if (input.metadata !== undefined) {
    const current = parseJsonObject(row.metadata);
    const merged = deepMerge(current, input.metadata as JsonObject);
    assertMetadataFits(merged);
    if (!jsonEqual(merged, current)) changes.metadata = JSON.stringify(merged);
  }
  return changes;
}

export function createContactsUseCases({
  eventLog,
  contacts,
  erasure,
}: {
  eventLog: EventLog;
  contacts: ContactsRepository;
  /** Deletes the contact with every copy of its data (events, deliveries, files, indexes, …). */
  erasure: Pick<Erasure, 'eraseContact'>;
}) {
  return {
    async list(principal: Principal, query: { email?: string; q?: string; cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['number']);
      const email = query.email === undefined ? undefined : normalizeEmail(query.email);
      const q = query.q?.trim() || undefined;
      const rows = await contacts.list(principal.accountId, { email, q, after, limit });
      return toPage(rows, limit, (r) => [r.id], presentContact);
    },

    async get(principal: Principal, id: number): Promise<ContactView> {
      const row = await contacts.findById(principal.accountId, id);
      if (!row) throw notFound('contact');
      return presentContact(row);
    },

    /**
     * Seed 000's find-or-create: an existing contact with the email is returned, updated with the
     * given name and deep-merged metadata; otherwise a new one (a guest when there is no email).
     */
    async findOrCreate(principal: Principal, input: ContactInput): Promise<{ contact: ContactView; created: boolean }> {
      const accountId = principal.accountId;
      const email = input.email == null ? null : normalizeEmail(input.email);
      const metadata = deepMerge({}, (input.metadata ?? {}) as JsonObject);
      assertMetadataFits(metadata);
      return eventLog.transaction(accountId, async (trx, emit) => {
        const now = nowIso();
        const row = {
          account_id: accountId,
          email,
          name: input.name ?? null,
          ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, input[f] ?? null])),
          metadata: JSON.stringify(metadata),
          created_at: now,
          updated_at: now,
        };
        // The email's contact can be deleted between the insert that found it and the locked read
        // (PostgreSQL): then it is absent again, and the next insert creates it.
        let existing: ContactRow | undefined;
        for (let attempt = 0; attempt < 3 && !existing; attempt++) {
          const inserted = await contacts.insertIfAbsent(row, trx);
          if (inserted) {
            const contact = presentContact(inserted);
            emit('contact.created', { contact });
            return { contact, created: true };
          }
          existing = await contacts.findForUpdate(accountId, { email: email! }, trx);
        }
        if (!existing) throw conflict('The contact with this email was being deleted; try again');
        const changes = changesFor(existing, input);
        if (Object.keys(changes).length === 0) return { contact: presentContact(existing), created: false };
        changes.updated_at = now;
        await contacts.update(accountId, existing.id, changes, trx);
        const contact = presentContact({ ...existing, ...changes } as ContactRow);
        emit('contact.updated', { contact });
        return { contact, created: false };
      }, sourceOf(principal));
    },

    /** Erases a contact and everything of it (conversations, messages, every copy); admins only. */
    async remove(principal: Principal, id: number): Promise<void> {
      requireAdmin(principal);
      await erasure.eraseContact(principal.accountId, id, principal);
    },

    async update(principal: Principal, id: number, input: ContactInput & { email?: string }): Promise<ContactView> {
      const accountId = principal.accountId;
      try {
        return await eventLog.transaction(accountId, async (trx, emit) => {
          const row = await contacts.findForUpdate(accountId, { id }, trx);
          if (!row) throw notFound('contact');
          const changes = changesFor(row, input);
          if (input.email !== undefined) {
            const email = normalizeEmail(input.email);
            if (email !== row.email) changes.email = email;
          }
          if (Object.keys(changes).length === 0) return presentContact(row);
          changes.updated_at = nowIso();
          await contacts.update(accountId, id, changes, trx);
          const contact = presentContact({ ...row, ...changes } as ContactRow);
          emit('contact.updated', { contact });
          return contact;
        }, sourceOf(principal));
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict('Another contact already has this email', { email: ['is already taken in this account'] });
        }
        throw e;
      }
    },
  };
}

export type ContactsUseCases = ReturnType<typeof createContactsUseCases>;
