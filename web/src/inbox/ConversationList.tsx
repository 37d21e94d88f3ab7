import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ConversationListItem } from '../api/types';
import { ErrorState, Empty, Loading } from '../ui/States';
import { Filters, Views } from './Filters';
import { isMine, isWaiting, type FilterValues, type useFilterParams } from './filters';
import { ConversationRow } from './ConversationRow';
import { useConversationList } from './queries';
import { useListShortcuts } from './shortcuts';

interface Props {
  filters: ReturnType<typeof useFilterParams>;
  openId: string | undefined;
}

export function ConversationList({ filters, openId }: Props) {
  const list = useConversationList(filters.query);
  const navigate = useNavigate();
  const items: ConversationListItem[] = list.data?.pages.flatMap((p) => p.data) ?? [];
  const suffix = filters.search ? `?${filters.search}` : '';
  const open = (id: string) => navigate(`/inbox/${id}${suffix}`);
  useListShortcuts(items.map((c) => c.id), openId, open);

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
        <SearchBox value={filters.values.q ?? ''} onChange={(q) => filters.set('q', q)} />
        <div className="list-tools">
          <Views filters={filters} />
          <Filters filters={filters} />
        </div>
      </div>
      <div className="list-body">
        {list.isPending ? (
          <Loading label="Loading conversations…" />
        ) : list.isError ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyList values={filters.values} clear={filters.clear} />
        ) : (
          <ul className="conversation-list">
            {items.map((c) => (
              <ConversationRow key={c.id} conversation={c} active={c.id === openId} href={`/inbox/${c.id}${suffix}`} />
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
    </section>
  );
}

/** What an empty list means: nothing yet, nothing of yours, nobody waiting, or filters that match nothing. */
function EmptyList({ values, clear }: { values: FilterValues; clear: () => void }) {
  const keys = Object.keys(values);
  if (keys.length === 0) return <Empty title="No conversations yet">Conversations started through the API or a channel show up here as they happen.</Empty>;
  const only = (...k: string[]) => keys.length === k.length && k.every((key) => keys.includes(key));
  if (isMine(values) && only('assignee')) {
    return <Empty title="Nothing assigned to you">Conversations you take over, or that your teams hand you, show up here as they arrive.</Empty>;
  }
  if (isWaiting(values) && only('waiting')) return <Empty title="Nobody is waiting">Conversations handed to a person show up here until someone answers.</Empty>;
  return (
    <Empty title="No conversation matches">
      <button type="button" className="btn" onClick={clear}>
        Clear filters
      </button>
    </Empty>
  );
}

/** Types freely; the query (and the address) follow 300 ms after the last key. */
function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => latest.current(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text, value]);
  return (
    <div className="search">
      <label htmlFor="inbox-search" className="sr-only">
        Search conversations
      </label>
      <input
        id="inbox-search"
        type="search"
        placeholder="Search conversations (press /)"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}
