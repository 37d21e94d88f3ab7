import { parseJsonObject } from '../../shared/json/json.js';
import type { ChannelRow } from './channels.repository.js';

/** The line a business pastes into its pages: the queue stub, then the loader (it learns Parley's origin from its src). */
export function embedSnippet(origin: string, publicKey: string): string {
  return (
    '<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};</script>' +
    `<script async src="${origin}/widget.js" data-key="${publicKey}"></script>`
  );
}

/**
 * The channel as the API shows it. A web_widget channel adds its public key and the snippet to
 * paste (built for `origin`, where Parley is reached); its identity secret only when `withSecret`
 * (on creation and rotation).
 */
export function presentChannel(row: ChannelRow, origin: string, withSecret = false) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: parseJsonObject(row.config),
    active: row.active === 1,
    default_team_id: row.default_team_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    public_key: row.public_key,
    embed_snippet: row.public_key ? embedSnippet(origin, row.public_key) : null,
    ...(withSecret && row.identity_secret ? { identity_secret: row.identity_secret } : {}),
  };
}

export type ChannelView = ReturnType<typeof presentChannel>;
