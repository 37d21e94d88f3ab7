import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { DirectoryEntry, Team } from '../api/types';
import { useMemberDirectory, useTeams } from '../inbox/queries';
import { TeamIcon } from '../inbox/TeamBadge';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_ORDER } from '../inbox/assignee-options';
import { AVAILABILITY_LABEL } from '../presence/labels';
import { ErrorState, Empty, FormError, Loading } from '../ui/States';
import { TeamForm } from './TeamForm';
import './teams.css';

/** /admin/teams: the teams conversations are handed to, who is in them, and how they hand them out. */
export function TeamsPage() {
  const teams = useTeams();
  const directory = useMemberDirectory();
  // Which form is open: a new team, or the id of the team being edited.
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const people = directory.data ?? [];

  return (
    <>
      <div className="channels-head">
        <h1>Teams</h1>
        {editing !== 'new' && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            + New team
          </button>
        )}
      </div>
      <p className="muted page-intro">
        A conversation handed to a person goes to its channel’s default team. A team that assigns automatically gives it to its online member with the
        fewest open conversations; otherwise it waits in the team’s queue.
      </p>
      {editing === 'new' && <TeamForm team={null} directory={people} onDone={() => setEditing(null)} />}
      {teams.isPending ? (
        <Loading />
      ) : teams.isError ? (
        <ErrorState error={teams.error} retry={() => void teams.refetch()} />
      ) : teams.data.length === 0 ? (
        editing !== 'new' && (
          <Empty title="No teams yet">
            <p>Group the people who answer, say Support or Billing, and let Parley share conversations out between them.</p>
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
              Create a team
            </button>
          </Empty>
        )
      ) : (
        <ul className="card-list team-list">
          {teams.data.map((t) =>
            editing === t.id ? (
              <li key={t.id}>
                <TeamForm team={t} directory={people} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <TeamCard key={t.id} team={t} directory={people} onEdit={() => setEditing(t.id)} />
            ),
          )}
        </ul>
      )}
    </>
  );
}

/** How the team's conversations reach its members, after the Auto-assign / Manual badge. */
function rule(team: Team): string {
  if (!team.auto_assign) return 'Conversations wait in its queue until someone picks them up';
  const limit = team.max_open_per_member;
  return `To whoever is online with the fewest open conversations · ${limit > 0 ? `at most ${limit} each` : 'no limit per member'}`;
}

function TeamCard({ team, directory, onEdit }: { team: Team; directory: DirectoryEntry[]; onEdit: () => void }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/teams/{id}', { params: { path: { id: team.id } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['teams'] });
      // Channels that handed off to it no longer do.
      void client.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const members = directory
    .filter((m) => team.member_ids.includes(m.id))
    .sort((a, b) => AVAILABILITY_ORDER[a.availability] - AVAILABILITY_ORDER[b.availability]);
  const online = members.filter((m) => m.availability === 'online').length;

  return (
    <li className="card team-card" aria-label={team.name}>
      <div className="team-card-main">
        <h2>
          <TeamIcon /> {team.name}
        </h2>
        <p className="muted team-rule">
          <span className={`badge ${team.auto_assign ? 'badge-active' : ''}`}>{team.auto_assign ? 'Auto-assign' : 'Manual'}</span> {rule(team)}
        </p>
      </div>
      {!confirming && (
        <div className="team-card-actions">
          <button type="button" className="btn" onClick={onEdit} aria-label={`Edit ${team.name}`}>
            Edit
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setConfirming(true)} aria-label={`Delete ${team.name}`}>
            Delete
          </button>
        </div>
      )}
      <p className="team-count">
        {members.length === 0 ? 'No members yet: nobody receives its conversations.' : `${members.length} ${members.length === 1 ? 'member' : 'members'} · ${online} online`}
      </p>
      {members.length > 0 && (
        <ul className="member-chips" aria-label={`Members of ${team.name}`}>
          {members.map((m) => (
            <li key={m.id} className="member-chip" title={`${m.name}: ${AVAILABILITY_LABEL[m.availability].toLowerCase()}`}>
              <AvailabilityDot availability={m.availability} labelled />
              {m.name}
            </li>
          ))}
        </ul>
      )}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={`Delete ${team.name}?`}>
          <p>
            <strong>Delete {team.name}?</strong> Its conversations keep their assignees but leave the team, and channels that hand off to it no longer
            do.
          </p>
          <div className="confirm-actions">
            <button type="button" className="btn" onClick={() => setConfirming(false)} autoFocus>
              Keep it
            </button>
            <button type="button" className="btn btn-danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
              {remove.isPending ? 'Deleting…' : 'Delete team'}
            </button>
          </div>
          <FormError error={remove.error} />
        </div>
      )}
    </li>
  );
}
