import { unprocessable } from '../../shared/errors/errors.js';
import type { JsonObject } from '../../shared/json/json.js';

export const IDENTITY_MODES = ['off', 'optional', 'required'] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

export interface PreChatField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'select';
  options?: string[];
  required: boolean;
}

/** A web_widget channel's settings, every field present (the defaults filled in). */
export interface WidgetConfig {
  agent_id: string;
  allowed_origins: string[];
  title: string;
  greeting: string;
  accent_color: string;
  position: 'left' | 'right';
  locale: string;
  pre_chat: { enabled: boolean; require_email: boolean; fields: PreChatField[] };
  identity_verification: IdentityMode;
}

export const WIDGET_DEFAULTS: Omit<WidgetConfig, 'agent_id'> = {
  allowed_origins: [],
  title: 'Chat with us',
  greeting: 'Hi! How can we help?',
  accent_color: '#4f46e5',
  position: 'right',
  locale: 'auto',
  pre_chat: { enabled: false, require_email: false, fields: [] },
  identity_verification: 'off',
};

const MAX_ORIGINS = 50;
const MAX_FIELDS = 5;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const LOCALE = /^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/;

/**
 * An origin as a browser sends it: scheme, host and port only, lower-cased; the default port
 * dropped. Null when `value` is not an http(s) origin (a path, a wildcard, credentials).
 */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
  if (!/^(https?:\/\/)[^/]+\/?$/i.test(value.trim())) return null;
  return url.origin;
}

type Problems = Record<string, string[]>;

function text(problems: Problems, key: string, value: unknown, max: number, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    (problems[key] ??= []).push(`must be a non-blank string of at most ${max} characters`);
    return fallback;
  }
  return value.trim();
}

