import { parseJsonObject } from '../../shared/json/json.js';
import type { ChannelRow } from './channels.repository.js';

/** The channel as the API shows it. */
export function presentChannel(row: ChannelRow) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: parseJsonObject(row.config),
    active: row.active === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type ChannelView = ReturnType<typeof presentChannel>;
