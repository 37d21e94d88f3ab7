import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { isAdmin, useMe } from '../auth/session';
import { AvailabilityDot } from '../presence/AvailabilityDot';
import { AVAILABILITY_LABEL } from '../presence/labels';
import { useAvailabilityReporter } from '../presence/availability';
import { useEventStream } from '../realtime/useEventStream';
import { Bell } from '../notifications/Bell';
import { AssignedNotices } from './AssignedNotices';
import { OutageBanner } from './OutageBanner';
import { SessionExpiredBanner } from './SessionExpired';
import { TeamStatus } from './TeamStatus';
import { UserMenu } from './UserMenu';

/**
 * The frame around every signed-in page: navigation, the member's menu, the live event feed, and
 * the member's availability, said to the server while the app is open.
 */
export function AppShell() {
  const me = useMe().data;
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const live = useEventStream();
  const availability = useAvailabilityReporter(me?.id);
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
        {me && <Bell />}
        <button
          type="button"
          className="btn btn-ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <AvailabilityDot availability={availability.value} />
          Menu
          <span className="sr-only">, you are {AVAILABILITY_LABEL[availability.value].toLowerCase()}</span>
        </button>
        <nav
          id="main-nav"
          aria-label="Main"
          className={menuOpen ? 'nav nav-open' : 'nav'}
          // Following a link closes the phone menu; choosing an availability in it does not.
          onClick={(e) => (e.target as HTMLElement).closest('a') && setMenuOpen(false)}
        >
          <NavLink to="/inbox">Inbox</NavLink>
          <NavLink to="/contacts">Contacts</NavLink>
          <NavLink to="/analytics">Analytics</NavLink>
          <NavLink to="/canned-responses">Canned responses</NavLink>
          {/* The admin section has its own menu; agents do not see the way in at all. */}
          {isAdmin(me) && <NavLink to="/admin">Admin</NavLink>}
          <span className="nav-spacer" />
          <TeamStatus />
          <span className={`live-dot ${live}`} title={live === 'open' ? 'Live updates on' : 'Reconnecting to live updates…'}>
            <span className="sr-only">{live === 'open' ? 'Live updates on' : 'Live updates reconnecting'}</span>
          </span>
          {me && <UserMenu me={me} availability={availability} />}
        </nav>
      </header>
      <OutageBanner live={live} />
      <SessionExpiredBanner />
      <main id="main" className="main" key={location.pathname.startsWith('/inbox') ? 'inbox' : location.pathname}>
        <Outlet />
      </main>
      <AssignedNotices />
    </div>
  );
}
