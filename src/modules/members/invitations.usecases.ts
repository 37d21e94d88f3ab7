import type { MemberPrincipal } from '../../shared/auth/principal.js';
import { hashPassword } from '../../shared/auth/passwords.js';
import type { Database } from '../../shared/db/database.js';
import { isUniqueViolation } from '../../shared/db/db-errors.js';
import { AppError, badRequest, conflict, notFound, unauthorized } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { RateLimiter } from '../auth/auth.rate-limit.js';
import { hashSessionToken, isWellFormedToken, randomToken } from '../auth/auth.sessions.js';
import { rateLimited, type AuthUseCases, type ClientInfo, type SignedIn } from '../auth/auth.usecases.js';
import { presentCreatedInvitation, presentInvitation, presentPublicInvitation } from './invitations.presenters.js';
import type { InvitationRow, InvitationsRepository } from './invitations.repository.js';
import type { MemberRow, MembersRepository } from './members.repository.js';
import type { MemberRole } from './members.schemas.js';
import { normalizeMemberEmail } from './members.usecases.js';

/** How long a link may wait to be used. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const MIN_PASSWORD_LENGTH = 8;

/** One message for every link that cannot be used, so a guesser learns nothing about which it was. */
export const INVALID_INVITATION_MESSAGE = 'This invitation link is not valid any more: it was used, revoked or has expired.';
const invalidInvitation = () => new AppError('NOT_FOUND', INVALID_INVITATION_MESSAGE);

/** Tokens are stored hashed like session tokens: a leaked table cannot be turned into sign-ups. */
const hashInvitationToken = hashSessionToken;

export function createInvitationsUseCases({
  database,
  invitations,
  members,
  accounts,
  auth,
  limiter,
}: {
  database: Database;
  invitations: InvitationsRepository;
  members: MembersRepository;
  accounts: AccountsRepository;
  auth: AuthUseCases;
  /** Counts unknown tokens per client address, as login counts wrong passwords. */
  limiter: RateLimiter;
}) {
  /**
   * The pending invitation a token opens, or a 404; a miss counts against the client's address and
   * an address at its limit gets a 429 before any lookup.
   */
  async function openToken(token: string, client: ClientInfo): Promise<InvitationRow> {
    const wait = limiter.reserve(client.ip);
    if (wait > 0) throw rateLimited(wait);
    try {
      const row = isWellFormedToken(token) ? await invitations.findPendingByTokenHash(hashInvitationToken(token), nowIso()) : undefined;
      if (!row) {
        limiter.fail(client.ip);
        throw invalidInvitation();
      }
      return row;
    } finally {
      limiter.release(client.ip);
    }
  }

  return {
    /**
     * Invites an email to the admin's account: a link valid 7 days and usable once, shown only in
     * this answer. A pending invitation of the same email is revoked, so only the newest link works.
     */
    async create(admin: MemberPrincipal, input: { email: string; name?: string | null; role: MemberRole }, origin: string) {
      const email = normalizeMemberEmail(input.email);
      const name = input.name?.trim() || null;
      const token = randomToken();
      const now = Date.now();
      const row: InvitationRow = {
        id: uuidv7(),
        account_id: admin.accountId,
        email,
        name,
        role: input.role,
        token_hash: hashInvitationToken(token),
        created_by: admin.memberId,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + INVITATION_TTL_MS).toISOString(),
        accepted_at: null,
        member_id: null,
        revoked_at: null,
      };
      await database.db.transaction().execute(async (trx) => {
        // Serialises invitations of the account, so two at once for one email leave one link.
        await members.lockAccount(admin.accountId, trx);
        if ((await members.findByEmail(email, admin.accountId, trx)).length > 0) {
          throw conflict('This person is already a member of the workspace', { email: ['is already a member'] });
        }
        await invitations.revokePendingFor(admin.accountId, email, row.created_at, trx);
        await invitations.insert(row, trx);
      });
      return presentCreatedInvitation(row, `${origin}/invite/${token}`);
    },

    async listPending(admin: MemberPrincipal, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await invitations.listPending(admin.accountId, nowIso(), { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentInvitation);
    },

    async revoke(admin: MemberPrincipal, id: string): Promise<void> {
      if (!(await invitations.revoke(admin.accountId, id, nowIso()))) throw notFound('invitation');
    },

    /** What the invitation page shows: who is invited, to which workspace. */
    async show(token: string, client: ClientInfo) {
      const row = await openToken(token, client);
      const account = await accounts.findAccount(row.account_id);
      if (!account) throw invalidInvitation();
      return presentPublicInvitation(row, account.name);
    },

    /**
     * Creates the invited member with the name and password they chose, uses up the link and signs
     * them in. The link is claimed in the member's own transaction, in one statement: of two
     * acceptances at once exactly one makes a member, the other gets the 404 of a used link.
     */
    async accept(token: string, input: { name: string; password: string }, client: ClientInfo): Promise<SignedIn> {
      const invitation = await openToken(token, client);
      const name = input.name.trim();
      if (!name) throw badRequest('Please enter your name', { name: ['Please enter your name'] });
      if (input.password.length < MIN_PASSWORD_LENGTH) {
        const message = `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
        throw badRequest(message, { password: [message] });
      }
      const passwordHash = await hashPassword(input.password);
      const now = nowIso();
      const member: MemberRow = {
        id: uuidv7(),
        account_id: invitation.account_id,
        email: invitation.email,
        name,
        role: invitation.role,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
        availability: 'offline',
        availability_at: null,
        last_assigned_at: null,
      };
      try {
        await database.db.transaction().execute(async (trx) => {
          // The claim first: on SQLite it takes the write lock before anything is read.
          if (!(await invitations.claim(invitation.token_hash, now, member.id, trx))) throw invalidInvitation();
          await members.insert(member, trx);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('This email already belongs to a member of the workspace; sign in instead', { email: ['is already a member'] });
        throw e;
      }
      const signedIn = await auth.openSession(member, client);
      if (!signedIn) throw unauthorized('Your account was removed before you could sign in');
      return signedIn;
    },
  };
}

export type InvitationsUseCases = ReturnType<typeof createInvitationsUseCases>;
