import { parseJsonObject, type JsonObject } from '../../shared/json/json.js';
import type { ChannelRow } from './channels.repository.js';

/** The line a business pastes into its pages: the queue stub, then the loader (it learns Parley's origin from its src). */
export function embedSnippet(origin: string, publicKey: string): string {
  return (
    '<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};</script>' +
    `<script async src="${origin}/widget.js" data-key="${publicKey}"></script>`
  );
}

export interface ChannelPresentation {
  /** web_widget: show the identity secret (on creation and rotation). */
  withSecret?: boolean;
  /** email: the inbound token just made (on creation and rotation); only its hash is stored. */
  inboundToken?: string;
  /** The channel adapter's view of its config (secrets removed); the stored config otherwise. */
  presentConfig?: (config: JsonObject) => JsonObject;
}

/** Whether the channel last worked (null state: it has not been used yet). */
export function presentChannelStatus(row: ChannelRow) {
  return {
    state: row.status_state,
    last_error: row.status_error,
    last_error_at: row.status_error_at,
    checked_at: row.status_checked_at,
  };
}

/**
 * The channel as the API shows it. A web_widget channel adds its public key and the snippet to
 * paste (built for `origin`, where Parley is reached); its identity secret only when asked (on
 * creation and rotation), as an email channel's inbound token. Passwords are never shown.
 */
export function presentChannel(row: ChannelRow, origin: string, { withSecret = false, inboundToken, presentConfig }: ChannelPresentation = {}) {
  const config = parseJsonObject(row.config);
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: presentConfig ? presentConfig(config) : config,
    active: row.active === 1,
    default_team_id: row.default_team_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    public_key: row.public_key,
    embed_snippet: row.public_key ? embedSnippet(origin, row.public_key) : null,
    status: presentChannelStatus(row),
    ...(withSecret && row.identity_secret ? { identity_secret: row.identity_secret } : {}),
    ...(inboundToken ? { inbound_token: inboundToken } : {}),
  };
}

export type ChannelView = ReturnType<typeof presentChannel>;
