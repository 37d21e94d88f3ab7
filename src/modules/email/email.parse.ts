import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { badRequest } from '../../shared/errors/errors.js';

/** A file that came with a mail. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What a delivery status notification says of the mail it returns. */
export interface Bounce {
  /** The Message-ID of the returned mail (without angle brackets), from its embedded copy or headers. */
  messageId: string | null;
  /** True when a recipient failed for good (not a delay or a success notice). */
  failed: boolean;
  /** The server's words: the Diagnostic-Code, else the Status, else a plain sentence. */
  diagnostic: string;
}

/** A received mail, as the rest of Parley needs it. */
export interface ParsedEmail {
  /** Without angle brackets; derived from the raw bytes when the mail has none, so it stays the same. */
  messageId: string;
  /** In-Reply-To then References, newest first, without angle brackets. */
  replyTo: string[];
  from: { address: string; name: string | null } | null;
  /** Every address the mail was sent to (To, Cc, Delivered-To, X-Original-To), lower-cased. */
  recipients: string[];
  subject: string | null;
  date: string | null;
  /** The headers that tell a machine's mail from a person's. */
  autoSubmitted: string | null;
  precedence: string | null;
  listId: string | null;
  returnPath: string | null;
  /** X-Autoreply / X-Autorespond present. */
  autoReplyHeader: boolean;
  /** The plain text (from the HTML when the mail has no plain text part). */
  text: string;
  attachments: MailAttachment[];
  /** Set for a delivery status notification (a bounce). */
  bounce: Bounce | null;
  /** Every header as received, unfolded: [[name, value], …]. */
  headers: Array<[string, string]>;
}

/**
 * Inline images at most this big that the HTML refers to by `cid:` are a signature's logo or a
 * social icon, not something the customer sends: they are left out.
 */
const SIGNATURE_IMAGE_MAX_BYTES = 16 * 1024;

const MSG_ID = /<([^<>\s]+)>/g;

/** The msg-ids of a header value (In-Reply-To, References), without angle brackets. */
export function messageIdsOf(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const v of values) {
    const found = [...v.matchAll(MSG_ID)].map((m) => m[1]);
    // A bare id without brackets (some clients write them so).
    if (found.length === 0 && v.trim() !== '' && !/\s/.test(v.trim())) found.push(v.trim());
    ids.push(...found);
  }
  return ids;
}

/** A Message-ID without its angle brackets. */
export function bareMessageId(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1).trim() : trimmed;
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const out: Array<{ address: string; name: string }> = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address) out.push({ address: entry.address, name: entry.name });
    }
  };
  for (const object of value === undefined ? [] : Array.isArray(value) ? value : [value]) walk(object.value);
  return out;
}

