import { useState } from 'react';
import { Link } from 'react-router';
import type { SavedView } from '../api/types';
import { isAdmin, useMe } from '../auth/session';
import { FormError } from '../ui/States';
import type { FilterParams } from './filters';
import { useConversationCounts, useSavedViewActions, useSavedViews } from './list-queries';
import { SaveViewDialog } from './SaveViewDialog';
import { TeamIcon } from './TeamBadge';
import { BUILT_IN_VIEWS } from './views';
import './list.css';

/** A view's link: the address changes to `?view=…`, and whichever conversation is open stays open. */
function ViewLink({ id, label, title, count, current, children }: { id: string; label: string; title: string; count: number | undefined; current: boolean; children?: React.ReactNode }) {
  return (
    <Link to={{ search: id === 'open' ? '' : `?view=${encodeURIComponent(id)}` }} className={`view-link${current ? ' on' : ''}`} aria-current={current ? 'page' : undefined} title={title}>
      {children}
      <span className="view-name">{label}</span>
      {count !== undefined && <span className="view-count">{count}</span>}
    </Link>
  );
}

/**
 * The views, each with how many conversations it holds: the built-in ones, then the saved views
 * the member can see (their own and the shared ones); "Save view" keeps the current filters.
 */
export function ViewsNav({ filters, savedFilters }: { filters: FilterParams; savedFilters: () => SavedView['filters'] }) {
  const counts = useConversationCounts().data;
  const saved = useSavedViews().data ?? [];
  const me = useMe().data;
  const actions = useSavedViewActions();
  const [dialog, setDialog] = useState<{ mode: 'create' } | { mode: 'rename'; view: SavedView } | null>(null);
  const savedCount = (id: string) => counts?.views.find((v) => v.id === id)?.count;
  const canEdit = (v: SavedView) => v.owner_id === me?.id || (v.scope === 'shared' && isAdmin(me));
  const current = saved.find((v) => v.id === filters.view);

  return (
    <nav className="views" aria-label="Views">
      <ul className="view-list">
        {BUILT_IN_VIEWS.map((v) => (
          <li key={v.id}>
            <ViewLink id={v.id} label={v.label} title={v.title} count={counts?.[v.id]} current={filters.view === v.id} />
          </li>
        ))}
        {saved.map((v) => (
          <li key={v.id}>
            <ViewLink id={v.id} label={v.name} title={v.scope === 'shared' ? `${v.name}: shared with the team` : `${v.name}: only you see it`} count={savedCount(v.id)} current={filters.view === v.id}>
              {v.scope === 'shared' && <TeamIcon />}
            </ViewLink>
          </li>
        ))}
      </ul>
      <div className="view-tools">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setDialog({ mode: 'create' })}>
          Save view
        </button>
        {current && canEdit(current) && (
          <>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setDialog({ mode: 'rename', view: current })}>
              Rename “{current.name}”
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small btn-danger-text"
              disabled={actions.remove.isPending}
              onClick={() =>
                window.confirm(`Delete the view “${current.name}”?${current.scope === 'shared' ? ' Nobody on the team will see it any more.' : ''}`) &&
                actions.remove.mutate(current.id, { onSuccess: () => filters.setView('open') })
              }
            >
              Delete
            </button>
          </>
        )}
      </div>
      <FormError error={actions.remove.error} />
      {dialog && (
        <SaveViewDialog
          view={dialog.mode === 'rename' ? dialog.view : undefined}
          onClose={() => setDialog(null)}
          onCreate={async (name, scope) => {
            const view = await actions.create.mutateAsync({ name, scope, filters: savedFilters() });
            filters.setView(view.id);
          }}
          onRename={async (id, name) => {
            await actions.rename.mutateAsync({ id, name });
          }}
        />
      )}
    </nav>
  );
}