function preChatOf(problems: Problems, value: unknown): WidgetConfig['pre_chat'] {
  if (value === undefined) return structuredClone(WIDGET_DEFAULTS.pre_chat);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.pre_chat = ['must be an object {enabled, require_email, fields}'];
    return structuredClone(WIDGET_DEFAULTS.pre_chat);
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!['enabled', 'require_email', 'fields'].includes(key)) (problems[`pre_chat.${key}`] ??= []).push('is not a pre-chat setting');
  }
  const flag = (key: 'enabled' | 'require_email') => {
    if (v[key] === undefined) return false;
    if (typeof v[key] !== 'boolean') (problems[`pre_chat.${key}`] ??= []).push('must be true or false');
    return v[key] === true;
  };
  const fields: PreChatField[] = [];
  const rawFields = v.fields ?? [];
  if (!Array.isArray(rawFields) || rawFields.length > MAX_FIELDS) {
    problems['pre_chat.fields'] = [`must be a list of at most ${MAX_FIELDS} fields`];
  } else {
    const names = new Set<string>();
    rawFields.forEach((raw: unknown, i) => {
      const at = `pre_chat.fields[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        problems[at] = ['must be an object {name, label, type, options, required}'];
        return;
      }
      const f = raw as Record<string, unknown>;
      const name = typeof f.name === 'string' ? f.name.trim() : '';
      if (!FIELD_NAME.test(name)) (problems[`${at}.name`] ??= []).push('must be lower-case letters, digits and _ (at most 40), starting with a letter');
      else if (names.has(name)) (problems[`${at}.name`] ??= []).push('is used by another field');
      names.add(name);
      const label = text(problems, `${at}.label`, f.label, 100, name);
      const type = f.type ?? 'text';
      if (type !== 'text' && type !== 'email' && type !== 'select') (problems[`${at}.type`] ??= []).push('must be text, email or select');
      let options: string[] | undefined;
      if (type === 'select') {
        const ok =
          Array.isArray(f.options) &&
          f.options.length >= 1 &&
          f.options.length <= 20 &&
          f.options.every((o) => typeof o === 'string' && o.trim() !== '' && o.length <= 100);
        if (!ok) (problems[`${at}.options`] ??= []).push('must list 1 to 20 non-blank choices of at most 100 characters');
        else options = (f.options as string[]).map((o) => o.trim());
      } else if (f.options !== undefined) (problems[`${at}.options`] ??= []).push('is only for select fields');
      if (f.required !== undefined && typeof f.required !== 'boolean') (problems[`${at}.required`] ??= []).push('must be true or false');
      for (const key of Object.keys(f)) {
        if (!['name', 'label', 'type', 'options', 'required'].includes(key)) (problems[`${at}.${key}`] ??= []).push('is not a field setting');
      }
      fields.push({ name, label, type: type as PreChatField['type'], ...(options ? { options } : {}), required: f.required === true });
    });
  }
  return { enabled: flag('enabled'), require_email: flag('require_email'), fields };
}

/**
 * A web_widget channel's config as stored: every setting checked (422 naming each bad field) and
 * the defaults filled in. `defaultAgentId` is used when the config names no agent; whether the
 * agent exists is the caller's check, inside its write.
 */
export function normalizeWidgetConfig(input: Record<string, unknown>, defaultAgentId: string | null): WidgetConfig {
  const problems: Problems = {};
  const known = ['agent_id', 'allowed_origins', 'title', 'greeting', 'accent_color', 'position', 'locale', 'pre_chat', 'identity_verification'];
  for (const key of Object.keys(input)) if (!known.includes(key)) problems[key] = ['is not a web_widget setting'];

  let agentId = defaultAgentId;
  if (input.agent_id !== undefined) {
    if (typeof input.agent_id !== 'string' || !/^[0-9a-f-]{36}$/i.test(input.agent_id)) problems.agent_id = ['must be an agent id'];
    else agentId = input.agent_id.toLowerCase();
  }
  if (!agentId) problems.agent_id = ['is required: the account has no active agent to answer'];

  const origins: string[] = [];
  if (input.allowed_origins !== undefined) {
    if (!Array.isArray(input.allowed_origins) || input.allowed_origins.length > MAX_ORIGINS) {
      problems.allowed_origins = [`must be a list of at most ${MAX_ORIGINS} origins`];
    } else {
      input.allowed_origins.forEach((o: unknown, i) => {
        const origin = typeof o === 'string' ? normalizeOrigin(o) : null;
        if (!origin) problems[`allowed_origins[${i}]`] = ['must be an origin such as https://shop.example (scheme, host, port; no path)'];
        else if (!origins.includes(origin)) origins.push(origin);
      });
    }
  }
  const accent = input.accent_color ?? WIDGET_DEFAULTS.accent_color;
  if (typeof accent !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(accent)) problems.accent_color = ['must be a colour #rrggbb'];
  const position = input.position ?? WIDGET_DEFAULTS.position;
  if (position !== 'left' && position !== 'right') problems.position = ['must be left or right'];
  const locale = input.locale ?? WIDGET_DEFAULTS.locale;
  if (typeof locale !== 'string' || !LOCALE.test(locale)) problems.locale = ['must be auto or a language such as de or pt-BR'];
  const identity = input.identity_verification ?? WIDGET_DEFAULTS.identity_verification;
  if (!IDENTITY_MODES.includes(identity as IdentityMode)) problems.identity_verification = ['must be off, optional or required'];

  const config: WidgetConfig = {
    agent_id: agentId ?? '',
    allowed_origins: origins,
    title: text(problems, 'title', input.title, 80, WIDGET_DEFAULTS.title),
    greeting: text(problems, 'greeting', input.greeting, 500, WIDGET_DEFAULTS.greeting),
    accent_color: typeof accent === 'string' ? accent.toLowerCase() : WIDGET_DEFAULTS.accent_color,
    position: position as WidgetConfig['position'],
    locale: locale as string,
    pre_chat: preChatOf(problems, input.pre_chat),
    identity_verification: identity as IdentityMode,
  };
  if (Object.keys(problems).length > 0) throw unprocessable('The widget settings are invalid', problems);
  return config;
}

/** A stored config read back (always written by normalizeWidgetConfig). */
export function widgetConfigOf(stored: JsonObject): WidgetConfig {
  return { ...WIDGET_DEFAULTS, ...(stored as unknown as Partial<WidgetConfig>) } as WidgetConfig;
}

/** Whether a browser page of `origin` may use the widget (an empty list allows any origin). */
export function originAllowed(config: WidgetConfig, origin: string): boolean {
  if (config.allowed_origins.length === 0) return true;
  const normalized = normalizeOrigin(origin);
  return normalized !== null && config.allowed_origins.includes(normalized);
}