/** Unfolded header lines as [name, value], the names as written. */
function headerPairs(parsed: ParsedMail): Array<[string, string]> {
  return parsed.headerLines.map((h) => {
    const line = h.line.replace(/\r?\n[ \t]+/g, ' ');
    const colon = line.indexOf(':');
    return colon < 0 ? [h.key, ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}

/** The fields of a message/delivery-status part: blocks of `Name: value` lines. */
function deliveryStatusFields(content: string): Array<Map<string, string>> {
  const blocks: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  let last: string | null = null;
  for (const line of content.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
      last = null;
    } else if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) {
        last = line.slice(0, colon).trim().toLowerCase();
        current.set(last, line.slice(colon + 1).trim());
      }
    }
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

const isMailerDaemon = (address: string | undefined) => /^(mailer-daemon|postmaster)@/i.test(address ?? '');

/**
 * A delivery status notification: `multipart/report; report-type=delivery-status` (RFC 3464), or a
 * mailer daemon's mail returning a copy of what it could not deliver. The returned mail's
 * Message-ID is read from its embedded copy (message/rfc822) or headers (text/rfc822-headers).
 */
async function bounceOf(parsed: ParsedMail, from: string | undefined): Promise<Bounce | null> {
  const type = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const report = type?.value?.toLowerCase() === 'multipart/report' && (type.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
  const status = parsed.attachments.find((a) => a.contentType === 'message/delivery-status');
  const original = parsed.attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers');
  if (!report && !(isMailerDaemon(from) && (status || original))) return null;
  let messageId: string | null = null;
  if (original) {
    try {
      const embedded = await simpleParser(original.content, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
      messageId = embedded.messageId ? bareMessageId(embedded.messageId) : null;
    } catch {
      messageId = null;
    }
  }
  const recipients = status ? deliveryStatusFields(status.content.toString('utf8')).filter((b) => b.has('action') || b.has('status')) : [];
  const failedOne = recipients.find((b) => (b.get('action') ?? '').toLowerCase() === 'failed' || (b.get('status') ?? '').startsWith('5'));
  // Without a machine-readable status, a mailer daemon's returned mail is taken as a failure.
  const failed = status ? failedOne !== undefined : true;
  const described = failedOne ?? recipients[0];
  const diagnostic = described?.get('diagnostic-code') ?? (described?.get('status') ? `status ${described.get('status')}` : 'the mail could not be delivered');
  return { messageId, failed, diagnostic: diagnostic.slice(0, 500) };
}

/** Attachments worth keeping: not the parts of a delivery report, not a signature's tiny inline images. */
function keptAttachments(attachments: Attachment[]): MailAttachment[] {
  return attachments
    .filter((a) => !['message/delivery-status', 'text/rfc822-headers'].includes(a.contentType))
    .filter((a) => !(a.related && a.contentType.startsWith('image/') && a.size <= SIGNATURE_IMAGE_MAX_BYTES))
    .map((a, i) => ({
      filename: a.filename?.trim() || (a.contentType === 'message/rfc822' ? `message-${i + 1}.eml` : `attachment-${i + 1}`),
      contentType: a.contentType,
      content: a.content,
    }));
}

/**
 * Parses a raw mail (RFC 5322, MIME) with mailparser. 400 when the bytes are not a mail at all
 * (empty, no header, no From address).
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  if (raw.length === 0) throw badRequest('The mail is empty');
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipTextToHtml: true, skipImageLinks: false });
  } catch {
    throw badRequest('The body is not a mail that can be read (RFC 5322 / MIME)');
  }
  const headers = headerPairs(parsed);
  const first = (name: string): string | null => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
  const from = addressesOf(parsed.from)[0];
  if (!from) throw badRequest('The mail has no From address', { from: ['is missing'] });
  const messageId = parsed.messageId ? bareMessageId(parsed.messageId) : `${createHash('sha256').update(raw).digest('hex')}@parley.invalid`;
  const replyTo = [...messageIdsOf(parsed.inReplyTo), ...messageIdsOf(parsed.references).reverse()];
  const recipients = [
    ...addressesOf(parsed.to),
    ...addressesOf(parsed.cc),
    ...addressesOf(parsed.headers.get('delivered-to') as AddressObject | undefined),
  ].map((a) => a.address);
  for (const name of ['x-original-to', 'envelope-to']) {
    for (const [n, v] of headers) if (n.toLowerCase() === name) recipients.push(bareMessageId(v));
  }
  return {
    messageId,
    replyTo: [...new Set(replyTo)],
    from: { address: from.address.toLowerCase(), name: from.name.trim() || null },
    recipients: [...new Set(recipients.map((r) => r.toLowerCase()))],
    subject: parsed.subject?.trim() || null,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null,
    autoSubmitted: first('auto-submitted'),
    precedence: first('precedence'),
    listId: first('list-id'),
    returnPath: first('return-path'),
    autoReplyHeader: first('x-autoreply') !== null || first('x-autorespond') !== null,
    text: (parsed.text ?? '').replace(/\r\n/g, '\n').trim(),
    attachments: keptAttachments(parsed.attachments),
    bounce: await bounceOf(parsed, from.address),
    headers,
  };
}
