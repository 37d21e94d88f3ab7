import type { Team } from '../api/types';
import { useTeams } from './queries';
import { teamLabel } from './teams';

/** A team of the account by id (undefined while the teams load, or for a team since deleted). */
export function useTeam(teamId: string | null | undefined): Team | undefined {
  const teams = useTeams().data;
  return teamId ? teams?.find((t) => t.id === teamId) : undefined;
}

/** Two heads: the mark of a team, beside its name in badges. */
export function TeamIcon() {
  return (
    <svg className="team-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="5.5" cy="5" r="2.3" />
      <circle cx="11" cy="5.6" r="1.9" />
      <path d="M1.2 13c.3-2.6 2.1-4.2 4.3-4.2s4 1.6 4.3 4.2z" />
      <path d="M10.4 13c-.1-1.5-.6-2.8-1.5-3.7.5-.3 1.1-.5 1.9-.5 1.9 0 3.3 1.4 3.6 4.2z" />
    </svg>
  );
}

/**
 * The conversation's team as a badge; `queued` adds that it waits in the team's queue for someone
 * free (handed to the team, nobody assigned yet).
 */
export function TeamBadge({ teamId, queued = false, compact = false }: { teamId: string | null; queued?: boolean; compact?: boolean }) {
  const team = useTeam(teamId);
  if (!teamId || !team) return null;
  const title = queued ? `${teamLabel(team.name)}: waiting in its queue for someone free` : `Team: ${team.name}`;
  return (
    <span className={`badge badge-team${queued ? ' badge-team-queued' : ''}`} title={title}>
      <TeamIcon />
      <span className="sr-only">Team </span>
      {team.name}
      {queued && !compact && <span className="badge-team-queue"> · in queue</span>}
    </span>
  );
}
