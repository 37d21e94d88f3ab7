import type { MemberPrincipal } from '../../shared/auth/principal.js';
import { hashPassword, verifyPassword } from '../../shared/auth/passwords.js';
import type { Database } from '../../shared/db/database.js';
import { isForeignKeyViolation } from '../../shared/db/db-errors.js';
import { AppError, unauthorized, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { nowIso } from '../../shared/time.js';
import { presentMember, type MemberView } from '../members/members.presenters.js';
import type { MemberRow, MembersRepository } from '../members/members.repository.js';
import { normalizeMemberEmail } from '../members/members.usecases.js';
import type { LoginLimiter } from './auth.rate-limit.js';
import type { Audit } from '../audit/audit.js';
import { hashSessionToken, randomToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './auth.sessions.js';
import type { SessionsRepository } from './sessions.repository.js';

export interface AuthDeps {
  database: Database;
  members: MembersRepository;
  sessions: SessionsRepository;
  limiter: LoginLimiter;
  /** Every sign-in and every failed one goes to the audit log, with the address. */
  audit?: Audit;
}

/** Who is signing in from where: the address feeds the per-IP limit, both are kept on the session. */
export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export interface SignedIn {
  member: MemberView;
  csrfToken: string;
  /** The session token for the cookie; never stored, only its hash is. */
  token: string;
  maxAgeSeconds: number;
}

/** 429 with the seconds to wait; the route copies them into `Retry-After`. */
export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', 'Too many failed attempts; try again later', { retry_after: retryAfterSeconds });
}

const badCredentials = () => unauthorized('Invalid email or password');

/** Rolls back a sign-in whose verified password stopped being the member's before its session was stored. */
class PasswordChangedMeanwhile extends Error {}

export function createAuthUseCases({ database, members, sessions, limiter, audit }: AuthDeps) {
  type Failure = 'unknown_email' | 'wrong_password' | 'rate_limited';
  /**
   * A failed sign-in, in the log of each workspace that has a member with the email (about that
   * member), or in no workspace's when none has; the email tried names the actor, never the password.
   */
  async function recordFailure(email: string, candidates: MemberRow[], client: ClientInfo, reason: Failure): Promise<void> {
    if (!audit) return;
    const actor = { type: 'anonymous' as const, id: null, name: email.slice(0, 320) };
    const base = { actor, action: 'auth.sign_in_failed', details: { reason }, ip: client.ip };
    if (candidates.length === 0) return audit.record({ ...base, accountId: null });
    for (const m of candidates) await audit.record({ ...base, accountId: m.account_id, target: { type: 'member', id: m.id } });
  }

  // A hash to verify against when no member has the email, so a miss costs as much as a wrong
  // password and response times do not tell which emails exist. Made once, on first use.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword(randomToken()));

  /** The first member (oldest first) whose password matches, or undefined. */
  async function matchPassword(candidates: MemberRow[], password: string): Promise<MemberRow | undefined> {
    if (candidates.length === 0) {
      await verifyPassword(password, await dummy());
      return undefined;
    }
    for (const member of candidates) {
      if (await verifyPassword(password, member.password_hash)) return member;
    }
    return undefined;
  }

  /**
   * Stores a session for a member whose password was just verified against `member.password_hash`,
   * or answers undefined when that is no longer the member's password or the member is gone (a
   * password change or a removal committed while the password was being checked). The check sits
   * in the session's own transaction, so a password change either sees the session and revokes it
   * or makes the sign-in fail: a session opened with the old password never outlives the change.
   */
  async function startSession(member: MemberRow, client: ClientInfo): Promise<SignedIn | undefined> {
    const token = randomToken();
    const csrfToken = randomToken();
    const now = Date.now();
    const at = new Date(now).toISOString();
    try {
      await database.db.transaction().execute(async (trx) => {
        // The insert first: on SQLite it takes the write lock before the read (a read-then-write
        // transaction could fail with SQLITE_BUSY against another process).
        await sessions.insert(
          {
            id: uuidv7(),
            account_id: member.account_id,
            member_id: member.id,
            token_hash: hashSessionToken(token),
            csrf_token: csrfToken,
            ip: client.ip.slice(0, 100),
            user_agent: client.userAgent?.slice(0, 500) ?? null,
            expires_at: new Date(now + SESSION_ABSOLUTE_MS).toISOString(),
            last_seen_at: at,
            revoked_at: null,
            created_at: at,
          },
          trx,
        );
        const current = await sessions.memberPasswordHash(member.account_id, member.id, trx);
        if (current !== member.password_hash) throw new PasswordChangedMeanwhile();
      });
    } catch (e) {
      // A foreign-key violation: the member was removed before the insert.
      if (e instanceof PasswordChangedMeanwhile || isForeignKeyViolation(e)) return undefined;
      throw e;
    }
    await sessions.pruneDead(member.account_id, member.id, {
      now: at,
      idleSince: new Date(now - SESSION_IDLE_MS).toISOString(),
    });
    return { member: presentMember(member), csrfToken, token, maxAgeSeconds: Math.floor(SESSION_ABSOLUTE_MS / 1000) };
  }

  return {
    /**
     * Opens a session for a member who has just proved who they are another way (a new member
     * accepting an invitation has just set their password); undefined when the member is gone.
     */
    openSession: startSession,

    /**
     * Signs a member in. One email may belong to members of several accounts: the password is tried
     * against each (oldest first) unless `account_id` picks one. Wrong email and wrong password are
     * the same 401; attempts count toward the per-email and per-address limits from before the
     * password is checked, and only a success takes its attempt back.
     */
    async login(input: { email: string; password: string; account_id?: string }, client: ClientInfo): Promise<SignedIn> {
      const email = normalizeMemberEmail(input.email);
      const { attempt, retryAfter } = limiter.begin(email, client.ip);
      if (!attempt) {
        if (audit) await recordFailure(email, await members.findByEmail(email, input.account_id), client, 'rate_limited');
        throw rateLimited(retryAfter);
      }
      try {
        const candidates = await members.findByEmail(email, input.account_id);
        const member = await matchPassword(candidates, input.password);
        const signedIn = member && (await startSession(member, client));
        if (!signedIn) {
          attempt.fail();
          await recordFailure(email, candidates, client, candidates.length > 0 ? 'wrong_password' : 'unknown_email');
          throw badCredentials();
        }
        attempt.succeed();
        await audit?.record({
          accountId: member.account_id,
          actor: { type: 'member', id: member.id, name: member.email },
          action: 'auth.sign_in',
          target: { type: 'member', id: member.id },
          ip: client.ip,
        });
        return signedIn;
      } finally {
        attempt.release();
      }
    },

    /** The signed-in member and the session's CSRF token (the inbox reloads it after a page refresh). */
    async me(principal: MemberPrincipal): Promise<{ member: MemberView; csrfToken: string }> {
      const [member, session] = await Promise.all([
        members.findById(principal.accountId, principal.memberId),
        sessions.findById(principal.accountId, principal.sessionId),
      ]);
      if (!member || !session) throw unauthorized('Session has ended; sign in again');
      return { member: presentMember(member), csrfToken: session.csrf_token };
    },

    async logout(principal: MemberPrincipal): Promise<void> {
      await sessions.revoke(principal.accountId, principal.sessionId, nowIso());
    },

    /**
     * Changes the member's password and ends their other sessions (a stolen session does not
     * survive a password change); the caller's own session stays. A wrong current password is a
     * 422, not a 401: the session is fine, and a 401 would make the inbox sign the member out.
     * It counts as a failed login for the email, so a stolen session cannot guess forever.
     */
    async changePassword(
      principal: MemberPrincipal,
      input: { current_password: string; new_password: string },
      client: ClientInfo,
    ): Promise<void> {
      const member = await members.findById(principal.accountId, principal.memberId);
      if (!member) throw unauthorized('Session has ended; sign in again');
      const { attempt, retryAfter } = limiter.begin(member.email, client.ip);
      if (!attempt) throw rateLimited(retryAfter);
      try {
        if (!(await verifyPassword(input.current_password, member.password_hash))) {
          attempt.fail();
          throw unprocessable('The current password is not correct', { current_password: ['is not correct'] });
        }
      } finally {
        // A right current password is not a sign-in: it neither counts nor clears the email's failures.
        attempt.release();
      }
      const passwordHash = await hashPassword(input.new_password);
      await database.db.transaction().execute(async (trx) => {
        const at = nowIso();
        const next = { password_hash: passwordHash, updated_at: at };
        if (!(await members.replacePasswordHash(principal.accountId, member.id, member.password_hash, next, trx))) {
          // Changed by another request since it was verified: what was sent is no longer the current password.
          throw unprocessable('The current password is not correct', { current_password: ['is not correct'] });
        }
        await sessions.revokeOthers(principal.accountId, member.id, principal.sessionId, at, trx);
      });
    },
  };
}

export type AuthUseCases = ReturnType<typeof createAuthUseCases>;
