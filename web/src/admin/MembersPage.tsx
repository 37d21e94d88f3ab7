import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useMe } from '../auth/session';
import { useMembers, useTeams } from '../inbox/queries';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_LABEL } from '../presence/labels';
import { ErrorState, FormError, Loading } from '../ui/States';

type Role = 'admin' | 'agent';

export function MembersPage() {
  const me = useMe().data;
  const members = useMembers(true);
  const teams = useTeams().data ?? [];
  const teamsOf = (id: string) => teams.filter((t) => t.member_ids.includes(id)).map((t) => t.name);
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['members'] });
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role, password: '' });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/members', { body: form })),
    onSuccess: () => {
      setForm({ email: '', name: '', role: 'agent', password: '' });
      refresh();
    },
  });
  const setRole = useMutation({
    mutationFn: (v: { id: string; role: Role }) => unwrap(api.POST('/api/v1/members/{id}/role', { params: { path: { id: v.id } }, body: { role: v.role } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/members/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <>
      <h1>Members and roles</h1>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : (
        <div className="table-wrap">
          <table>
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
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>
                    <label className="sr-only" htmlFor={`role-${m.id}`}>
                      Role of {m.name}
                    </label>
                    <select id={`role-${m.id}`} value={m.role} disabled={m.id === me?.id} onChange={(e) => setRole.mutate({ id: m.id, role: e.target.value as Role })}>
                      <option value="admin">admin</option>
                      <option value="agent">agent</option>
                    </select>
                  </td>
                  <td>
                    <span className="availability-cell">
                      <AvailabilityDot availability={m.availability} />
                      {AVAILABILITY_LABEL[m.availability]}
                    </span>
                  </td>
                  <td>{teamsOf(m.id).join(', ') || <span className="muted">—</span>}</td>
                  <td>
                    {m.id !== me?.id && (
                      <button type="button" className="btn btn-ghost" onClick={() => window.confirm(`Remove ${m.name}?`) && remove.mutate(m.id)}>
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
      <form className="card form" onSubmit={submit} aria-label="Add a member">
        <h2>Add a member</h2>
        <label>
          Name
          <input value={form.name} required onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Email
          <input type="email" value={form.email} required onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            <option value="agent">agent — works the inbox</option>
            <option value="admin">admin — also manages the workspace</option>
          </select>
        </label>
        <label>
          First password <span className="hint">(at least 8 characters; they can change it)</span>
          <input type="password" autoComplete="new-password" minLength={8} value={form.password} required onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </label>
        <FormError error={create.error} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          Add member
        </button>
      </form>
    </>
  );
}
