import { useEffect } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { contactLabel } from '../ui/format';
import { useContact } from '../inbox/queries';
import { useTeam } from '../inbox/TeamBadge';
import { teamLabel } from '../inbox/teams';
import { dismissNotice, useAssignedNotices, type AssignedNotice } from '../realtime/assignments';

/** Long enough to be read on a glance back at the screen; the conversation stays in "Mine" anyway. */
const SHOWN_MS = 20_000;

function Notice({ notice }: { notice: AssignedNotice }) {
  const client = useQueryClient();
  const contact = useContact(notice.contactId).data;
  const team = useTeam(notice.teamId);
  const dismiss = () => dismissNotice(client, notice.eventId);
  useEffect(() => {
    const timer = setTimeout(() => dismissNotice(client, notice.eventId), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [client, notice.eventId]);
  const by = team ? teamLabel(team.name) : 'your team';
  return (
    <li className="assigned-notice">
      <div className="assigned-notice-text">
        <strong>Assigned to you by {by}</strong>
        <span className="muted">
          {contactLabel(contact, notice.contactId)}
          {notice.title ? ` · ${notice.title}` : ''}
        </span>
      </div>
      <Link to={`/inbox/${notice.conversationId}`} className="btn btn-primary" onClick={dismiss}>
        Open
      </Link>
      <button type="button" className="btn btn-ghost assigned-notice-close" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </li>
  );
}

/** Conversations a team just gave the member by itself, in a corner, each for a short while. */
export function AssignedNotices() {
  const notices = useAssignedNotices();
  return (
    <ul className="assigned-notices" role="status" aria-live="polite" aria-label="Assignments">
      {notices.map((n) => (
        <Notice key={n.eventId} notice={n} />
      ))}
    </ul>
  );
}
