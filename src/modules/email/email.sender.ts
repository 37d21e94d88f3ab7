import { createHash, randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Selectable } from 'kysely';
import type { AttachmentsTable } from '../../shared/db/schema.js';
import { isAppError } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { nowIso } from '../../shared/time.js';
import { PermanentSendError, type OutboundMessage, type SentMessage } from '../channels/channels.adapters.js';
import { domainOf, emailConfigOf, replyAddress, withoutSecrets, type EmailConfig, type MailServer } from './email.config.js';
import { renderEmailHtml } from './email.render.js';
import type { EmailRepository, EmailThreadRow } from './email.repository.js';

/** How many earlier Message-IDs a reply's References carries: enough to thread, bounded. */
const REFERENCES_LIMIT = 10;
/** A mail server must connect, greet and answer each command within this time. */
const TIMEOUT_MS = 15_000;

export interface EmailSenderDeps {
  email: EmailRepository;
  /** The bytes of an operator's attachment (the attachment store). */
  readAttachment: (row: Selectable<AttachmentsTable>) => Promise<Buffer>;
}

/** A thread's `+token`: 20 characters of [a-z0-9]. */
export function newThreadToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** `Re: <subject>`, without piling up prefixes. */
export function replySubject(subject: string): string {
  const s = subject.trim() || 'Your message';
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}

const sameAddress = (a: string | null | undefined, b: string) => !!a && a.trim().toLowerCase() === b.toLowerCase();

/**
 * Who a reply goes to: the address the thread was started from, else the contact's email; never
 * the channel's own address (a loop). None → the delivery fails at once.
 */
function recipientOf(thread: EmailThreadRow | undefined, outbound: OutboundMessage, config: EmailConfig): string {
  const candidates = [thread?.contact_address, outbound.contact?.email];
  const to = candidates.find((a) => a && a.trim() !== '' && !sameAddress(a, config.address));
  if (!to) throw new PermanentSendError('the contact has no email address');
  return to.trim();
}

/**
 * The name a reply is sent as: an operator's first name and the workspace ("Ana from Acme"), the
 * channel's from_name (else the workspace's name) for the agent, automations and integrations.
 */
function senderName(outbound: OutboundMessage, config: EmailConfig): string {
  const { message, workspaceName } = outbound;
  const first = message.author_name?.trim().split(/\s+/)[0];
  if (message.role === 'operator' && message.author_type === 'member' && first) return `${first} from ${workspaceName}`;
  return config.from_name ?? workspaceName;
}

/** Written by no person (the agent, an automation): marked so that auto-responders stay quiet (RFC 3834). */
const isAutomatic = (outbound: OutboundMessage) =>
  outbound.message.role === 'assistant' || outbound.message.author_type === 'agent' || outbound.message.author_type === 'system';

