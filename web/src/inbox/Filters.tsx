import { useEffect, useState } from 'react';
import { panelFilterCount, type FilterParams, type FilterKey } from './filters';
import { useMe } from '../auth/session';
import { useAgents, useChannels, useMemberDirectory, useStates, useTeams } from './queries';

type Option = readonly [value: string, label: string];

function Select({ id, label, value, options, onChange }: { id: FilterKey; label: string; value: string; options: readonly Option[]; onChange: (v: string) => void }) {
  return (
    <label className="filter">
      {label}
      <select name={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Status, mode, assignee, team, agent, channel, state, priority and tag: they narrow the open view,
 * folded away until wanted.
 */
export function Filters({ filters }: { filters: FilterParams }) {
  const agents = useAgents().data ?? [];
  const teams = useTeams().data ?? [];
  const channels = useChannels().data ?? [];
  const states = useStates().data ?? [];
  const meId = useMe().data?.id;
  const colleagues = (useMemberDirectory().data ?? []).filter((m) => m.id !== meId);
  const { values, set } = filters;
  const active = panelFilterCount(values);
  const [tag, setTag] = useState(values.tag ?? '');
  // Open at first when filters are set; after that the operator decides.
  const [open, setOpen] = useState(active > 0);
  useEffect(() => setTag(values.tag ?? ''), [values.tag]);

  return (
    <details className="filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Filters{active > 0 && <span className="badge">{active}</span>}
      </summary>
      <div className="filter-grid">
        <Select id="status" label="Status" value={values.status ?? ''} onChange={(v) => set('status', v)} options={[['', 'Any'], ['active', 'Active'], ['ended', 'Ended']]} />
        <Select id="mode" label="Mode" value={values.mode ?? ''} onChange={(v) => set('mode', v)} options={[['', 'Any'], ['ai', 'AI'], ['manual', 'Human (manual)']]} />
        <Select
          id="assignee"
          label="Assignee"
          value={values.assignee ?? ''}
          onChange={(v) => set('assignee', v)}
          options={[['', 'All'], ['me', 'Me'], ['unassigned', 'Unassigned'], ...colleagues.map((m) => [m.id, m.name] as const)]}
        />
        <Select id="team_id" label="Team" value={values.team_id ?? ''} onChange={(v) => set('team_id', v)} options={[['', 'All'], ...teams.map((t) => [t.id, t.name] as const)]} />
        <Select id="agent_id" label="AI agent" value={values.agent_id ?? ''} onChange={(v) => set('agent_id', v)} options={[['', 'All'], ...agents.map((a) => [a.id, a.name] as const)]} />
        <Select
          id="channel_id"
          label="Channel"
          value={values.channel_id ?? ''}
          onChange={(v) => set('channel_id', v)}
          options={[['', 'All'], ...channels.map((c) => [c.id, `${c.name} (${c.type})`] as const)]}
        />
        <Select id="state_id" label="State" value={values.state_id ?? ''} onChange={(v) => set('state_id', v)} options={[['', 'Any'], ...states.map((s) => [s.id, s.name] as const)]} />
        <Select
          id="priority"
          label="Priority"
          value={values.priority ?? ''}
          onChange={(v) => set('priority', v)}
          options={[['', 'Any'], ['urgent', 'Urgent'], ['high', 'High'], ['normal', 'Normal'], ['low', 'Low']]}
        />
        <form
          className="filter"
          onSubmit={(e) => {
            e.preventDefault();
            set('tag', tag.trim());
          }}
        >
          <label htmlFor="filter-tag">Tag</label>
          <input id="filter-tag" name="tag" value={tag} placeholder="e.g. billing" onChange={(e) => setTag(e.target.value)} onBlur={() => set('tag', tag.trim())} />
        </form>
        {active > 0 && (
          <button type="button" className="btn btn-ghost" onClick={filters.clear}>
            Clear filters
          </button>
        )}
      </div>
    </details>
  );
}
