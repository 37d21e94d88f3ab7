import { Navigate, Route, Routes, useLocation } from 'react-router';
import { lazy, Suspense, type ReactNode } from 'react';
import { useMe } from '../auth/session';
import { LoginPage } from '../auth/LoginPage';
import { PasswordPage } from '../account/PasswordPage';
import { InvitationPage } from '../account/InvitationPage';
import { ContactsPage } from '../contacts/ContactsPage';
import { ContactPage } from '../contacts/ContactPage';
import { InboxPage } from '../inbox/InboxPage';
import { AdminGuard } from '../admin/AdminGuard';
import { AgentsPage } from '../admin/AgentsPage';
import { AgentDetailPage } from '../admin/AgentDetailPage';
import { MembersPage } from '../admin/MembersPage';
import { TeamsPage } from '../admin/TeamsPage';
import { ChannelsPage } from '../admin/ChannelsPage';
import { WidgetChannelPage } from '../admin/widget/WidgetChannelPage';
import { NewEmailChannelPage } from '../admin/email/EmailChannelPage';
import { WorkspacePage } from '../admin/WorkspacePage';
import { AutomationsPage } from '../admin/AutomationsPage';
import { WebhooksPage } from '../admin/WebhooksPage';
import { AuditLogPage } from '../admin/AuditLogPage';
import { ExportsPage } from '../admin/ExportsPage';
import { CannedResponsesPage } from '../canned/CannedResponsesPage';
import { ErrorState, Loading, Empty } from '../ui/States';
import { AppShell } from './AppShell';
import { useSessionExpired } from './query-client';

// The charting library is most of the bundle's weight: load it only when analytics is opened.
const AnalyticsPage = lazy(() => import('../analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })));

/** Everything but the sign-in page needs a session; without one, go there and come back after. */
function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const expired = useSessionExpired();
  if (me.isPending) return <Loading label="Opening Parley…" />;
  if (me.isError) return <ErrorState error={me.error} retry={() => void me.refetch()} title="Parley could not be reached" />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired }} />;
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invite/:token" element={<InvitationPage />} />
      <Route
        element={
          <RequireSession>
            <AppShell />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/inbox" replace />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="inbox/:id" element={<InboxPage />} />
        <Route path="account/password" element={<PasswordPage />} />
        <Route path="contacts" element={<ContactsPage />} />
        <Route path="contacts/:id" element={<ContactPage />} />
        <Route path="canned-responses" element={<CannedResponsesPage />} />
        <Route path="admin" element={<AdminGuard />}>
          <Route index element={<Navigate to="/admin/agents" replace />} />
          <Route path="agents" element={<AgentsPage />} />
          <Route path="agents/:id" element={<AgentDetailPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="teams" element={<TeamsPage />} />
          <Route path="channels" element={<ChannelsPage />} />
          <Route path="channels/new/email" element={<NewEmailChannelPage />} />
          <Route path="channels/:id" element={<WidgetChannelPage />} />
          <Route path="automations" element={<AutomationsPage />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="audit" element={<AuditLogPage />} />
          <Route path="exports" element={<ExportsPage />} />
          <Route path="workspace" element={<WorkspacePage />} />
        </Route>
        <Route
          path="analytics"
          element={
            <Suspense fallback={<Loading label="Loading analytics…" />}>
              <AnalyticsPage />
            </Suspense>
          }
        />
        <Route
          path="*"
          element={
            <div className="page">
              <Empty title="Page not found">There is nothing at this address.</Empty>
            </div>
          }
        />
      </Route>
    </Routes>
  );
}
