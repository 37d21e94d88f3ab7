import type { InvitationsRepository } from './invitations.repository.js';
import type { MemberPrincipal, Principal } from '../../shared/auth/principal.js';
import { availabilityOf, type Assigner } from '../teams/teams.assignment.js';
import { hashPassword } from '../../shared/auth/passwords.js';
import type { Database, Executor } from '../../shared/db/database.js';
import { isUniqueViolation } from '../../shared/db/db-errors.js';
import { conflict, notFound } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentMember, type MemberView } from './members.presenters.js';
import type { MemberRow, MembersRepository } from './members.repository.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { MemberRole } from './members.schemas.js';

/** Emails are stored trimmed and lower-cased, so login and the uniqueness check ignore case. */
export function normalizeMemberEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createMembersUseCases({
  database,
  members,
  conversations,
  assigner,
  invitations,
}: {
  database: Database;
  members: MembersRepository;
  conversations: ConversationsRepository;
  assigner: Assigner;
  invitations: Pick<InvitationsRepository, 'revokePendingFor'>;
}) {
  const { db } = database;

  /**
   * Loads a member under the account's admin lock and refuses with 409 when `losesAdmin` says the
   * change would take away the account's last admin; then applies `apply` in the same transaction.
   * The lock is what makes the count trustworthy: without it two concurrent demotions of two
   * admins would each count the other and leave none.
   */
  async function guardLastAdmin<T>(
    principal: Principal,
    id: string,
    losesAdmin: (row: MemberRow) => boolean,
    apply: (row: MemberRow, trx: Executor) => Promise<T>,
  ): Promise<T> {
    return db.transaction().execute(async (trx) => {
      await members.lockAccount(principal.accountId, trx);
      const row = await members.findById(principal.accountId, id, trx);
      if (!row) throw notFound('member');
      if (losesAdmin(row) && (await members.countAdmins(principal.accountId, trx)) <= 1) {
        throw conflict('An account must keep at least one admin', { role: ['the last admin cannot be removed or demoted'] });
      }
      return apply(row, trx);
    });
  }

  /** A page of the account's members, oldest first, each as `present` shows it. */
  async function pageOf<T>(principal: Principal, query: { cursor?: string; limit?: number }, present: (row: MemberRow) => T) {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, ['string', 'string']);
    const rows = await members.list(principal.accountId, { after, limit });
    return toPage(rows, limit, (r) => [r.created_at, r.id], present);
  }

  return {
    async list(principal: Principal, query: { cursor?: string; limit?: number }) {
      return pageOf(principal, query, presentMember);
    },

    /** Every member's id and name, for anyone of the account (assignment pickers, authors). */
    async directory(principal: Principal, query: { cursor?: string; limit?: number }) {
      return pageOf(principal, query, (r) => ({ id: r.id, name: r.name, availability: availabilityOf(r) }));
    },

    /**
     * The signed-in member says whether they are online, away or offline. `online` lapses unless
     * said again within ten minutes (the inbox says it every few minutes while open). Coming online
     * serves the queues of their teams.
     */
    async setAvailability(principal: MemberPrincipal, availability: 'online' | 'away' | 'offline'): Promise<MemberView> {
      const row = await members.setAvailability(principal.accountId, principal.memberId, { availability, availability_at: nowIso() });
      if (!row) throw notFound('member');
      if (availability === 'online') await assigner.fill(principal.accountId, await assigner.teamsOf(principal.accountId, principal.memberId));
      return presentMember(row);
    },

    async get(principal: Principal, id: string): Promise<MemberView> {
      const row = await members.findById(principal.accountId, id);
      if (!row) throw notFound('member');
      return presentMember(row);
    },

    async create(
      principal: Principal,
      input: { email: string; name: string; role: MemberRole; password: string },
    ): Promise<MemberView> {
      const now = nowIso();
      const row: MemberRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        email: normalizeMemberEmail(input.email),
        name: input.name.trim(),
        role: input.role,
        password_hash: await hashPassword(input.password),
        created_at: now,
        updated_at: now,
        availability: 'offline',
        availability_at: null,
        last_assigned_at: null,
      };
      try {
        await members.insert(row);
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('A member with this email already exists', { email: ['is taken'] });
        throw e;
      }
      // Added directly: a link still pending for the same person could only end in a 409 now.
      await invitations.revokePendingFor(principal.accountId, row.email, now, db);
      return presentMember(row);
    },

    /** Changes a member's role; demoting the account's last admin is a 409. Takes effect on their next request. */
    async changeRole(principal: Principal, id: string, role: MemberRole): Promise<MemberView> {
      return guardLastAdmin(
        principal,
        id,
        (row) => row.role === 'admin' && role !== 'admin',
        async (row, trx) => {
          if (row.role === role) return presentMember(row);
          const updated_at = nowIso();
          await members.update(principal.accountId, id, { role, updated_at }, trx);
          return presentMember({ ...row, role, updated_at });
        },
      );
    },

    /**
     * Removes a member: their sessions go with them (foreign key cascade) and their conversations
     * return to the unassigned queue. Removing the account's last admin is a 409.
     */
    async remove(principal: Principal, id: string): Promise<void> {
      await guardLastAdmin(
        principal,
        id,
        (row) => row.role === 'admin',
        async (_row, trx) => {
          // The member first (waiting for any assignment to them under way, see channels' delete),
          // then their conversations back to the unassigned queue: a dangling assignee would hide
          // them from every inbox.
          await members.remove(principal.accountId, id, trx);
          await conversations.clearReference(principal.accountId, 'assignee_id', id, trx, nowIso());
        },
      );
    },
  };
}

export type MembersUseCases = ReturnType<typeof createMembersUseCases>;
