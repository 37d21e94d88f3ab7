import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useMe } from '../auth/session';
import { useMembers, useTeams } from '../inbox/queries';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_LABEL } from '../presence/labels';
import { ErrorState, FormError, Loading } from '../ui/States';
import { InvitationsSection } from './InvitationsSection';
import './members.css';

type Role = 'admin' | 'agent';

/** The workspace's members, their roles, and invitations by link (an admin never types anyone's password). */
export function MembersPage() {
  const me = useMe().data;
  const members = useMembers(true);
  const teams = useTeams().data ?? [];
  const teamsOf = (id: string) => teams.filter((t) => t.member_ids.includes(id)).map((t) => t.name);
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['members'] });
  const setRole = useMutation({
    mutationFn: (v: { id: string; role: Role }) => unwrap(api.POST('/api/v1/members/{id}/role', { params: { path: { id: v.id } }, body: { role: v.role } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/members/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  return (
    <>
      <h1>Members and roles</h1>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="members-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Availability</th>
                <th scope="col">Teams</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <tr key={m.id}>
                  <td data-label="Name">{m.name}</td>
                  <td data-label="Email">{m.email}</td>
                  <td data-label="Role">
                    <label className="sr-only" htmlFor={`role-${m.id}`}>
                      Role of {m.name}
                    </label>
                    <select id={`role-${m.id}`} value={m.role} disabled={m.id === me?.id} onChange={(e) => setRole.mutate({ id: m.id, role: e.target.value as Role })}>
                      <option value="admin">admin</option>
                      <option value="agent">agent</option>
                    </select>
                  </td>
                  <td data-label="Availability">
                    <span className="availability-cell">
                      <AvailabilityDot availability={m.availability} />
                      {AVAILABILITY_LABEL[m.availability]}
                    </span>
                  </td>
                  <td data-label="Teams">{teamsOf(m.id).join(', ') || <span className="muted">—</span>}</td>
                  <td className="member-actions">
                    {m.id !== me?.id && (
                      <button
                        type="button"
                        className="btn btn-ghost"
                        aria-label={`Remove ${m.name}`}
                        onClick={() => window.confirm(`Remove ${m.name}? They are signed out and their conversations go back to the queue.`) && remove.mutate(m.id)}
                      >
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={setRole.error ?? remove.error} />
      <InvitationsSection />
    </>
  );
}
