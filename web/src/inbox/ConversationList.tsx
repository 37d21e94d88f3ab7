import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, describeError } from '../api/errors';
import type { ConversationListItem } from '../api/types';
import { useMe } from '../auth/session';
import { contactLabel } from '../ui/format';
import { ErrorState, Empty, Loading } from '../ui/States';
import { BulkBar } from './BulkBar';
import { ConversationRow } from './ConversationRow';
import { Filters } from './Filters';
import { listQuery, toQuery, type FilterParams } from './filters';
import { KeyboardMap } from './KeyboardMap';
import { useSavedViews } from './list-queries';
import { useConversationList, useMemberDirectory } from './queries';
import { SearchBox } from './SearchBox';
import { useSelection } from './selection';
import { scrollRowIntoView, useListShortcuts } from './shortcuts';
import { builtInFilters, EMPTY_VIEW } from './views';
import { ViewsNav } from './ViewsNav';
import './list.css';

interface Props {
  filters: FilterParams;
  openId: string | undefined;
}

export function ConversationList({ filters, openId }: Props) {
  const savedViews = useSavedViews();
  const saved = filters.builtIn ? undefined : savedViews.data?.find((v) => v.id === filters.view);
  const missingView = !filters.builtIn && savedViews.isSuccess && !saved;
  const list = useConversationList(listQuery(filters, saved?.filters), Boolean(filters.builtIn || saved));
  const navigate = useNavigate();
  const meName = useMe().data?.name;
  const directory = useMemberDirectory().data;
  const names = useMemo(() => (directory ?? []).map((m) => m.name), [directory]);
  const items: ConversationListItem[] = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const ids = useMemo(() => items.map((c) => c.id), [items]);
  const suffix = filters.search ? `?${filters.search}` : '';
  const open = useCallback((id: string) => navigate(`/inbox/${id}${suffix}`), [navigate, suffix]);
  const selection = useSelection(ids);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [showMap, setShowMap] = useState(false);
  // "waiting 12 min" grows while the list is on screen: draw it again every minute.
  const [, setMinute] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setMinute((m) => m + 1), 60_000);
    return () => clearInterval(t);
  }, []);

  // The keyboard's place in the list: the open conversation, until j or k move it.
  const [focusedId, setFocusedId] = useState<string | null>(openId ?? null);
  useEffect(() => {
    if (openId) setFocusedId(openId);
  }, [openId]);
  const focus = useCallback((id: string) => {
    setFocusedId(id);
    scrollRowIntoView(id);
  }, []);
  useListShortcuts({
    ids,
    focusedId,
    focus,
    open,
    select: (id) => selection.toggle(id, false),
    clearSelection: () => {
      if (selection.selectedIds.length === 0) return false;
      selection.clear();
      return true;
    },
    showMap: () => setShowMap(true),
  });

  const nameOf = (id: string) => {
    const c = items.find((i) => i.id === id);
    return c ? contactLabel(c.contact ?? undefined, c.contact_id) : id;
  };
  const savedFilters = () => ({ ...(filters.builtIn ? builtInFilters(filters.builtIn) : (saved?.filters ?? {})), ...toQuery(filters.values) });

  // Infinite scroll: read the next cursor page when the end of the list comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <section className="inbox-list" aria-label="Conversations">
      <div className="list-head">
        <ViewsNav filters={filters} savedFilters={savedFilters} />
        <SearchBox value={filters.values.q ?? ''} onChange={(q) => filters.set('q', q)} />
        <div className="list-tools">
          <Filters filters={filters} />
          <button type="button" className="btn btn-ghost btn-small kbd-hint" onClick={() => setShowMap(true)}>
            Shortcuts <kbd>?</kbd>
          </button>
        </div>
      </div>
      {selection.selectedIds.length > 0 && (
        <BulkBar
          ids={selection.selectedIds}
          nameOf={nameOf}
          clear={selection.clear}
          onDone={(result, failed) => {
            setOutcome(result);
            selection.keepOnly(failed);
          }}
        />
      )}
      {outcome && (
        <div className={`bulk-outcome${outcome.ok ? '' : ' failed'}`} role={outcome.ok ? 'status' : 'alert'}>
          <span>{outcome.text}</span>
          <button type="button" className="btn btn-ghost btn-small" aria-label="Dismiss" onClick={() => setOutcome(null)}>
            ×
          </button>
        </div>
      )}
      <div className="list-body">
        {missingView ? (
          <Empty title="This view is gone">It was deleted, or it is another member’s personal view.</Empty>
        ) : list.isPending ? (
          <Loading label="Loading conversations…" />
        ) : list.isError ? (
          <ListError error={list.error} retry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyList filters={filters} />
        ) : (
          <ul className="conversation-list">
            {items.map((c) => (
              <ConversationRow
                key={c.id}
                conversation={c}
                href={`/inbox/${c.id}${suffix}`}
                active={c.id === openId}
                focused={c.id === focusedId}
                selected={selection.picked.has(c.id)}
                meName={meName}
                memberNames={names}
                onSelect={(range) => selection.toggle(c.id, range)}
              />
            ))}
          </ul>
        )}
        <div ref={sentinel} className="list-end">
          {isFetchingNextPage && <Loading label="Loading more…" />}
          {hasNextPage && !isFetchingNextPage && (
            <button type="button" className="btn btn-ghost" onClick={() => void fetchNextPage()}>
              Load more
            </button>
          )}
        </div>
      </div>
      {showMap && <KeyboardMap onClose={() => setShowMap(false)} />}
    </section>
  );
}

/** A search or filter the server refuses is said plainly; trying again would not help. */
function ListError({ error, retry }: { error: unknown; retry: () => void }) {
  if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
    return <Empty title="This search cannot be run">{describeError(error)} Change the search or the filters.</Empty>;
  }
  return <ErrorState error={error} retry={retry} title="The conversations could not be loaded" />;
}

/** What an empty list means: an empty view, or filters that match nothing. */
function EmptyList({ filters }: { filters: FilterParams }) {
  const filtered = Object.keys(filters.values).length > 0;
  if (!filtered && filters.builtIn) {
    const e = EMPTY_VIEW[filters.builtIn];
    return <Empty title={e.title}>{e.body}</Empty>;
  }
  if (!filtered) return <Empty title="Nothing in this view">Conversations that match it show up here as they arrive.</Empty>;
  return (
    <Empty title="No conversation matches">
      <button type="button" className="btn" onClick={filters.clear}>
        Clear filters
      </button>
    </Empty>
  );
}
