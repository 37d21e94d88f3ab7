import { useState, type FormEvent } from 'react';
import type { Conversation, Priority } from '../api/types';
import { useMe } from '../auth/session';
import { FormError } from '../ui/States';
import { ContactPanel } from './ContactPanel';
import { AssigneePicker } from './AssigneePicker';
import { useConversationActions, useMemberDirectory, useStates, useTeams } from './queries';
import { isQueued, teamLabel } from './teams';
import { VisitorSection } from './VisitorSection';
import { tagLabel } from './tags';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** The conversation's workflow fields (assignee, team, state, priority, tags) and the contact. */
export function DetailsPanel({ conversation: c, onClose }: { conversation: Conversation; onClose: () => void }) {
  const me = useMe().data;
  const directory = useMemberDirectory();
  const states = useStates().data ?? [];
  const teams = useTeams();
  const actions = useConversationActions(c.id);
  const [tag, setTag] = useState('');
  const error = actions.assign.error ?? actions.update.error ?? actions.addTag.error ?? actions.removeTag.error;

  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (t) actions.addTag.mutate(t, { onSuccess: () => setTag('') });
  };
  const team = teams.data?.find((t) => t.id === c.team_id);
  const queued = isQueued(c) && team;

  return (
    <aside className="details" aria-label="Details">
      <div className="details-head">
        <h2>Details</h2>
        <button type="button" className="btn btn-ghost details-close" onClick={onClose}>
          Close
        </button>
      </div>
      <section className="details-section">
        {/* Everyone picks from the whole account (the directory is open to agents too). */}
        <AssigneePicker
          value={c.assignee_id}
          directory={directory.data ?? []}
          meId={me?.id}
          team={team}
          disabled={actions.assign.isPending || directory.isPending}
          onChange={(memberId) => actions.assign.mutate({ member_id: memberId })}
        />
        <div className="details-field">
          <label>
            Team
            <select
              value={c.team_id ?? ''}
              aria-describedby={queued ? 'team-queue-hint' : undefined}
              onChange={(e) => actions.assign.mutate({ team_id: e.target.value || null })}
              disabled={actions.assign.isPending || teams.isPending}
            >
              <option value="">No team</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
              {c.team_id && teams.data && !team && <option value={c.team_id}>A deleted team</option>}
            </select>
          </label>
          {queued && (
            <span className="hint" id="team-queue-hint">
              Waiting in the {teamLabel(team.name)}’s queue
              {team.auto_assign ? ': it goes to the next member who is online and has room.' : ': someone of the team picks it up.'}
            </span>
          )}
        </div>

        <label>
          State
          <select value={c.state_id ?? ''} onChange={(e) => actions.update.mutate({ state_id: e.target.value || null })}>
            <option value="">None</option>
            {states.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={c.priority} onChange={(e) => actions.update.mutate({ priority: e.target.value as Priority })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <div>
          <span className="field-label" id="tags-label">
            Tags
          </span>
          <ul className="tags" aria-labelledby="tags-label">
            {c.tags.length === 0 && <li className="muted">No tags</li>}
            {c.tags.map((t) => (
              <li key={t} className="badge badge-tag" title={tagLabel(t)}>
                <span className="tag-text">{tagLabel(t)}</span>
                <button type="button" className="tag-remove" aria-label={`Remove tag ${t}`} onClick={() => actions.removeTag.mutate(t)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <form className="inline-form" onSubmit={addTag}>
            <label htmlFor="add-tag" className="sr-only">
              New tag
            </label>
            <input id="add-tag" value={tag} maxLength={50} placeholder="Add a tag" onChange={(e) => setTag(e.target.value)} />
            <button type="submit" className="btn" disabled={!tag.trim()}>
              Add
            </button>
          </form>
        </div>
        <FormError error={error} />
        <dl className="facts">
          <dt>Turns</dt>
          <dd>{c.turn_count}</dd>
          {c.score !== null && (
            <>
              <dt>Score</dt>
              <dd>{c.score} / 5</dd>
            </>
          )}
          {c.summary && (
            <>
              <dt>Summary</dt>
              <dd>{c.summary}</dd>
            </>
          )}
        </dl>
      </section>
      <VisitorSection conversation={c} />
      <ContactPanel contactId={c.contact_id} conversationId={c.id} />
    </aside>
  );
}
