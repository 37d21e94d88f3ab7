import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ConversationFilters } from '../api/types';
import { BUILT_IN_VIEWS, isBuiltInView, type BuiltInView } from './views';

/** A saved view's filter set: the list's filters, as the API takes them. */
export type ViewFilters = Pick<
  ConversationFilters,
  'status' | 'mode' | 'assignee_id' | 'team_id' | 'channel_id' | 'channel_type' | 'agent_id' | 'tag' | 'state_id' | 'priority' | 'waiting' | 'snoozed' | 'q'
>;

/** The list's filters live in the address (?view=mine&q=…), so a reload or a shared link keeps them. */
export const FILTER_KEYS = ['waiting', 'status', 'mode', 'assignee', 'team_id', 'tag', 'agent_id', 'channel_id', 'state_id', 'priority', 'q'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type FilterValues = Partial<Record<FilterKey, string>>;

/** What the search box and the server accept; a longer address is cut, not refused. */
export const SEARCH_MAX = 200;

export const isMine = (values: FilterValues) => values.assignee === 'me';
export const isWaiting = (values: FilterValues) => values.waiting === 'true';

/** The filters set in the folded panel (the search is counted apart). */
export function panelFilterCount(values: FilterValues): number {
  return Object.keys(values).filter((k) => k !== 'q').length;
}

/** The address's filters as the list's query (and as a saved view's filters). */
export function toQuery(values: FilterValues): ViewFilters {
  const q: ViewFilters = {};
  if (values.status === 'active' || values.status === 'ended') q.status = values.status;
  if (values.mode === 'ai' || values.mode === 'manual') q.mode = values.mode;
  // "me" and "unassigned" are resolved by the server from the session.
  if (values.assignee) q.assignee_id = values.assignee;
  if (values.team_id) q.team_id = values.team_id;
  if (values.tag) q.tag = values.tag;
  if (values.agent_id) q.agent_id = values.agent_id;
  if (values.channel_id) q.channel_id = values.channel_id;
  if (values.state_id) q.state_id = values.state_id;
  if (values.priority === 'low' || values.priority === 'normal' || values.priority === 'high' || values.priority === 'urgent') q.priority = values.priority;
  if (values.q) q.q = values.q.slice(0, SEARCH_MAX);
  if (values.waiting === 'true') q.waiting = true;
  return q;
}

/**
 * The address: `view` is a built-in view ("open" when absent) or a saved view's id; the other
 * keys are the panel's filters, narrowing whichever view is open.
 */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const view = params.get('view') ?? 'open';
  const values = useMemo(() => {
    const v: FilterValues = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) v[key] = value;
    }
    return v;
  }, [params]);
  const builtIn: BuiltInView | null = isBuiltInView(view) ? view : null;

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
  /** Opens a view; the search and the panel's filters are left behind with the old one. */
  const setView = (id: string) => setParams(id === 'open' ? new URLSearchParams() : new URLSearchParams({ view: id }));
  const clear = () =>
    setParams(
      (prev) => {
        const kept = prev.get('view');
        return kept ? new URLSearchParams({ view: kept }) : new URLSearchParams();
      },
      { replace: true },
    );
  return { view, builtIn, values, set, setView, clear, search: params.toString() };
}
export type FilterParams = ReturnType<typeof useFilterParams>;

/** The list query of a view with the panel's filters on top (the panel wins where both say). */
export function listQuery(filters: FilterParams, saved: ViewFilters | undefined): ConversationFilters {
  const panel = toQuery(filters.values);
  if (filters.builtIn) return { view: filters.builtIn, ...panel };
  return { view: 'all', ...(saved ?? {}), ...panel };
}

export { BUILT_IN_VIEWS };
