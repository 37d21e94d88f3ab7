import { useState } from 'react';
import type { Priority } from '../api/types';
import { bulkOutcome } from './bulk';
import { useMe } from '../auth/session';
import { FormError } from '../ui/States';
import { useBulkAction, type BulkAction } from './list-queries';
import { useMemberDirectory, useStates } from './queries';
import { SnoozeMenu } from './SnoozeMenu';
import './list.css';

const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
/**
 * One action on every selected row: assign, tag, untag, state, priority, snooze, end, reopen.
 * Rows that could not be changed stay selected, with the reason said plainly.
 */
export function BulkBar({ ids, nameOf, onDone, clear }: { ids: string[]; nameOf: (id: string) => string; onDone: (outcome: { ok: boolean; text: string }, failed: string[]) => void; clear: () => void }) {
  const bulk = useBulkAction();
  const me = useMe().data;
  const directory = useMemberDirectory().data ?? [];
  const states = useStates().data ?? [];
  const [tag, setTag] = useState('');

  const run = (action: BulkAction, value?: string | null) => {
    bulk.mutate(
      { ids, action, ...(value === undefined ? {} : { value }) },
      {
        onSuccess: (results) => onDone(bulkOutcome(results, nameOf), results.filter((r) => !r.ok).map((r) => r.id)),
      },
    );
  };
  const busy = bulk.isPending;
  const others = directory.filter((m) => m.id !== me?.id);

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <div className="bulk-head">
        <strong>{ids.length} selected</strong>
        <button type="button" className="btn btn-ghost btn-small" onClick={clear}>
          Clear selection
        </button>
      </div>
      <div className="bulk-actions">
        <select
          aria-label="Assign to"
          value=""
          disabled={busy}
          onChange={(e) => e.target.value && run('assign', e.target.value === 'unassigned' ? null : e.target.value)}
        >
          <option value="">Assign…</option>
          <option value="me">Me</option>
          <option value="unassigned">Unassigned</option>
          {others.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <select aria-label="Set state" value="" disabled={busy} onChange={(e) => e.target.value && run('set_state', e.target.value === 'none' ? null : e.target.value)}>
          <option value="">State…</option>
          <option value="none">No state</option>
          {states.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select aria-label="Set priority" value="" disabled={busy} onChange={(e) => e.target.value && run('set_priority', e.target.value)}>
          <option value="">Priority…</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <form
          className="bulk-tag"
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) run('tag', tag.trim());
          }}
        >
          <input aria-label="Tag" placeholder="tag" value={tag} maxLength={50} onChange={(e) => setTag(e.target.value)} />
          <button type="submit" className="btn btn-small" disabled={busy || !tag.trim()}>
            Tag
          </button>
          <button type="button" className="btn btn-small" disabled={busy || !tag.trim()} onClick={() => run('untag', tag.trim())}>
            Untag
          </button>
        </form>
        <SnoozeMenu disabled={busy} onSnooze={(until) => run('snooze', until)} />
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => window.confirm(`End ${ids.length} conversations? Their contacts cannot write in them any more.`) && run('end')}>
          End
        </button>
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => run('reopen')}>
          Reopen
        </button>
      </div>
      {busy && <p className="muted bulk-status">Changing {ids.length} conversations…</p>}
      <FormError error={bulk.error} />
    </div>
  );
}
