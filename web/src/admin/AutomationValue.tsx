import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useMemberDirectory, useStates, useTeams } from '../inbox/queries';
import { FieldError } from '../ui/States';
import { MODE_CHOICES, PRIORITY_CHOICES, type ACTIONS } from './automation-form';

type Spec = (typeof ACTIONS)[number];
type Choice = { value: string; label: string };

function useWebhookEndpoints(enabled: boolean) {
  return useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/webhooks', { params: { query: { limit: 100 } } }))).data,
    enabled,
  });
}

/**
 * An action's value, chosen the way a person knows it: a member, team, state or webhook endpoint by
 * name (the rule stores its id), a mode or priority from the list, or typed text.
 */
export function ActionValue({
  spec,
  index,
  value,
  onChange,
  error,
}: {
  spec: Spec;
  index: number;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const members = useMemberDirectory();
  const states = useStates();
  const teams = useTeams();
  const webhooks = useWebhookEndpoints(spec.pick === 'webhook');
  const errorId = `action-${index}-value-error`;

  let choices: Choice[] | null = null;
  let empty = 'Choose…';
  if (spec.pick === 'member') {
    choices = (members.data ?? []).map((m) => ({ value: m.id, label: m.name }));
    empty = 'Nobody (unassign)';
  } else if (spec.pick === 'team') {
    choices = (teams.data ?? []).map((t) => ({ value: t.id, label: t.name }));
    empty = 'Choose a team…';
  } else if (spec.pick === 'state') {
    choices = (states.data ?? []).map((s) => ({ value: s.id, label: s.name }));
    empty = 'No state';
  } else if (spec.pick === 'webhook') {
    choices = (webhooks.data ?? []).map((w) => ({ value: w.id, label: w.url }));
    empty = 'Choose an endpoint…';
  } else if (spec.pick === 'mode') {
    choices = MODE_CHOICES;
  } else if (spec.pick === 'priority') {
    choices = PRIORITY_CHOICES.map((p) => ({ value: p, label: p[0].toUpperCase() + p.slice(1) }));
  }

  const label = spec.pick === 'member' ? 'Member' : spec.pick === 'team' ? 'Team' : spec.pick === 'state' ? 'State' : spec.pick === 'webhook' ? 'Endpoint' : 'Value';
  return (
    <label>
      {label} {spec.hint && <span className="hint">({spec.hint})</span>}
      {choices ? (
        <select name={`action-${index}-value`} value={value} aria-describedby={errorId} onChange={(e) => onChange(e.target.value)}>
          <option value="">{empty}</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : (
        <input name={`action-${index}-value`} value={value} aria-describedby={errorId} onChange={(e) => onChange(e.target.value)} />
      )}
      <FieldError id={errorId} message={error} />
    </label>
  );
}
