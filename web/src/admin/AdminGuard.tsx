import { NavLink, Outlet } from 'react-router';
import { isAdmin, useMe } from '../auth/session';
import { Forbidden } from '../ui/States';

const LINKS = [
  ['/admin/agents', 'AI agents'],
  ['/admin/members', 'Members'],
  ['/admin/teams', 'Teams'],
  ['/admin/channels', 'Channels'],
  ['/admin/automations', 'Automations'],
  ['/admin/webhooks', 'Webhooks'],
  ['/admin/workspace', 'Workspace'],
  ['/admin/audit', 'Audit log'],
  ['/admin/exports', 'Exports'],
] as const;

/** Admin pages: a 403 state for agents (the server refuses their calls too), a section menu for admins. */
export function AdminGuard() {
  const me = useMe().data;
  if (!isAdmin(me)) {
    return (
      <div className="page">
        <Forbidden />
      </div>
    );
  }
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="Administration">
        {LINKS.map(([to, label]) => (
          <NavLink key={to} to={to}>
            {label}
          </NavLink>
        ))}
      </nav>
      <div className="page">
        <Outlet />
      </div>
    </div>
  );
}
