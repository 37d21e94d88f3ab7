import { useEffect, useRef } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { Channel } from '../api/types';

/**
 * Starts the draft again from the stored settings whenever they change (this page saved them, or
 * another did). Keyed on the settings, not on updated_at, so that rotating a secret keeps unsaved
 * edits; only a change counts, since the first draft is already the stored one and typing may come
 * before effects run.
 */
export function useDraftFollowsStored<T>(channel: Channel | null | undefined, stored: T, setDraft: (draft: T) => void): void {
  const storedKey = channel ? JSON.stringify([channel.name, channel.config, channel.default_team_id]) : '';
  const lastKey = useRef(storedKey);
  useEffect(() => {
    if (lastKey.current === storedKey) return;
    lastKey.current = storedKey;
    setDraft(stored);
  }, [storedKey]);
}

/**
 * Puts a channel just created or changed into the cache as any later read shows it: without the
 * secret its answer carried once (a widget's identity secret, an email channel's inbound token).
 */
export function cacheChannel(client: QueryClient, view: Channel, secret: 'identity_secret' | 'inbound_token'): void {
  const rest = { ...view };
  delete rest[secret];
  client.setQueryData(['channel', view.id], rest);
  void client.invalidateQueries({ queryKey: ['channels'] });
}
