import { createHash, randomBytes } from 'node:crypto';
import { unprocessable } from '../../shared/errors/errors.js';
import { isPlainObject, parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import type { ChannelRow } from '../channels/channels.repository.js';
import { UUID_PATTERN as UUID } from '../../shared/ids.js';

/** How Parley reaches a mail server: SMTP to send, IMAP to read. */
export interface MailServer {
  host: string;
  port: number;
  /** TLS from the first byte (ports 465/993); false: plain, upgraded by STARTTLS when offered. */
  secure: boolean;
  /** Null: no login (a relay that trusts the sender's address). */
  user: string | null;
  /** Write-only: stored, never shown. Null: none. */
  password: string | null;
}

export interface ImapServer extends MailServer {
  /** The folder new mail is read from. */
  mailbox: string;
}

/** An email channel's settings as stored, passwords included. */
export interface EmailConfig {
  /** The support address customers write to (support@shop.example). */
  address: string;
  /** The name AI replies are sent as; null: the workspace's name. */
  from_name: string | null;
  smtp: MailServer;
  imap: ImapServer | null;
  /** The agent that answers the channel's mail; null: the workspace's first active agent. */
  agent_id: string | null;
}

type Problems = Record<string, string[]>;

const EMAIL = /^[^\s@<>"(),;:\\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const HOST = /^[A-Za-z0-9.:[\]_-]+$/;
const SERVER_KEYS = ['host', 'port', 'secure', 'user', 'password'];

function add(problems: Problems, key: string, message: string): void {
  (problems[key] ??= []).push(message);
}

/** The domain of an address (`shop.example` for support@shop.example). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** The address replies to a thread go to: `local+token@domain` for the channel's `local@domain`. */
export function replyAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

function serverOf(
  problems: Problems,
  prefix: 'smtp' | 'imap',
  value: unknown,
  current: MailServer | null,
  ports: { secure: number; plain: number },
): MailServer | null {
  if (!isPlainObject(value)) {
    add(problems, prefix, 'must be an object {host, port, secure, user, password}');
    return null;
  }
  const keys = prefix === 'imap' ? [...SERVER_KEYS, 'mailbox'] : SERVER_KEYS;
  for (const key of Object.keys(value)) if (!keys.includes(key)) add(problems, `${prefix}.${key}`, `is not an ${prefix.toUpperCase()} setting`);

  let host = '';
  if (typeof value.host !== 'string' || value.host.trim() === '' || value.host.trim().length > 255 || !HOST.test(value.host.trim())) {
    add(problems, `${prefix}.host`, 'must be a host name or IP address');
  } else host = value.host.trim().toLowerCase();

  let secure: boolean | null = null;
  if (value.secure !== undefined) {
    if (typeof value.secure !== 'boolean') add(problems, `${prefix}.secure`, 'must be true or false');
    else secure = value.secure;
  }
  let port: number | null = null;
  if (value.port !== undefined) {
    if (typeof value.port !== 'number' || !Number.isInteger(value.port) || value.port < 1 || value.port > 65535) {
      add(problems, `${prefix}.port`, 'must be a whole number from 1 to 65535');
    } else port = value.port;
  }
  // Left out, each follows from the other: TLS from the first byte on its usual port.
  secure ??= port === null ? true : port === ports.secure;
  port ??= secure ? ports.secure : ports.plain;

  let user: string | null = null;
  if (value.user !== undefined && value.user !== '') {
    if (typeof value.user !== 'string' || value.user.length > 320) add(problems, `${prefix}.user`, 'must be a string of at most 320 characters');
    else user = value.user;
  }

  let password: string | null;
  if (value.password !== undefined) {
    if (typeof value.password !== 'string' || value.password.length > 1000) {
      add(problems, `${prefix}.password`, 'must be a string of at most 1000 characters');
      password = null;
    } else password = value.password === '' ? null : value.password;
  } else if (current && current.host === host && current.user === user) {
    // Write-only: an update that leaves it out keeps it, but only for the same server and login,
    // so a password can never be sent to a server an update points at.
    password = current.password;
  } else {
    password = null;
    if (current?.password && (current.host !== host || current.user !== user)) {
      add(problems, `${prefix}.password`, 'is required again when the host or user changes');
    }
  }
  if (user !== null && password === null && !problems[`${prefix}.password`]) add(problems, `${prefix}.password`, 'is required when a user is set');
  if (prefix === 'imap' && user === null) add(problems, 'imap.user', 'is required: IMAP needs a login');
  return { host, port, secure, user, password };
}

/**
 * Checks and completes an email channel's config being written (`current`: the stored one on an
 * update, so passwords left out keep their value). Throws UNPROCESSABLE_ENTITY naming each field;
 * no message ever repeats a value given, so a password typed in the wrong field is not echoed.
 */
export function normalizeEmailConfig(input: JsonObject, current: JsonObject | null): JsonObject {
  const problems: Problems = {};
  const stored = current ? readEmailConfig(current) : null;
  for (const key of Object.keys(input)) {
    if (!['address', 'from_name', 'smtp', 'imap', 'agent_id'].includes(key)) add(problems, key, 'is not an email channel setting');
  }
  let address = '';
  if (typeof input.address !== 'string' || input.address.trim().length > 254 || !EMAIL.test(input.address.trim())) {
    add(problems, 'address', 'must be an email address like support@shop.example');
  } else if (input.address.includes('+')) {
    add(problems, 'address', "must not contain '+': replies come back to local+token@domain");
  } else {
    const trimmed = input.address.trim();
    address = `${trimmed.slice(0, trimmed.lastIndexOf('@'))}@${domainOf(trimmed).toLowerCase()}`;
  }
  let fromName: string | null = null;
  if (input.from_name !== undefined && input.from_name !== '') {
    if (typeof input.from_name !== 'string' || input.from_name.trim() === '' || input.from_name.length > 100 || /[\r\n]/.test(input.from_name)) {
      add(problems, 'from_name', 'must be a name of at most 100 characters on one line');
    } else fromName = input.from_name.trim();
  }
  let smtp: MailServer | null = null;
  if (input.smtp === undefined) add(problems, 'smtp', 'is required: {host, port, secure, user, password}');
  else smtp = serverOf(problems, 'smtp', input.smtp, stored?.smtp ?? null, { secure: 465, plain: 587 });
  let imap: ImapServer | null = null;
  if (input.imap !== undefined) {
    const server = serverOf(problems, 'imap', input.imap, stored?.imap ?? null, { secure: 993, plain: 143 });
    const rawMailbox = isPlainObject(input.imap) ? input.imap.mailbox : undefined;
    let mailbox = 'INBOX';
    if (rawMailbox !== undefined) {
      if (typeof rawMailbox !== 'string' || rawMailbox.trim() === '' || rawMailbox.length > 200) add(problems, 'imap.mailbox', 'must be a folder name');
      else mailbox = rawMailbox.trim();
    }
    if (server) imap = { ...server, mailbox };
  }
  let agentId: string | null = null;
  if (input.agent_id !== undefined && input.agent_id !== null) {
    if (typeof input.agent_id !== 'string' || !UUID.test(input.agent_id)) add(problems, 'agent_id', "must be an agent's id (or null for the first active agent)");
    else agentId = input.agent_id.toLowerCase();
  }
  if (Object.keys(problems).length > 0) throw unprocessable('The email settings are invalid', problems);
  const config: EmailConfig = { address, from_name: fromName, smtp: smtp!, imap, agent_id: agentId };
  return config as unknown as JsonObject;
}

function serverView(server: MailServer) {
  return { host: server.host, port: server.port, secure: server.secure, user: server.user, password_set: server.password !== null };
}

/** The config as the API shows it: every setting, each password only as `password_set`. */
export function presentEmailConfig(config: JsonObject): JsonObject {
  const c = readEmailConfig(config);
  return {
    address: c.address,
    from_name: c.from_name,
    smtp: serverView(c.smtp),
    imap: c.imap ? { ...serverView(c.imap), mailbox: c.imap.mailbox } : null,
    agent_id: c.agent_id,
  };
}

function readServer(value: unknown): MailServer {
  const v = isPlainObject(value) ? value : {};
  return {
    host: typeof v.host === 'string' ? v.host : '',
    port: typeof v.port === 'number' ? v.port : 0,
    secure: v.secure === true,
    user: typeof v.user === 'string' ? v.user : null,
    password: typeof v.password === 'string' ? v.password : null,
  };
}

/** A stored config read as typed (normalizeEmailConfig wrote it; nothing is checked again). */
function readEmailConfig(config: JsonObject): EmailConfig {
  const imap = isPlainObject(config.imap) ? config.imap : null;
  return {
    address: typeof config.address === 'string' ? config.address : '',
    from_name: typeof config.from_name === 'string' ? config.from_name : null,
    smtp: readServer(config.smtp),
    imap: imap ? { ...readServer(imap), mailbox: typeof imap.mailbox === 'string' ? imap.mailbox : 'INBOX' } : null,
    agent_id: typeof config.agent_id === 'string' ? config.agent_id : null,
  };
}

/** An email channel's settings, passwords included: for the sender and the IMAP reader only. */
export function emailConfigOf(channel: Pick<ChannelRow, 'config'>): EmailConfig {
  return readEmailConfig(parseJsonObject(channel.config));
}

/** A new inbound token (shown once): `it_` and 32 random URL-safe characters. */
export function generateInboundToken(): string {
  return `it_${randomBytes(24).toString('base64url')}`;
}

/** What is stored of an inbound token (channels.inbound_token_hash): its SHA-256, in hex. */
export function hashInboundToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `text` with every password of the config replaced, for errors that are stored or shown. */
export function withoutSecrets(text: string, config: EmailConfig): string {
  let out = text;
  for (const secret of [config.smtp.password, config.imap?.password]) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
