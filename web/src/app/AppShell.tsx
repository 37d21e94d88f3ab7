import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { isAdmin, useLogout, useMe } from '../auth/session';
import { useEventStream } from '../realtime/useEventStream';
import { TeamStatus } from './TeamStatus';


/** The frame around every signed-in page: navigation, the member's menu, and the live event feed. */
export function AppShell() {
  const me = useMe().data;
  const logout = useLogout();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const live = useEventStream();
  const inConversation = /^\/inbox\/[^/]+/.test(location.pathname);

  return (
    <div className={`shell${inConversation ? ' shell-in-conversation' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/inbox" className="brand" aria-label="Parley inbox">
          Parley
        </NavLink>
        <button
          type="button"
          className="btn btn-ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? 'nav nav-open' : 'nav'} onClick={() => setMenuOpen(false)}>
          <NavLink to="/inbox">Inbox</NavLink>
          <NavLink to="/analytics">Analytics</NavLink>
          {/* The admin section has its own menu; agents do not see the way in at all. */}
          {isAdmin(me) && <NavLink to="/admin">Admin</NavLink>}
          <span className="nav-spacer" />
          <TeamStatus />
          <span className={`live-dot ${live}`} title={live === 'open' ? 'Live updates on' : 'Reconnecting to live updates…'}>
            <span className="sr-only">{live === 'open' ? 'Live updates on' : 'Live updates reconnecting'}</span>
          </span>
          <NavLink to="/account/password" title={me?.email}>
            {me?.name} <span className="muted">({me?.role})</span>
          </NavLink>
          <button type="button" className="btn btn-ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </button>
        </nav>
      </header>
      <main id="main" className="main" key={location.pathname.startsWith('/inbox') ? 'inbox' : location.pathname}>
        <Outlet />
      </main>
    </div>
  );
}
