import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { isPostgres, type Executor } from '../../shared/db/database.js';
import type { EmailMessagesTable } from '../../shared/db/schema.js';
import { uuidv7 } from '../../shared/ids.js';
import { parseJsonObject } from '../../shared/json/json.js';
import { nowIso } from '../../shared/time.js';
import { isAppError } from '../../shared/errors/errors.js';
import type { ChannelReceiver, InboundTarget } from '../channels/channels.receive.js';
import type { ChannelRow } from '../channels/channels.repository.js';
import type { EventLog } from '../events/events.log.js';
import type { Within } from '../messages/messages.usecases.js';
import type { EmailInboundRepository } from './email.inbound.repository.js';
import { parseEmail, type MailAttachment, type ParsedEmail } from './email.parse.js';
import { stripQuotes } from './email.quotes.js';
import type { EmailRepository } from './email.repository.js';

/** At most this many AI replies per contact per hour on email channels; more mail is stored unanswered. */
export const AI_REPLIES_PER_HOUR = 5;
/** The longest text kept as a message (a mail's quoted history can be huge; the original stays whole). */
const MAX_CONTENT = 20_000;

export type ReceiveStatus = 'imported' | 'duplicate' | 'no_reply' | 'bounce' | 'rate_limited';

export interface ReceiveResult {
  status: ReceiveStatus;
  conversation_id?: string;
  message_id?: number;
}

/** How a received mail's files are stored (the attachments use cases). */
export interface InboundFiles {
  saveFile(
    input: { accountId: string; conversationId: string; filename: string; bytes: Buffer; uploadedBy: string | null; declaredType?: string },
    executor?: Executor,
  ): Promise<{ id: string; storage_key: string }>;
  /** Removes stored bytes whose rows were never committed. */
  removeStored(keys: string[]): Promise<void>;
}

/** How a bounce marks the returned message's delivery failed (the channel outbox). */
export interface InboundOutbox {
  failDelivery(accountId: string, messageId: number, reason: string): Promise<boolean>;
}

/** "Re: Fwd: AW: Order 1234" → "Order 1234". */
export function cleanSubject(subject: string | null): string {
  let s = (subject ?? '').trim();
  for (;;) {
    const next = s.replace(/^(re|fwd?|aw|sv|vs|wg|tr|rv|antw|odp|r)\s*(\[\d+\])?\s*:\s*/i, '').trim();
    if (next === s) break;
    s = next;
  }
  return s.slice(0, 200);
}

/** A thread's `+token`: 20 characters of [a-z0-9]. */
function newToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let token = '';
  while (token.length < 20) {
    for (const byte of randomBytes(32)) {
      // 252 = 7 × 36: bytes above it would favour the first letters.
      if (byte < 252 && token.length < 20) token += alphabet[byte % 36];
    }
  }
  return token;
}

/** The `+token` of a recipient `local+token@domain` for the channel's `local@domain`, or null. */
export function tokenOf(recipient: string, channelAddress: string): string | null {
  const at = channelAddress.lastIndexOf('@');
  const rat = recipient.lastIndexOf('@');
  if (at < 0 || rat < 0 || recipient.slice(rat).toLowerCase() !== channelAddress.slice(at).toLowerCase()) return null;
  const local = recipient.slice(0, rat).toLowerCase();
  const prefix = `${channelAddress.slice(0, at).toLowerCase()}+`;
  const token = local.startsWith(prefix) ? local.slice(prefix.length) : '';
  return /^[a-z0-9]{1,64}$/.test(token) ? token : null;
}

/**
 * Why a mail must not be answered by the AI (it is still stored, so the team sees it): sent by a
 * machine (Auto-Submitted other than `no`, Precedence bulk/junk/list, a List-Id, X-Autoreply or
 * X-Autorespond, an empty Return-Path), or from a mailer daemon, postmaster or no-reply address.
 * Null for a person's mail.
 */
