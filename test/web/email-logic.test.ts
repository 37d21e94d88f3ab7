import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api/errors.ts';
import { fileSize, isQueued, isRasterImage, uploadProblem } from '../../web/src/inbox/attachments.ts';
import { emailConfigOf, emailDirty, emailDraftOf, inboundUrl, passwordNeededAgain, withSecure } from '../../web/src/admin/email/email-draft.ts';

describe('files on messages', () => {
  it('shows only raster pictures inline, never SVG or PDF', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'IMAGE/PNG']) expect(isRasterImage({ content_type: type })).toBe(true);
    for (const type of ['image/svg+xml', 'application/pdf', 'text/html', 'application/octet-stream']) expect(isRasterImage({ content_type: type })).toBe(false);
  });

  it('says a size as file managers do', () => {
    expect(fileSize(0)).toBe('0 B');
    expect(fileSize(1023)).toBe('1023 B');
    expect(fileSize(1024)).toBe('1 KB');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(230 * 1024)).toBe('230 KB');
    expect(fileSize(25 * 1024 * 1024)).toBe('25 MB');
    expect(fileSize(3.45 * 1024 * 1024)).toBe('3.5 MB');
  });

  it('names the file and the limit when an upload is too large', () => {
    expect(uploadProblem('file.pdf', new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The file is larger than the limit of 25 MB', { max_bytes: 25 * 1024 * 1024 }))).toBe('file.pdf is larger than 25 MB');
    expect(uploadProblem('file.pdf', new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The file is larger than the limit of 25 MB'))).toBe('file.pdf is larger than 25 MB');
    expect(uploadProblem('file.pdf', new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Too big'))).toBe('file.pdf is too large to attach');
    expect(uploadProblem('a.txt', new ApiError(422, 'UNPROCESSABLE_ENTITY', 'Conversation has ended.'))).toBe('a.txt could not be attached: Conversation has ended');
    expect(uploadProblem('a.txt', new ApiError(0, 'NETWORK', 'offline'))).toBe('a.txt could not be uploaded: Parley could not be reached');
  });

  it('knows a message still on its way out', () => {
    expect(isQueued({ delivery: { status: 'queued', error: null, attempts: 0, sent_at: null } })).toBe(true);
    expect(isQueued({ delivery: { status: 'sent', error: null, attempts: 1, sent_at: '2026-12-07T10:00:00Z' } })).toBe(false);
    expect(isQueued({ delivery: null })).toBe(false);
  });
});

describe('the email channel form', () => {
  const stored = {
    name: 'Support mail',
    default_team_id: null,
    config: {
      address: 'support@shop.example',
      from_name: null,
      smtp: { host: 'smtp.shop.example', port: 465, secure: true, user: 'support', password_set: true },
      imap: null,
    },
  };

  it('starts a new channel with secure defaults and no IMAP', () => {
    const d = emailDraftOf(null, 'Mail', 'team-1');
    expect(d).toMatchObject({ name: 'Mail', default_team_id: 'team-1', address: '', imapOn: false });
    expect(d.smtp).toEqual({ host: '', port: '465', secure: true, user: '', password: '', passwordSet: false });
    expect(d.imap).toMatchObject({ port: '993', secure: true, mailbox: 'INBOX' });
  });

  it('leaves a stored password out unless one is typed, so it is kept', () => {
    const d = emailDraftOf(stored);
    expect(d.smtp.password).toBe('');
    expect(d.smtp.passwordSet).toBe(true);
    expect(emailConfigOf(d)).toEqual({ address: 'support@shop.example', agent_id: null, smtp: { host: 'smtp.shop.example', port: 465, secure: true, user: 'support' } });
    expect(emailConfigOf({ ...d, smtp: { ...d.smtp, password: 'new secret' } }).smtp).toMatchObject({ password: 'new secret' });
    // No user: no login, so no password either.
    expect(emailConfigOf({ ...d, smtp: { ...d.smtp, user: '' } }).smtp).toEqual({ host: 'smtp.shop.example', port: 465, secure: true, password: '' });
  });

  it('names the answering agent, or none for the first active one', () => {
    expect(emailDraftOf({ ...stored, config: { ...stored.config, agent_id: 'a-1' } }).agent_id).toBe('a-1');
    expect(emailConfigOf({ ...emailDraftOf(stored), agent_id: 'a-2' }).agent_id).toBe('a-2');
    expect(emailConfigOf(emailDraftOf(stored)).agent_id).toBeNull();
  });

  it('sends IMAP only when it is switched on, with its mailbox', () => {
    const d = emailDraftOf(null);
    const on = { ...d, address: 'help@shop.example', imapOn: true, imap: { ...d.imap, host: 'imap.shop.example', user: 'help', password: 'pw', mailbox: ' Support ' } };
    expect(emailConfigOf(on).imap).toEqual({ host: 'imap.shop.example', port: 993, secure: true, user: 'help', password: 'pw', mailbox: 'Support' });
    expect(emailConfigOf({ ...on, imapOn: false }).imap).toBeUndefined();
  });

  it('sends a port that is not a number as null, for the server to refuse at the field', () => {
    const d = emailDraftOf(stored);
    expect(emailConfigOf({ ...d, smtp: { ...d.smtp, port: 'abc' } }).smtp).toMatchObject({ port: null });
    expect(emailConfigOf({ ...d, smtp: { ...d.smtp, port: ' ' } }).smtp).not.toHaveProperty('port');
  });

  it('moves a usual port along with TLS, and keeps a port of the admin’s own', () => {
    const d = emailDraftOf(null).smtp;
    expect(withSecure(d, false, 'smtp').port).toBe('587');
    expect(withSecure({ ...d, port: '587', secure: false }, true, 'smtp').port).toBe('465');
    expect(withSecure({ ...d, port: '2525' }, false, 'smtp').port).toBe('2525');
    expect(withSecure(emailDraftOf(null).imap, false, 'imap').port).toBe('143');
  });

  it('warns that the password is asked again when the host or user changes', () => {
    const d = emailDraftOf(stored).smtp;
    expect(passwordNeededAgain(d, d)).toBe(false);
    expect(passwordNeededAgain({ ...d, host: 'smtp.other.example' }, d)).toBe(true);
    expect(passwordNeededAgain({ ...d, user: 'other' }, d)).toBe(true);
    expect(passwordNeededAgain({ ...d, user: 'other', password: 'typed' }, d)).toBe(false);
    expect(passwordNeededAgain({ ...d, host: 'SMTP.shop.example' }, d)).toBe(false);
  });

  it('is dirty once anything, a typed password included, differs', () => {
    const d = emailDraftOf(stored);
    expect(emailDirty(d, emailDraftOf(stored))).toBe(false);
    expect(emailDirty({ ...d, smtp: { ...d.smtp, password: 'x' } }, d)).toBe(true);
  });

  it('builds the inbound URL on this origin', () => {
    expect(inboundUrl('https://parley.example', 'abc')).toBe('https://parley.example/api/v1/channels/abc/inbound');
  });
});
