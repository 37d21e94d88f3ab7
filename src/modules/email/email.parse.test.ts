import { describe, expect, it } from 'vitest';
import { dsn, rawMail } from '../../../test/mail-fixtures.js';
import { automatedReason, cleanSubject, tokenOf } from './email.inbound.js';
import { parseEmail } from './email.parse.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

/** Reading a raw mail: headers, text, files and delivery reports. */
describe('parsing a received mail', () => {
  it('reads the sender, the recipients, the thread headers and the text', async () => {
    const mail = await parseEmail(
      await rawMail({
        from: '"Jane Doe" <Jane@Example.com>',
        to: 'support+abc@shop.example',
        cc: 'Boss <boss@example.com>',
        subject: 'Re: Order',
        text: 'Hello',
        messageId: '<m2@example.com>',
        inReplyTo: '<m1@example.com>',
        references: ['<m0@example.com>', '<m1@example.com>'],
        headers: { 'Delivered-To': 'support@shop.example', 'X-Original-To': 'support+abc@shop.example' },
      }),
    );
    expect(mail).toMatchObject({
      messageId: 'm2@example.com',
      replyTo: ['m1@example.com', 'm0@example.com'],
      from: { address: 'jane@example.com', name: 'Jane Doe' },
      subject: 'Re: Order',
      text: 'Hello',
      bounce: null,
    });
    expect(mail.recipients.sort()).toEqual(['boss@example.com', 'support+abc@shop.example', 'support@shop.example']);
    expect(mail.headers).toContainEqual(['In-Reply-To', '<m1@example.com>']);
  });

  it('gives a mail without a Message-ID a stable one, from its bytes', async () => {
    const raw = crlf(['From: a@example.com', 'To: support@shop.example', 'Subject: x', '', 'no id']);
    const first = await parseEmail(raw);
    expect(first.messageId).toMatch(/^[0-9a-f]{64}@parley\.invalid$/);
    expect((await parseEmail(Buffer.from(raw))).messageId).toBe(first.messageId);
  });

  it('keeps attachments but not the tiny inline images of a signature', async () => {
    const tiny = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const mail = await parseEmail(
      await rawMail({
        from: 'a@example.com',
        to: 'support@shop.example',
        subject: 'Files',
        text: 'See attached.',
        html: '<p>See attached.</p><p>--<br><img src="cid:logo@sig"></p>',
        attachments: [
          { filename: 'logo.png', content: tiny, contentType: 'image/png', cid: 'logo@sig' },
          { filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4 …'), contentType: 'application/pdf' },
        ],
      }),
    );
    expect(mail.text).toBe('See attached.');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
  });

  it('recognises a delivery status notification and the mail it returns', async () => {
    const failed = await parseEmail(dsn({ to: 'support@shop.example', returnedMessageId: 'sent-1@shop.example' }));
    expect(failed.bounce).toEqual({ messageId: 'sent-1@shop.example', failed: true, diagnostic: expect.stringContaining('550 5.1.1') });
    const delayed = await parseEmail(dsn({ to: 'support@shop.example', returnedMessageId: 'sent-2@shop.example', action: 'delayed', status: '4.4.1', diagnostic: 'smtp; 451 try later' }));
    expect(delayed.bounce).toMatchObject({ messageId: 'sent-2@shop.example', failed: false });
    // A mailer daemon's returned mail without a machine-readable report: the copy names the mail.
    const plain = crlf([
      'From: MAILER-DAEMON@mx.example',
      'To: support@shop.example',
      'Subject: Returned mail',
      'Message-ID: <ret@mx.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--b',
      'Content-Type: message/rfc822',
      '',
      'From: support@shop.example',
      'To: gone@example.com',
      'Message-ID: <sent-3@shop.example>',
      '',
      'Our reply',
      '--b--',
      '',
    ]);
    expect((await parseEmail(plain)).bounce).toMatchObject({ messageId: 'sent-3@shop.example', failed: true });
  });

  it('refuses what is not a mail', async () => {
    await expect(parseEmail(Buffer.alloc(0))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(parseEmail(Buffer.from('hello'))).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { from: ['is missing'] } });
  });
});

describe("a mail's threading and loop signs", () => {
  it('cleans reply and forward prefixes off a subject', () => {
    expect(cleanSubject('Re: RE: Fwd: AW: WG: SV: Order 12')).toBe('Order 12');
    expect(cleanSubject('Re[2]: Order')).toBe('Order');
    expect(cleanSubject('Return policy')).toBe('Return policy');
    expect(cleanSubject(null)).toBe('');
  });

  it('reads the +token of a reply address of the channel only', () => {
    expect(tokenOf('support+abc123@shop.example', 'support@shop.example')).toBe('abc123');
    expect(tokenOf('SUPPORT+ABC123@Shop.Example', 'support@shop.example')).toBe('abc123');
    expect(tokenOf('sales+abc123@shop.example', 'support@shop.example')).toBeNull();
    expect(tokenOf('support+abc123@other.example', 'support@shop.example')).toBeNull();
    expect(tokenOf('support@shop.example', 'support@shop.example')).toBeNull();
  });

  it('tells machines from people', async () => {
    const base = { from: 'Jane <jane@example.com>', to: 'support@shop.example', subject: 'x', text: 'y' };
    const reasonOf = async (extra: Record<string, unknown>) => automatedReason(await parseEmail(await rawMail({ ...base, ...extra })));
    expect(await reasonOf({})).toBeNull();
    expect(await reasonOf({ headers: { 'Auto-Submitted': 'no' } })).toBeNull();
    expect(await reasonOf({ headers: { 'Auto-Submitted': 'auto-generated' } })).toMatch(/Auto-Submitted/);
    expect(await reasonOf({ headers: { Precedence: 'junk' } })).toMatch(/Precedence/);
    expect(await reasonOf({ headers: { 'List-Id': '<news.example.com>' } })).toBe('List-Id');
    expect(await reasonOf({ headers: { 'X-Autorespond': 'yes' } })).toBe('X-Autoreply');
    expect(await reasonOf({ from: 'postmaster@example.com' })).toMatch(/postmaster/);
    expect(await reasonOf({ from: 'noreply@example.com' })).toMatch(/noreply/);
  });
});
