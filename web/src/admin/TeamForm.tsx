import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { DirectoryEntry, Team } from '../api/types';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_LABEL } from '../presence/labels';
import { FieldError, FormError, useFormErrors } from '../ui/States';
import { problemsOf, type Field } from './team-form';

interface Draft {
  name: string;
  member_ids: string[];
  auto_assign: boolean;
  max_open_per_member: string;
}

const draftOf = (team: Team | null): Draft => ({
  name: team?.name ?? '',
  member_ids: team?.member_ids ?? [],
  auto_assign: team?.auto_assign ?? true,
  max_open_per_member: String(team?.max_open_per_member ?? 0),
});

/** Create or edit a team: its name, members (with their availability), auto-assignment and capacity. */
export function TeamForm({ team, directory, onDone }: { team: Team | null; directory: DirectoryEntry[]; onDone: () => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(team));
  const prefix = team ? `team-${team.id}` : 'team-new';

  const save = useMutation({
    mutationFn: async (d: Draft) => {
      const body = { name: d.name, member_ids: d.member_ids, auto_assign: d.auto_assign, max_open_per_member: Number(d.max_open_per_member) };
      if (team) return unwrap(api.PATCH('/api/v1/teams/{id}', { params: { path: { id: team.id } }, body }));
      return unwrap(api.POST('/api/v1/teams', { body }));
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['teams'] });
      onDone();
    },
    onError: (err) => {
      // Someone picked is gone: read the members again, so the list shows who is left.
      if (problemsOf(err)?.member_ids) void client.invalidateQueries({ queryKey: ['members'] });
    },
  });
  const errors = useFormErrors(save.error, problemsOf);
  const placed = problemsOf(save.error) !== null;

  const change = (patch: Partial<Draft>, field: Field) => {
    setDraft((d) => ({ ...d, ...patch }));
    errors.edited(field);
  };
  const toggleMember = (id: string, on: boolean) =>
    change({ member_ids: on ? [...draft.member_ids, id] : draft.member_ids.filter((m) => m !== id) }, 'member_ids');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };
  // Picked members missing from the directory (removed since): kept visible, so they can be unticked.
  const gone = draft.member_ids.filter((id) => !directory.some((m) => m.id === id));
  const online = directory.filter((m) => draft.member_ids.includes(m.id) && m.availability === 'online').length;
  const described = (field: Field, hint = true) => ({
    'aria-invalid': errors.field(field) ? true : undefined,
    'aria-describedby': [hint ? `${prefix}-${field}-hint` : '', errors.field(field) ? `${prefix}-${field}-error` : ''].filter(Boolean).join(' ') || undefined,
  });
  const problem = (field: Field) => <FieldError id={`${prefix}-${field}-error`} message={errors.field(field)} />;

  return (
    <form className="card team-form" onSubmit={submit} aria-label={team ? `Edit ${team.name}` : 'New team'}>
      <h2>{team ? `Edit ${team.name}` : 'New team'}</h2>
      <div className="team-field">
        <label htmlFor={`${prefix}-name`}>Team name</label>
        <input
          id={`${prefix}-name`}
          {...described('name')}
          value={draft.name}
          required
          maxLength={100}
          placeholder="e.g. Support"
          onChange={(e) => change({ name: e.target.value }, 'name')}
        />
        <span className="hint" id={`${prefix}-name-hint`}>
          Unique in the workspace; shown on conversations and in the inbox’s Team filter.
        </span>
        {problem('name')}
      </div>

      <fieldset className="team-members" {...described('member_ids')}>
        <legend>
          Members <span className="hint">({draft.member_ids.length} picked{draft.member_ids.length > 0 ? `, ${online} online now` : ''})</span>
        </legend>
        <span className="hint" id={`${prefix}-member_ids-hint`}>
          Conversations handed to the team go to these people.
        </span>
        <ul className="member-options">
          {directory.map((m) => (
            <li key={m.id}>
              <label className={`member-option${draft.member_ids.includes(m.id) ? ' on' : ''}`}>
                <input type="checkbox" checked={draft.member_ids.includes(m.id)} onChange={(e) => toggleMember(m.id, e.target.checked)} />
                <span className="initial" aria-hidden="true">
                  {m.name.charAt(0).toUpperCase()}
                  <AvailabilityDot availability={m.availability} />
                </span>
                <span className="member-option-name">{m.name}</span>
                <span className={`member-option-status presence-text-${m.availability}`}>{AVAILABILITY_LABEL[m.availability]}</span>
              </label>
            </li>
          ))}
          {gone.map((id) => (
            <li key={id}>
              <label className="member-option on member-gone">
                <input type="checkbox" checked onChange={() => toggleMember(id, false)} />
                <span className="initial initial-empty" aria-hidden="true" />
                <span className="member-option-name">A former member</span>
              </label>
            </li>
          ))}
        </ul>
        {problem('member_ids')}
      </fieldset>

      <div className="team-field">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={draft.auto_assign}
            {...described('auto_assign')}
            onChange={(e) => change({ auto_assign: e.target.checked }, 'auto_assign')}
          />
          <span className="switch-track" aria-hidden="true" />
          <span>
            Assign automatically
            <span className="hint switch-hint" id={`${prefix}-auto_assign-hint`}>
              {draft.auto_assign
                ? 'Each conversation handed to the team goes to its online member with the fewest open conversations.'
                : 'Off: conversations wait in the team’s queue until someone picks them up.'}
            </span>
          </span>
        </label>
        {problem('auto_assign')}
      </div>

      <div className="team-field team-capacity">
        <label htmlFor={`${prefix}-max`}>Most open conversations per member</label>
        <input
          id={`${prefix}-max`}
          type="number"
          inputMode="numeric"
          min={0}
          max={1000}
          required
          {...described('max_open_per_member')}
          value={draft.max_open_per_member}
          onChange={(e) => change({ max_open_per_member: e.target.value }, 'max_open_per_member')}
        />
        <span className="hint" id={`${prefix}-max_open_per_member-hint`}>
          0 = no limit. Automatic assignment gives nobody more than this; a person can still be assigned more by hand.
        </span>
        {problem('max_open_per_member')}
      </div>

      {!placed && <FormError error={errors.formError} />}
      <div className="team-form-actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : team ? 'Save changes' : 'Create team'}
        </button>
      </div>
    </form>
  );
}
