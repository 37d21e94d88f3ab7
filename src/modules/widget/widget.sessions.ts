import { sql } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import { isPostgres } from '../../shared/db/database.js';
import { forbidden, unauthorized } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { deepMerge, jsonEqual, parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import { assertMetadataFits } from '../../shared/json/metadata.js';
import { nowIso } from '../../shared/time.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import { teamAvailability } from '../accounts/business-hours.js';
import type { ChannelRow, ChannelsRepository } from '../channels/channels.repository.js';
import { presentContact } from '../contacts/contacts.presenters.js';
import type { ContactRow, ContactsRepository } from '../contacts/contacts.repository.js';
import type { Emit, EventLog } from '../events/events.log.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import { normalizeOrigin, originAllowed, widgetConfigOf, type WidgetConfig } from './widget.config.js';
import { generateVisitorToken, hashVisitorToken, identityHashMatches, isVisitorToken } from './widget.secrets.js';
import type { VisitorSessionRow, VisitorSessionsRepository } from './visitor-sessions.repository.js';

/** A visitor's session lasts a year from its last use. */
const SESSION_DAYS = 365;
/** last_seen_at (and with it the expiry) is written at most this often. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export interface StartSessionInput {
  public_key: string;
  visitor_token?: string;
  user?: { id: string; email?: string; name?: string; hash?: string };
  attributes?: Record<string, unknown>;
  page_url?: string;
  locale?: string;
}

/** A visitor's request: its live session, and the widget channel it belongs to with its settings. */
export interface Visitor {
  session: VisitorSessionRow;
  channel: ChannelRow;
  config: WidgetConfig;
}

/** The widget channel a request names, with its settings. */
export interface WidgetChannel {
  channel: ChannelRow;
  config: WidgetConfig;
}

const expiryFrom = (ms: number) => new Date(ms + SESSION_DAYS * 86_400_000).toISOString();

/**
 * Whether a browser request's `Origin` may use this widget: Parley's own pages (the widget's
 * frame is served by Parley) and the channel's allowed origins (all, when it lists none). A
 * request without an Origin is not a browser's cross-site request; CORS has nothing to say.
 */
export function originPermitted(config: WidgetConfig, origin: string | undefined, parleyHost: string): boolean {
  if (origin === undefined) return true;
  const normalized = normalizeOrigin(origin);
  if (normalized !== null) {
    const url = new URL(normalized);
    // The same host as the request's, with the default port of the origin's scheme dropped alike.
    let own: string | null = null;
    try {
      own = new URL(`${url.protocol}//${parleyHost}`).host;
    } catch {
      own = null;
    }
    if (url.host === own) return true;
  }
  return originAllowed(config, origin);
}

export function createWidgetSessions({
  eventLog,
  channels,
  contacts,
  accounts,
  sessions,
  conversations,
  conversationsRepo,
}: {
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  eventLog: EventLog;
  channels: ChannelsRepository;
  contacts: ContactsRepository;
  accounts: AccountsRepository;
  sessions: VisitorSessionsRepository;
}) {
  /** Contact changes a visitor may make to its own contact: a display name and custom attributes. */
  async function applyToOwnContact(contact: ContactRow, input: StartSessionInput, claims: boolean, trx: Executor, emit: Emit): Promise<ContactRow> {
    const patch: Partial<ContactRow> = {};
    if (claims && input.user?.name !== undefined && input.user.name.trim() !== '' && input.user.name.trim() !== contact.name) {
      patch.name = input.user.name.trim();
    }
    if (claims && input.user?.email !== undefined && input.user.email !== contact.claimed_email && input.user.email !== contact.email) {
      patch.claimed_email = input.user.email;
    }
    if (input.attributes !== undefined) {
      const current = parseJsonObject(contact.metadata);
      const merged = deepMerge(current, input.attributes as JsonObject);
      assertMetadataFits(merged, 'attributes');
      if (!jsonEqual(current, merged)) patch.metadata = JSON.stringify(merged);
    }
    if (Object.keys(patch).length === 0) return contact;
    const updated = { ...contact, ...patch, updated_at: nowIso() };
    await contacts.update(contact.account_id, contact.id, { ...patch, updated_at: updated.updated_at }, trx);
    emit('contact.updated', { contact: presentContact(updated) });
    return updated;
  }

  /** A new guest contact for an anonymous visitor (its typed email kept as a claim). */
  async function newGuest(accountId: string, input: StartSessionInput, trx: Executor, emit: Emit): Promise<ContactRow> {
    const now = nowIso();
    const row = await contacts.insertIfAbsent(
      { account_id: accountId, email: null, name: input.user?.name?.trim() || null, metadata: '{}', created_at: now, updated_at: now },
      trx,
    );
    if (!row) throw new Error('a guest contact (no email) cannot conflict');
    emit('contact.created', { contact: presentContact(row) });
    return applyToOwnContact(row, { ...input, user: input.user && { ...input.user, name: undefined } }, true, trx, emit);
  }

  /**
   * The contact of a verified user id: the one with that external id, else a new one with the
   * given name and email — the email only where no other contact has it (the hash proves the id,
   * not the email), otherwise kept as a claim.
   */
  async function verifiedContact(accountId: string, input: StartSessionInput, trx: Executor, emit: Emit): Promise<ContactRow> {
    const userId = input.user!.id;
    // One contact per user id even when two first visits race (SQLite has one writer anyway).
    if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${`${accountId}:${userId}`}))`.execute(trx);
    const found = await contacts.findByExternalId(accountId, userId, trx);
    if (found) return applyToOwnContact(found, input, false, trx, emit);
    const now = nowIso();
    const base = { account_id: accountId, name: input.user?.name?.trim() || null, external_id: userId, metadata: '{}', created_at: now, updated_at: now };
    const email = input.user?.email?.toLowerCase();
    let row = email ? await contacts.insertIfAbsent({ ...base, email }, trx) : undefined;
    row ??= await contacts.insertIfAbsent({ ...base, email: null }, trx);
    if (!row) throw new Error('a contact without an email cannot conflict');
    if (email && row.email !== email) {
      await contacts.update(accountId, row.id, { claimed_email: email }, trx);
      row = { ...row, claimed_email: email };
    }
    emit('contact.created', { contact: presentContact(row) });
    return applyToOwnContact(row, { ...input, user: undefined }, false, trx, emit);
  }

  async function newSession(channel: ChannelRow, contact: ContactRow, verified: boolean, trx: Executor) {
    const { token, hash } = generateVisitorToken();
    const now = Date.now();
    const row: VisitorSessionRow = {
      id: uuidv7(),
      account_id: channel.account_id,
      channel_id: channel.id,
      contact_id: contact.id,
      token_hash: hash,
      verified: verified ? 1 : 0,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: expiryFrom(now),
      revoked_at: null,
    };
    await sessions.insert(row, trx);
    return { token, session: row };
  }

  /** A live session of this token (not ended, not expired), or undefined. */
  async function liveSession(token: string | undefined): Promise<VisitorSessionRow | undefined> {
    if (!token || !isVisitorToken(token)) return undefined;
    const row = await sessions.findByTokenHash(hashVisitorToken(token));
    if (!row || row.revoked_at || Date.parse(row.expires_at) <= Date.now()) return undefined;
    return row;
  }

    /**
   * The visitor a token belongs to, for every widget route but the session's start: 401 when the
   * session has ended or expired or its channel is gone or inactive, 403 for a page of an origin
   * the channel does not allow.
   */
  async function visitor(token: string, origin: string | undefined, parleyHost: string): Promise<Visitor> {
    const session = await liveSession(token);
    const channel = session && (await channels.findById(session.account_id, session.channel_id));
    if (!session || !channel || channel.active !== 1) throw unauthorized('Unknown or ended visitor session');
    const config = widgetConfigOf(parseJsonObject(channel.config));
    if (!originPermitted(config, origin, parleyHost)) throw forbidden('This website is not allowed to use this chat widget');
    const now = Date.now();
    if (now - Date.parse(session.last_seen_at) > TOUCH_INTERVAL_MS) {
      // Bookkeeping only: a failed write must not fail the visitor's request.
      sessions.touch(session.account_id, session.id, new Date(now).toISOString(), expiryFrom(now)).catch(() => {});
    }
    return { session, channel, config };
  }

  return {
    /**
     * The active web_widget channel a public key names (else 401, saying no more), if the calling
     * page's origin may use it (else 403). Checked before anything else a widget request does.
     */
    async channelFor(publicKey: string, origin: string | undefined, parleyHost: string): Promise<WidgetChannel> {
      const channel = await channels.findByPublicKey(publicKey);
      if (!channel || channel.type !== 'web_widget' || channel.active !== 1) throw unauthorized('Unknown or inactive widget key');
      const config = widgetConfigOf(parseJsonObject(channel.config));
      if (!originPermitted(config, origin, parleyHost)) throw forbidden('This website is not allowed to use this chat widget');
      return { channel, config };
    },

    /**
     * Starts or resumes a visitor's session. A token still valid for this channel resumes it (200);
     * otherwise a new session starts (201): for an anonymous visitor with a new guest contact, for
     * a verified user with the contact of that user id, taking over the conversations the same
     * browser had anonymously. A typed email or an unverified `user` is only ever a claim on the
     * visitor's own contact.
     */
    async start({ channel, config }: WidgetChannel, input: StartSessionInput) {
      const user = input.user;
      let verified = false;
      if (config.identity_verification !== 'off' && user?.hash !== undefined) {
        if (!channel.identity_secret || !identityHashMatches(channel.identity_secret, user.id, user.hash)) {
          throw unauthorized('The identity hash does not match this user id');
        }
        verified = true;
      }
      if (config.identity_verification === 'required' && !verified) {
        throw unauthorized('This chat is for signed-in users: boot it with user.id and user.hash');
      }
      const found = await liveSession(input.visitor_token);
      const live = found && found.channel_id === channel.id ? found : undefined;
      const accountId = channel.account_id;

      const result = await eventLog.transaction(accountId, async (trx, emit) => {
        if (verified) {
          const contact = await verifiedContact(accountId, input, trx, emit);
          if (live?.verified === 1 && live.contact_id === contact.id) return { created: false, token: input.visitor_token!, session: live, contact };
          if (live) {
            if (live.verified === 0) {
              // The browser's anonymous history joins the user it now proves to be.
              const moved = await conversationsRepo.moveToContact(accountId, channel.id, live.contact_id, contact.id, nowIso(), trx);
              for (const id of moved) emit('conversation.updated', { conversation: await conversations.presentStored(accountId, id, trx) });
            }
            await sessions.revoke(accountId, live.id, nowIso(), trx);
          }
          return { created: true, ...(await newSession(channel, contact, true, trx)), contact };
        }
        if (live) {
          const current = await contacts.findForUpdate(accountId, { id: live.contact_id }, trx);
          if (current) {
            // A verified visitor's contact is the business's: the page may not rename it.
            const contact = await applyToOwnContact(current, input, live.verified === 0, trx, emit);
            return { created: false, token: input.visitor_token!, session: live, contact };
          }
        }
        const contact = await newGuest(accountId, input, trx, emit);
        return { created: true, ...(await newSession(channel, contact, false, trx)), contact };
      });

      if (!result.created && Date.now() - Date.parse(result.session.last_seen_at) > TOUCH_INTERVAL_MS) {
        const now = Date.now();
        await sessions.touch(accountId, result.session.id, new Date(now).toISOString(), expiryFrom(now));
      }
      const account = await accounts.findAccount(accountId);
      const availability = account
        ? teamAvailability(account)
        : { online: true, next_online_at: null, reply_time: 'hours' as const };
      const { contact } = result;
      return {
        created: result.created,
        view: {
          visitor_token: result.token,
          contact: { id: contact.id, name: contact.name, email: contact.email ?? contact.claimed_email, verified: result.session.verified === 1 },
          widget: {
            title: config.title,
            greeting: config.greeting,
            accent_color: config.accent_color,
            position: config.position,
            locale: config.locale,
            pre_chat: config.pre_chat,
            ...availability,
          },
        },
      };
    },

    visitor,

    /** Ends the session of this token (the site's shutdown: the browser forgets this visitor); 401 when none is live. */
    async end(token: string, origin: string | undefined, parleyHost: string): Promise<void> {
      const { session } = await visitor(token, origin, parleyHost);
      await sessions.revoke(session.account_id, session.id, nowIso());
    },
  };
}

export type WidgetSessions = ReturnType<typeof createWidgetSessions>;
