import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ConversationFilters } from '../api/types';

/** The list's filters live in the address (?status=active&q=…), so a reload or a shared link keeps them. */
export const FILTER_KEYS = ['waiting', 'status', 'mode', 'assignee', 'team_id', 'tag', 'agent_id', 'channel_id', 'state_id', 'q'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type FilterValues = Partial<Record<FilterKey, string>>;

/**
 * The views above the filters, each one of them: "Mine" is `assignee=me` (the Assignee filter's
 * "Me"), "Waiting for a person" is `waiting=true`. They combine with each other and the rest.
 */
export const isMine = (values: FilterValues) => values.assignee === 'me';
export const isWaiting = (values: FilterValues) => values.waiting === 'true';

/** The filters set in the folded panel (the views and the search are counted apart). */
export function panelFilterCount(values: FilterValues): number {
  return Object.keys(values).filter((k) => k !== 'q' && k !== 'waiting' && !(k === 'assignee' && isMine(values))).length;
}

export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => {
    const v: FilterValues = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) v[key] = value;
    }
    return v;
  }, [params]);

  const query = useMemo((): ConversationFilters => {
    const q: ConversationFilters = {};
    if (values.status === 'active' || values.status === 'ended') q.status = values.status;
    if (values.mode === 'ai' || values.mode === 'manual') q.mode = values.mode;
    // "me" is resolved by the server from the session.
    if (values.assignee) q.assignee_id = values.assignee;
    if (values.team_id) q.team_id = values.team_id;
    if (values.tag) q.tag = values.tag;
    if (values.agent_id) q.agent_id = values.agent_id;
    if (values.channel_id) q.channel_id = values.channel_id;
    if (values.state_id) q.state_id = values.state_id;
    if (values.q) q.q = values.q;
    if (values.waiting === 'true') q.waiting = true;
    return q;
  }, [values]);

  const set = (key: FilterKey, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return { values, query, set, clear, search: params.toString() };
}
