/* No imports but types: the tests load this file on its own. */

/** One mail server as the form holds it: text as typed, and whether a password is stored. */
export interface ServerDraft {
  host: string;
  port: string;
  secure: boolean;
  user: string;
  /** Typed now; empty keeps the stored one (write-only: the server never shows it). */
  password: string;
  passwordSet: boolean;
}

export interface EmailDraft {
  name: string;
  default_team_id: string;
  address: string;
  from_name: string;
  /** The agent that answers the channel's mail; empty: the workspace's first active agent. */
  agent_id: string;
  smtp: ServerDraft;
  /** Whether new mail is read from a mailbox by IMAP (else only forwarded mail arrives). */
  imapOn: boolean;
  imap: ServerDraft & { mailbox: string };
}

/** The usual ports: TLS from the first byte, or plain upgraded by STARTTLS. */
export const PORTS = { smtp: { secure: 465, plain: 587 }, imap: { secure: 993, plain: 143 } } as const;

/** A server's settings as the API shows them (`password_set` instead of the password). */
interface ServerView {
  host?: unknown;
  port?: unknown;
  secure?: unknown;
  user?: unknown;
  password_set?: unknown;
  mailbox?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function serverDraft(view: ServerView | null, kind: 'smtp' | 'imap'): ServerDraft {
  if (!view) return { host: '', port: String(PORTS[kind].secure), secure: true, user: '', password: '', passwordSet: false };
  return { host: text(view.host), port: text(view.port), secure: view.secure !== false, user: text(view.user), password: '', passwordSet: view.password_set === true };
}

/** The form's starting point: the stored channel (its config as the API shows it), or a new one's defaults. */
export function emailDraftOf(channel: { name: string; default_team_id: string | null; config: Record<string, unknown> } | null, name = '', team = ''): EmailDraft {
  const c = channel?.config ?? {};
  const imap = isObject(c.imap) ? (c.imap as ServerView) : null;
  return {
    name: channel?.name ?? name,
    default_team_id: channel ? (channel.default_team_id ?? '') : team,
    address: text(c.address),
    from_name: text(c.from_name),
    agent_id: text(c.agent_id),
    smtp: serverDraft(isObject(c.smtp) ? (c.smtp as ServerView) : null, 'smtp'),
    imapOn: imap !== null,
    imap: { ...serverDraft(imap, 'imap'), mailbox: imap ? text(imap.mailbox) || 'INBOX' : 'INBOX' },
  };
}

/**
 * TLS switched on or off: a port still at the other mode's usual number follows it (587 → 465);
 * a port of the admin's own stays.
 */
export function withSecure(server: ServerDraft, secure: boolean, kind: 'smtp' | 'imap'): ServerDraft {
  const ports = PORTS[kind];
  const from = String(secure ? ports.plain : ports.secure);
  return { ...server, secure, port: server.port.trim() === from || server.port.trim() === '' ? String(secure ? ports.secure : ports.plain) : server.port };
}

/**
 * A server's settings as the API takes them. The password is sent only when typed (left out, the
 * stored one is kept); without a user there is no login, so none is kept either. A port that is
 * not a number goes as null, for the server to say so at the field.
 */
function serverConfig(s: ServerDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { host: s.host.trim(), secure: s.secure };
  if (s.port.trim() !== '') out.port = /^\d+$/.test(s.port.trim()) ? Number(s.port.trim()) : null;
  const user = s.user.trim();
  if (user) out.user = user;
  if (s.password !== '') out.password = s.password;
  else if (!user) out.password = '';
  return out;
}

/** The channel's config as PATCH/POST take it (replaced whole). */
export function emailConfigOf(d: EmailDraft): Record<string, unknown> {
  const config: Record<string, unknown> = { address: d.address.trim(), agent_id: d.agent_id || null, smtp: serverConfig(d.smtp) };
  if (d.from_name.trim()) config.from_name = d.from_name.trim();
  if (d.imapOn) config.imap = { ...serverConfig(d.imap), mailbox: d.imap.mailbox.trim() || 'INBOX' };
  return config;
}

/** Whether the form differs from what is stored (a typed password is a change). */
export function emailDirty(d: EmailDraft, stored: EmailDraft): boolean {
  return JSON.stringify(d) !== JSON.stringify(stored);
}

/**
 * Whether a stored password will be asked for again: the server keeps it only for the same host
 * and user, so a password is never sent to a server the settings now point at.
 */
export function passwordNeededAgain(d: ServerDraft, stored: ServerDraft): boolean {
  return stored.passwordSet && d.password === '' && d.user.trim() !== '' && (d.host.trim().toLowerCase() !== stored.host.trim().toLowerCase() || d.user.trim() !== stored.user.trim());
}

/** Where forwarded mail is posted, on this Parley. */
export function inboundUrl(origin: string, channelId: string): string {
  return `${origin}/api/v1/channels/${channelId}/inbound`;
}
