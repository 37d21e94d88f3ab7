import { ApiError, sentence } from '../../api/errors';
import type { Channel } from '../../api/types';

/**
 * The web_widget channel's settings as the editor holds them while an admin types. The server
 * (src/modules/widget/widget.config.ts) is the judge of every rule; the editor only shapes the
 * input and places the server's field errors beside their fields.
 */

export type FieldType = 'text' | 'email' | 'select';
export type Position = 'left' | 'right';
export type IdentityMode = 'off' | 'optional' | 'required';

export interface PreChatField {
  name: string;
  label: string;
  type: FieldType;
  options?: string[];
  required: boolean;
}

/** A pre-chat field being edited: choices as one text (a line each) and a stable key for React. */
export interface FieldDraft {
  key: number;
  name: string;
  label: string;
  type: FieldType;
  options: string;
  required: boolean;
  /** Until the admin types a field key, it follows the label. */
  nameEdited: boolean;
}

export interface Draft {
  name: string;
  agent_id: string;
  /** The team handed-off conversations go to ('' for none); a field of the channel, not of its config. */
  default_team_id: string;
  allowed_origins: string[];
  title: string;
  greeting: string;
  accent_color: string;
  position: Position;
  locale: string;
  pre_chat: { enabled: boolean; require_email: boolean; fields: FieldDraft[] };
  identity_verification: IdentityMode;
}

/** The server's defaults (WIDGET_DEFAULTS), for a new channel and for a setting it never stored. */
export const DEFAULTS = {
  title: 'Chat with us',
  greeting: 'Hi! How can we help?',
  accent_color: '#4f46e5',
  position: 'right' as Position,
  locale: 'auto',
  identity_verification: 'off' as IdentityMode,
};

export const MAX_FIELDS = 5;
export const MAX_ORIGINS = 50;

export const LOCALES: Array<[string, string]> = [
  ['auto', 'Automatic (the visitor’s browser language)'],
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['fr', 'Français'],
  ['es', 'Español'],
];

export const IDENTITY_MODES: Array<[IdentityMode, string]> = [
  ['off', 'Off — every visitor is anonymous'],
  ['optional', 'Optional — signed-in users are recognised'],
  ['required', 'Required — only signed-in users can chat'],
];

let nextKey = 1;

export function newField(existing: FieldDraft[]): FieldDraft {
  const taken = new Set(existing.map((f) => f.name));
  let n = existing.length + 1;
  while (taken.has(`field_${n}`)) n++;
  return { key: nextKey++, name: `field_${n}`, label: '', type: 'text', options: '', required: false, nameEdited: false };
}

/** A field key from its label: "Order number" → order_number (what the server accepts). */
export function fieldNameOf(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40);
  return slug;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

function fieldsOf(value: unknown): FieldDraft[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((f) => ({
    key: nextKey++,
    name: str(f.name, ''),
    label: str(f.label, ''),
    type: f.type === 'email' || f.type === 'select' ? f.type : 'text',
    options: Array.isArray(f.options) ? f.options.filter((o) => typeof o === 'string').join('\n') : '',
    required: f.required === true,
    nameEdited: true,
  }));
}

/** The editor's starting point: a stored channel's settings (defaults for what it lacks), or a new one's. */
export function draftOf(channel: Channel | null, name = '', teamId = ''): Draft {
  const c: Record<string, unknown> = channel?.config ?? {};
  const preChat = isObject(c.pre_chat) ? c.pre_chat : {};
  return {
    name: channel?.name ?? name,
    agent_id: str(c.agent_id, ''),
    default_team_id: channel ? (channel.default_team_id ?? '') : teamId,
    allowed_origins: Array.isArray(c.allowed_origins) ? c.allowed_origins.filter((o): o is string => typeof o === 'string') : [],
    title: str(c.title, DEFAULTS.title),
    greeting: str(c.greeting, DEFAULTS.greeting),
    accent_color: str(c.accent_color, DEFAULTS.accent_color),
    position: c.position === 'left' ? 'left' : 'right',
    locale: str(c.locale, DEFAULTS.locale),
    pre_chat: { enabled: preChat.enabled === true, require_email: preChat.require_email === true, fields: fieldsOf(preChat.fields) },
    identity_verification: c.identity_verification === 'optional' || c.identity_verification === 'required' ? c.identity_verification : 'off',
  };
}

/** The pre-chat fields as the server takes them (and as the widget shows them). */
export function preChatFieldsOf(draft: Draft): PreChatField[] {
  return draft.pre_chat.fields.map((f) => ({
    name: f.name.trim(),
    label: f.label,
    type: f.type,
    ...(f.type === 'select' ? { options: f.options.split('\n').map((o) => o.trim()).filter(Boolean) } : {}),
    required: f.required,
  }));
}

/**
 * The request body's config, and where each sent origin sits in the editor's list: blank rows
 * are left out, so the server's `allowed_origins[k]` is mapped back to the row it came from.
 */
export function configOf(draft: Draft): { config: Record<string, unknown>; originRows: number[] } {
  const sent = draft.allowed_origins.map((o, row) => ({ origin: o.trim(), row })).filter((o) => o.origin !== '');
  const config: Record<string, unknown> = {
    allowed_origins: sent.map((o) => o.origin),
    title: draft.title,
    greeting: draft.greeting,
    accent_color: draft.accent_color.trim(),
    position: draft.position,
    locale: draft.locale,
    pre_chat: { enabled: draft.pre_chat.enabled, require_email: draft.pre_chat.require_email, fields: preChatFieldsOf(draft) },
    identity_verification: draft.identity_verification,
  };
  if (draft.agent_id) config.agent_id = draft.agent_id;
  return { config, originRows: sent.map((o) => o.row) };
}

/** Whether the editor differs from what is stored (nothing to save otherwise). */
export function isDirty(draft: Draft, stored: Draft): boolean {
  return (
    draft.name.trim() !== stored.name.trim() ||
    draft.default_team_id !== stored.default_team_id ||
    JSON.stringify(configOf(draft).config) !== JSON.stringify(configOf(stored).config)
  );
}

export type Problems = Record<string, string>;

/**
 * The server's 422 details, keyed as the editor's fields are: `title`, `allowed_origins.3` (the
 * editor's row), `pre_chat.fields.0.name`. Each gets its first message, as a sentence.
 */
export function problemsOf(error: unknown, originRows: number[]): Problems {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const out: Problems = {};
  for (const [path, messages] of Object.entries(error.details)) {
    if (!Array.isArray(messages) || messages.length === 0) continue;
    let key = path.replace(/^config\./, '').replace(/\[(\d+)\]/g, '.$1');
    const origin = /^allowed_origins\.(\d+)$/.exec(key);
    if (origin) key = `allowed_origins.${originRows[Number(origin[1])] ?? origin[1]}`;
    out[key] = sentence(String(messages[0]));
  }
  return out;
}


export const HEX = /^#[0-9a-fA-F]{6}$/;

/** Black or white, whichever reads better on the accent colour (the widget's own rule). */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#fff';
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.45 ? '#111827' : '#fff';
}
