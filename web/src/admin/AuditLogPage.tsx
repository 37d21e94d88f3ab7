import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';
import { useMemberDirectory } from '../inbox/queries';
import { fullTime, shortTime } from '../ui/format';
import { ErrorState, Empty, Loading } from '../ui/States';
import './audit.css';
import { ACTION_CHOICES, NO_FILTERS, actionLabel, actorLabel, auditQuery, type AuditFilters } from './audit-filters';

type Entry = paths['/api/v1/audit_log']['get']['responses'][200]['content']['application/json']['data'][number];

const PAGE = 50;

/** /admin/audit: who changed what and when, newest first, filtered by who, what and when. */
export function AuditLogPage() {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const members = useMemberDirectory().data ?? [];
  const log = useInfiniteQuery({
    queryKey: ['audit_log', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/audit_log', { params: { query: { ...auditQuery(filters), limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => (last.pagination.has_more ? (last.pagination.cursor ?? undefined) : undefined),
  });
  const entries = log.data?.pages.flatMap((p) => p.data) ?? [];
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };
  const set = (key: keyof AuditFilters) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const showActor = (actor: string) => {
    const next = { ...filters, actor };
    setDraft(next);
    setFilters(next);
  };

  return (
    <>
      <h1>Audit log</h1>
      <p className="muted page-intro">
        Who changed what in this workspace, and when: members, keys, agents, knowledge, channels, webhooks, automations, teams and settings, every
        deletion, erasure and export, and every sign-in, failed ones too. Entries cannot be changed; they are kept as long as the workspace’s retention
        says.
      </p>
      <form className="toolbar audit-filters" aria-label="Filter the audit log" onSubmit={apply}>
        <label className="filter">
          Who
          <select value={draft.actor} onChange={set('actor')}>
            <option value="">Anyone</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name || m.id}
              </option>
            ))}
            {draft.actor && !members.some((m) => m.id === draft.actor) && <option value={draft.actor}>{draft.actor}</option>}
          </select>
        </label>
        <label className="filter">
          What
          <select value={draft.action} onChange={set('action')}>
            <option value="">Everything</option>
            {ACTION_CHOICES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          From
          <input type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label className="filter">
          To
          <input type="date" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit" className="btn btn-primary">
          Show
        </button>
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorState error={log.error} retry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <Empty title={filtered ? 'Nothing matches these filters' : 'Nothing recorded yet'} />
      ) : (
        <div className="table-wrap">
          <table className="audit-table" aria-label="Audit log entries">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <AuditRow key={e.id} entry={e} onActor={showActor} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="list-end">
        {log.isFetchingNextPage && <Loading label="Loading more…" />}
        {log.hasNextPage && !log.isFetchingNextPage && (
          <button type="button" className="btn btn-ghost" onClick={() => void log.fetchNextPage()}>
            Load more
          </button>
        )}
      </div>
    </>
  );
}

function AuditRow({ entry, onActor }: { entry: Entry; onActor: (actorId: string) => void }) {
  const details = Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details, null, 2) : null;
  return (
    <tr>
      <td data-label="When" title={fullTime(entry.created_at)}>{shortTime(entry.created_at)}</td>
      <td data-label="Who">
        {entry.actor.id ? (
          <button type="button" className="audit-actor" title="Only this actor's entries" onClick={() => onActor(entry.actor.id!)}>
            {actorLabel(entry.actor)}
          </button>
        ) : (
          actorLabel(entry.actor)
        )}
      </td>
      <td data-label="Action">
        {details ? (
          <details>
            <summary>{actionLabel(entry.action)}</summary>
            <pre className="audit-details">{details}</pre>
          </details>
        ) : (
          actionLabel(entry.action)
        )}
      </td>
      <td data-label="Record" className="audit-record">{entry.target ? `${entry.target.type.replace(/_/g, ' ')} ${entry.target.id ?? ''}` : '—'}</td>
      <td data-label="Address">{entry.ip ?? '—'}</td>
    </tr>
  );
}
