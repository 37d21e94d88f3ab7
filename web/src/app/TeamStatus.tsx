import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';

/** The workspace settings, shared by the settings page and the shell (one cache entry). */
export function useWorkspace(options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ['workspace'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/settings/workspace'))).data,
    ...options,
  });
}

const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** "at 09:00" today, "tomorrow at 09:00", "Monday at 09:00" within the week, "12 Mar, 09:00" later; in the reader's own time. */
export function backAt(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(at) - midnight(now)) / 86_400_000);
  if (days <= 0) return `at ${time(at)}`;
  if (days === 1) return `tomorrow at ${time(at)}`;
  if (days < 7) return `${at.toLocaleDateString([], { weekday: 'long' })} at ${time(at)}`;
  return `${at.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time(at)}`;
}

/** What visitors are told about the team right now, in words. */
export function teamStatusText(status: { online: boolean; next_online_at: string | null }): string {
  if (status.online) return 'Team online';
  return status.next_online_at ? `Away · back ${backAt(status.next_online_at)}` : 'Away';
}

/**
 * The small online / away badge in the top bar: whether the team is within its business hours,
 * as the chat widget tells visitors. Read again every minute, since the hours open and close.
 */
export function TeamStatus() {
  const workspace = useWorkspace({ refetchInterval: 60_000 });
  const data = workspace.data;
  if (!data) return null;
  const hours = data.business_hours;
  const why = !hours
    ? 'No business hours are set, so visitors see the team as online'
    : !hours.enabled
      ? 'Business hours are switched off, so visitors see the team as online'
      : data.online
        ? 'Within business hours: visitors see the team as online'
        : 'Outside business hours: visitors are told when the team is back';
  return (
    <span className={`team-status ${data.online ? 'team-online' : 'team-away'}`} title={why} role="status">
      <span className="team-status-dot" aria-hidden="true" />
      {teamStatusText(data)}
    </span>
  );
}
