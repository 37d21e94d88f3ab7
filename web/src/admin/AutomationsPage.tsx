import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { ErrorState, Empty, FormError, Loading } from '../ui/States';
import { useAgents, useMemberDirectory, useStates, useTeams } from '../inbox/queries';
import { ACTIONS, describeCondition } from './automation-form';
import { AutomationBuilder } from './AutomationBuilder';

export function AutomationsPage() {
  const client = useQueryClient();
  const automations = useQuery({
    queryKey: ['automations'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/automations', { params: { query: { limit: 100 } } }))).data,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['automations'] });
  const members = useMemberDirectory();
  const states = useStates();
  const teams = useTeams();
  const agents = useAgents();
  // A rule stores ids; people read the names they picked.
  const describeAction = (x: { type: string; value?: unknown }) => {
    const label = ACTIONS.find((a) => a.type === x.type)?.label ?? x.type;
    if (x.value === undefined || x.value === null) return x.type === 'assign' ? 'Unassign' : x.type === 'set_state' ? 'Clear the state' : label;
    const named =
      x.type === 'assign'
        ? members.data?.find((m) => m.id === x.value)?.name
        : x.type === 'assign_team'
          ? teams.data?.find((t) => t.id === x.value)?.name
          : x.type === 'set_state'
            ? states.data?.find((s) => s.id === x.value)?.name
            : undefined;
    return `${label} “${named ?? String(x.value)}”`;
  };
  const nameOf = (field: string, value: unknown) =>
    field === 'conversation.team_id'
      ? value === null
        ? 'no team'
        : teams.data?.find((t) => t.id === value)?.name
      : field === 'agent.id'
        ? agents.data?.find((a) => a.id === value)?.name
        : undefined;
  const toggle = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/automations/{id}/toggle', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/automations/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  return (
    <>
      <h1>Automations</h1>
      <p className="muted">When an event happens and every condition holds, the actions run in order.</p>
      {automations.isPending ? (
        <Loading />
      ) : automations.isError ? (
        <ErrorState error={automations.error} retry={() => void automations.refetch()} />
      ) : automations.data.length === 0 ? (
        <Empty title="No automations yet">Build your first rule below.</Empty>
      ) : (
        <ul className="card-list">
          {automations.data.map((a) => (
            <li key={a.id} className="card">
              <div className="row-between">
                <span>
                  <strong>{a.name}</strong> <span className={`badge ${a.active ? 'badge-active' : ''}`}>{a.active ? 'active' : 'paused'}</span>
                </span>
                <span>
                  <button type="button" className="btn" onClick={() => toggle.mutate(a.id)}>
                    {a.active ? 'Pause' : 'Activate'}
                  </button>{' '}
                  <button type="button" className="btn btn-ghost" onClick={() => window.confirm(`Delete ${a.name}?`) && remove.mutate(a.id)}>
                    Delete
                  </button>
                </span>
              </div>
              <p className="rule">
                <span className="muted">When</span> {a.event}
                {a.conditions.length > 0 && (
                  <>
                    {' '}
                    <span className="muted">if</span> {a.conditions.map((c) => describeCondition(c, nameOf)).join(' and ')}
                  </>
                )}{' '}
                <span className="muted">then</span> {a.actions.map(describeAction).join(', ')}
              </p>
            </li>
          ))}
        </ul>
      )}
      <FormError error={toggle.error ?? remove.error} />
      <AutomationBuilder onCreated={refresh} />
    </>
  );
}