/** A refusal that trying again will not change: the server refused the recipient or the mail itself. */
function isPermanent(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  return (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && typeof e.responseCode === 'number' && e.responseCode >= 500;
}

/**
 * Sends an email channel's replies by SMTP, as replies in the conversation's email thread: From the
 * channel's address, To the contact, `Re:` the thread's subject, In-Reply-To and References from
 * the thread's mails, a Message-ID of its own (stored, so the customer's answer threads back), and
 * Reply-To the thread's `+token` address. One transport per channel and config, kept until the
 * config changes or the sender is closed.
 */
export function createEmailSender({ email, readAttachment }: EmailSenderDeps) {
  const transports = new Map<string, { key: string; transport: Transporter<SMTPTransport.SentMessageInfo> }>();

  function transportOf(channelId: string, smtp: MailServer): Transporter<SMTPTransport.SentMessageInfo> {
    const key = JSON.stringify([smtp.host, smtp.port, smtp.secure, smtp.user, smtp.password]);
    const cached = transports.get(channelId);
    if (cached?.key === key) return cached.transport;
    cached?.transport.close();
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      // Connections are kept and reused (each closes after 15 s idle): a mail server's greeting
      // can be held back on purpose (100 ms and more against early talkers), and a burst of
      // replies should wait for it once per connection, not once per mail.
      pool: true,
      maxConnections: 3,
      maxMessages: 100,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
      // Never into the application's log: its debug output would carry the login.
      logger: false,
      debug: false,
    });
    transports.set(channelId, { key, transport });
    return transport;
  }

  /** A file's bytes; a file the store has lost fails the delivery at once (it will not come back). */
  async function bytesOf(row: Selectable<AttachmentsTable>): Promise<Buffer> {
    try {
      return await readAttachment(row);
    } catch (err) {
      if (isAppError(err) && err.code === 'NOT_FOUND') throw new PermanentSendError(`the attachment ${row.filename} is missing`);
      throw err;
    }
  }

  async function threadOf(outbound: OutboundMessage, config: EmailConfig): Promise<EmailThreadRow> {
    const { channel, conversation, contact } = outbound;
    const existing = await email.threadOf(channel.account_id, conversation.id);
    if (existing) return existing;
    const address = contact?.email && !sameAddress(contact.email, config.address) ? contact.email : null;
    return email.ensureThread({
      conversation_id: conversation.id,
      account_id: channel.account_id,
      channel_id: channel.id,
      token: newThreadToken(),
      subject: conversation.title?.trim() || 'Your message',
      contact_address: address,
      created_at: nowIso(),
    });
  }

  return {
    async send(outbound: OutboundMessage): Promise<SentMessage> {
      const { channel, conversation, message } = outbound;
      const config = emailConfigOf(channel);
      const thread = await threadOf(outbound, config);
      const to = recipientOf(thread, outbound, config);
      // The same for every attempt at this message: a mail that went out just before a crash, and
      // goes again after it, is one message to the customer's mail client (it drops the copy).
      const messageId = `${createHash('sha256').update(`${channel.account_id}:${message.id}`).digest('hex').slice(0, 32)}@${domainOf(config.address)}`;
      const earlier = (await email.recentMessageIds(channel.account_id, channel.id, conversation.id, REFERENCES_LIMIT)).filter((id) => id !== messageId);
      const subject = replySubject(thread.subject);
      const from = { name: senderName(outbound, config), address: config.address };
      const replyTo = replyAddress(config.address, thread.token);
      const automatic = isAutomatic(outbound);
      const attachments = await Promise.all(
        outbound.attachments.map(async (a) => ({ filename: a.filename, contentType: a.content_type, content: await bytesOf(a) })),
      );
      const headers: Array<[string, string]> = [
        ['From', `"${from.name.replace(/["\\]/g, '')}" <${from.address}>`],
        ['To', to],
        ['Subject', subject],
        ['Message-ID', `<${messageId}>`],
        ['Reply-To', replyTo],
      ];
      if (earlier.length > 0) {
        headers.push(['In-Reply-To', `<${earlier[earlier.length - 1]}>`]);
        headers.push(['References', earlier.map((id) => `<${id}>`).join(' ')]);
      }
      if (automatic) headers.push(['Auto-Submitted', 'auto-replied']);
      try {
        await transportOf(channel.id, config.smtp).sendMail({
          from,
          to,
          subject,
          messageId: `<${messageId}>`,
          replyTo,
          inReplyTo: earlier.length > 0 ? `<${earlier[earlier.length - 1]}>` : undefined,
          references: earlier.length > 0 ? earlier.map((id) => `<${id}>`) : undefined,
          headers: automatic ? { 'Auto-Submitted': 'auto-replied' } : undefined,
          text: message.content,
          html: renderEmailHtml(message.content),
          attachments,
          envelope: { from: config.address, to },
        });
      } catch (err) {
        const reason = withoutSecrets(err instanceof Error ? err.message : String(err), config);
        throw isPermanent(err) ? new PermanentSendError(reason) : new Error(reason);
      }
      await email.insertMessage({
        id: uuidv7(),
        account_id: channel.account_id,
        channel_id: channel.id,
        conversation_id: conversation.id,
        message_id: message.id,
        direction: 'out',
        message_id_header: messageId,
        subject,
        from_address: config.address,
        headers: JSON.stringify(headers),
        original_text: message.content,
        disposition: 'sent',
        created_at: nowIso(),
      });
      return { externalId: messageId };
    },

    async close(): Promise<void> {
      for (const { transport } of transports.values()) transport.close();
      transports.clear();
    },
  };
}

export type EmailSender = ReturnType<typeof createEmailSender>;
