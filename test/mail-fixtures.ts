import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';

/** A raw mail (RFC 5322 bytes) as a mail client would send it, built by nodemailer's composer. */
export async function rawMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ date: new Date(), ...options }).compile().build();
}

/**
 * A delivery status notification (RFC 3464) as a mail server sends it when it cannot deliver: a
 * human part, the machine-readable status and the returned mail's headers.
 */
export function dsn({
  to,
  returnedMessageId,
  messageId = `<dsn-${Math.random().toString(36).slice(2)}@mx.example>`,
  action = 'failed',
  status = '5.1.1',
  diagnostic = 'smtp; 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown',
}: {
  to: string;
  returnedMessageId: string;
  messageId?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
}): Buffer {
  const lines = [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${messageId}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_report"',
    '',
    '--=_report',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'This is the mail system at host mx.example.',
    "I'm sorry to have to inform you that your message could not be delivered.",
    '',
    '--=_report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example',
    '',
    'Final-Recipient: rfc822; nobody@example.com',
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: ${diagnostic}`,
    '',
    '--=_report',
    'Content-Type: text/rfc822-headers',
    '',
    `From: Support <${to}>`,
    'To: nobody@example.com',
    'Subject: Re: Your order',
    `Message-ID: <${returnedMessageId}>`,
    '',
    '--=_report--',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