export function automatedReason(mail: ParsedEmail): string | null {
  const auto = mail.autoSubmitted?.toLowerCase().split(';')[0].trim();
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  const precedence = mail.precedence?.toLowerCase().trim();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`;
  if (mail.listId) return 'List-Id';
  if (mail.autoReplyHeader) return 'X-Autoreply';
  if (mail.returnPath !== null && mail.returnPath.replace(/\s/g, '') === '<>') return 'empty Return-Path';
  const local = mail.from?.address.split('@')[0] ?? '';
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)(\+.*)?$/i.test(local)) return `from ${local}`;
  return null;
}

/**
 * Mail received in an email channel (by IMAP or forwarded to the raw-mail route) becomes a
 * contact's message, through the channel receive use case. Each mail is imported once: its row in
 * `email_messages` (unique per channel and Message-ID) is inserted first, in the same transaction
 * as the message, so of two processes receiving the same mail at once the second waits for the
 * first to commit and then finds the row there ('duplicate'); if the first rolls back or dies, the
 * row goes with it and the mail can be received again. Nothing is ever half-imported.
 */
export function createEmailInbound({
  eventLog,
  receiver,
  email,
  inbound,
  files,
  outbox,
}: {
  eventLog: EventLog;
  receiver: ChannelReceiver;
  email: EmailRepository;
  inbound: EmailInboundRepository;
  /** Where the mail's files are stored; without it they are named in the text instead. */
  files?: InboundFiles;
  /** Where a bounce marks the returned message's delivery failed. */
  outbox?: InboundOutbox;
}) {
  /** The conversation a mail continues: by In-Reply-To/References in this channel, else by `+token`; else a new one. */
  async function threadTarget(channel: ChannelRow, address: string, mail: ParsedEmail, trx: Executor): Promise<InboundTarget> {
    const accountId = channel.account_id;
    const candidates: string[] = [];
    if (mail.replyTo.length > 0) {
      const known = await email.findByMessageIds(accountId, channel.id, mail.replyTo, trx);
      for (const id of mail.replyTo) {
        for (const k of known) if (k.message_id_header === id && k.conversation_id !== null) candidates.push(k.conversation_id);
      }
    }
    for (const recipient of mail.recipients) {
      const token = tokenOf(recipient, address);
      const thread = token && (await email.threadByToken(accountId, channel.id, token, trx));
      if (thread) candidates.push(thread.conversation_id);
    }
    // The first that still exists: a deleted conversation leaves its mails and thread behind.
    const existing = await inbound.existingConversations(accountId, [...new Set(candidates)], trx);
    const found = candidates.find((id) => existing.has(id));
    return found ? { conversationId: found } : { open: { title: cleanSubject(mail.subject) || '(no subject)' } };
  }

  /** Stores the mail's files on the conversation; a file refused (too large) is named in the text instead. */
  async function saveAttachments(accountId: string, conversationId: string, attachments: MailAttachment[], trx: Executor, stored: string[]) {
        const ids: string[] = [];
    const refused: string[] = [];
    if (!files) return { ids, refused: attachments.map((a) => a.filename) };
    for (const a of attachments.slice(0, 10)) {
      try {
        const row = await files.saveFile({ accountId, conversationId, filename: a.filename, bytes: a.content, uploadedBy: null, declaredType: a.contentType }, trx);
        ids.push(row.id);
        stored.push(row.storage_key);
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err;
        refused.push(a.filename);
      }
    }
    refused.push(...attachments.slice(10).map((a) => a.filename));
    return { ids, refused };
  }

  /** Serialises the hourly cap of one contact across processes (PostgreSQL; SQLite has one writer). */
  async function lockContactCap(accountId: string, contactId: number, trx: Executor): Promise<void> {
    if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${`email-cap:${accountId}:${contactId}`}))`.execute(trx);
  }

  /** The mail's row in email_messages: inserted first, so the same Message-ID is stored once. */
  function rowOf(channel: ChannelRow, mail: ParsedEmail, disposition: string, conversationId: string | null = null): EmailMessagesTable {
    return {
      id: uuidv7(),
      account_id: channel.account_id,
      channel_id: channel.id,
      conversation_id: conversationId,
      message_id: null,
      direction: 'in',
      message_id_header: mail.messageId,
      subject: mail.subject,
      from_address: mail.from?.address ?? null,
      headers: JSON.stringify(mail.headers),
      original_text: mail.text || null,
      disposition,
      created_at: nowIso(),
    };
  }

  async function receiveBounce(channel: ChannelRow, mail: ParsedEmail): Promise<ReceiveResult> {
    const accountId = channel.account_id;
    const bounce = mail.bounce!;
    if ((await email.findByMessageIds(accountId, channel.id, [mail.messageId])).length > 0) return { status: 'duplicate' };
    const [returned] = bounce.messageId ? (await email.findByMessageIds(accountId, channel.id, [bounce.messageId])).filter((r) => r.direction === 'out') : [];
    // The delivery is failed before the bounce is recorded: if this stops in between, the bounce is
    // received again and failing an already failed delivery changes nothing.
    if (bounce.failed && returned?.message_id != null && outbox) {
      await outbox.failDelivery(accountId, returned.message_id, `bounced: ${bounce.diagnostic}`);
    }
    if (!(await email.insertMessage(rowOf(channel, mail, 'bounce', returned?.conversation_id ?? null)))) return { status: 'duplicate' };
    return { status: 'bounce', ...(returned?.conversation_id ? { conversation_id: returned.conversation_id } : {}) };
  }

  async function receive(channel: ChannelRow, mail: ParsedEmail): Promise<ReceiveResult> {
    const accountId = channel.account_id;
    const address = String(parseJsonObject(channel.config).address ?? '').toLowerCase();
    const from = mail.from!;
    // The channel's own mail coming back (a loop, or our own reply copied to the mailbox): kept, never posted.
    if (address !== '' && from.address === address) {
      return (await email.insertMessage(rowOf(channel, mail, 'no_reply'))) ? { status: 'no_reply' } : { status: 'duplicate' };
    }
    if (mail.bounce) return receiveBounce(channel, mail);
    // Already here (the usual case of a mail fetched again): answered without a write.
    if ((await email.findByMessageIds(accountId, channel.id, [mail.messageId])).length > 0) return { status: 'duplicate' };
    const automated = automatedReason(mail);
    // The files' bytes are stored before their rows commit: if the import fails, they are removed.
    const stored: string[] = [];
    try {
      return await importMail(channel, mail, address, automated, stored);
    } catch (err) {
      if (stored.length > 0) await files?.removeStored(stored).catch(() => {});
      throw err;
    }
  }

  async function importMail(channel: ChannelRow, mail: ParsedEmail, address: string, automated: string | null, stored: string[]): Promise<ReceiveResult> {
    const accountId = channel.account_id;
    const from = mail.from!;
    return eventLog.transaction(
      accountId,
      async (trx, emit): Promise<ReceiveResult> => {
        const row = rowOf(channel, mail, 'imported');
        // First, so that a second receipt of this mail waits here for this one's commit (PostgreSQL).
        if (!(await email.insertMessage(row, trx))) return { status: 'duplicate' };
        const within: Within = { trx, emit };
        let disposition: ReceiveStatus = 'imported';
        const received = await receiver.receiveIn(within, {
          channel,
          source: 'email',
          from: { email: from.address, name: from.name },
          target: () => threadTarget(channel, address, mail, trx),
          message: async ({ contact, conversationId }) => {
            const { ids, refused } = await saveAttachments(accountId, conversationId, mail.attachments, trx, stored);
            let text = stripQuotes(mail.text);
            if (text.length > MAX_CONTENT) text = `${text.slice(0, MAX_CONTENT)}\n[…]`;
            if (refused.length > 0) text = `${text}\n\n(Not kept: ${refused.join(', ')})`.trim();
            if (text === '') text = ids.length > 0 ? '' : cleanSubject(mail.subject) || '(empty mail)';
            if (automated) {
              disposition = 'no_reply';
            } else {
              await lockContactCap(accountId, contact.id, trx);
              const since = new Date(Date.now() - 3_600_000).toISOString();
              if ((await inbound.aiRepliesSince(accountId, contact.id, since, trx)) >= AI_REPLIES_PER_HOUR) disposition = 'rate_limited';
            }
            return { content: text, attachmentIds: ids, reply: disposition === 'imported' };
          },
        });
        const thread = await email.threadOf(accountId, received.conversationId, trx);
        if (!thread) {
          await email.insertThread(
            {
              conversation_id: received.conversationId,
              account_id: accountId,
              channel_id: channel.id,
              token: newToken(),
              subject: cleanSubject(mail.subject) || '(no subject)',
              contact_address: from.address,
              created_at: nowIso(),
            },
            trx,
          );
        }
        const messageId = received.posted.userMessage.id;
        await inbound.settle(accountId, row.id, { conversation_id: received.conversationId, message_id: messageId, disposition }, trx);
        return { status: disposition, conversation_id: received.conversationId, message_id: messageId };
      },
      'email',
    );
  }

  return {
    /**
     * Imports one raw mail received in an email channel, by IMAP or the forwarding route (`via`:
     * both give the same result for the same mail). Idempotent by Message-ID; 400 when the bytes
     * are not a mail.
     */
    async receiveRaw(channel: ChannelRow, raw: Buffer, _via: 'imap' | 'forward'): Promise<ReceiveResult> {
      const mail = await parseEmail(raw);
      return receive(channel, mail);
    },
  };
}

export type EmailInbound = ReturnType<typeof createEmailInbound>;
