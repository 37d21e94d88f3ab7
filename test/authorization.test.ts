import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, login, loginAsAgentMember, type TestSession } from './auth.js';
import { createTestApp, DIALECTS, type TestApp } from './helpers.js';
import { api } from './http.js';

/**
 * The authorization matrix of issue 3: every route × no credential / API key / agent member /
 * admin member / a credential of another account, asserting 401/403/404 exactly, plus CSRF.
 */
type Access = 'any' | 'member' | 'admin' | 'adminOrKey';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Fixture {
  agentId: string;
  contactId: number;
  conversationId: string;
  assistantMessageId: number;
  documentId: string;
  channelId: string;
  stateId: string;
  keyId: string;
  teamId: string;
  /** The agent member's id: shared views they own are open to them and to admins alike. */
  agentMemberId: string;
}

interface RouteCase {
  method: Method;
  /** The OpenAPI path, to check that every route of the app is covered. */
  route: string;
  access: Access;
  /** A concrete URL (and body); called once per caller, so destructive routes get fresh targets. */
  request(fx: Fixture, t: TestApp, admin: TestSession): Promise<{ url: string; body?: unknown }> | { url: string; body?: unknown };
  /** Whether a credential of another account must get 404 (the route names a resource of this account). */
  scoped?: boolean;
  /** The resource is the admin's own (a notification): another member of the account gets 404 too. */
  ownerOnly?: boolean;
}

const CASES: RouteCase[] = [
  { method: 'GET', route: '/api/v1/me', access: 'member', request: () => ({ url: '/api/v1/me' }) },
  { method: 'GET', route: '/api/v1/members/directory', access: 'any', request: () => ({ url: '/api/v1/members/directory' }) },
  { method: 'POST', route: '/api/v1/me/availability', access: 'member', request: () => ({ url: '/api/v1/me/availability', body: { availability: 'away' } }) },
  { method: 'GET', route: '/api/v1/teams', access: 'any', request: () => ({ url: '/api/v1/teams' }) },
  {
    method: 'POST',
    route: '/api/v1/teams',
    access: 'adminOrKey',
    request: () => ({ url: '/api/v1/teams', body: { name: `Team ${Math.random().toString(36).slice(2)}` } }),
  },
  { method: 'GET', route: '/api/v1/teams/{id}', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/teams/${fx.teamId}` }) },
  {
    method: 'PATCH',
    route: '/api/v1/teams/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/teams/${fx.teamId}`, body: { max_open_per_member: 5 } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/teams/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t) => {
      const team = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: `Gone ${Math.random().toString(36).slice(2)}` });
      return { url: `/api/v1/teams/${team.body.data.id}` };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/settings/password',
    access: 'member',
    request: () => ({ url: '/api/v1/settings/password', body: { current_password: 'wrong password!', new_password: 'another long one' } }),
  },
  { method: 'GET', route: '/api/v1/members', access: 'admin', request: () => ({ url: '/api/v1/members' }) },
  { method: 'GET', route: '/api/v1/audit_log', access: 'admin', request: () => ({ url: '/api/v1/audit_log' }) },
  {
    method: 'POST',
    route: '/api/v1/members',
    access: 'admin',
    request: () => ({ url: '/api/v1/members', body: { email: `m${Math.random()}@example.com`, name: 'M', role: 'agent', password: 'long enough pw' } }),
  },
  {
    method: 'GET',
    route: '/api/v1/members/{id}',
    access: 'admin',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: `/api/v1/members/${(await createMember(t, { admin })).member.id}` }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/members/{id}',
    access: 'admin',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: `/api/v1/members/${(await createMember(t, { admin })).member.id}` }),
  },
  {
    method: 'POST',
    route: '/api/v1/members/{id}/role',
    access: 'admin',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: `/api/v1/members/${(await createMember(t, { admin })).member.id}/role`, body: { role: 'admin' } }),
  },
  {
    method: 'POST',
    route: '/api/v1/members/invitations',
    access: 'admin',
    request: () => ({ url: '/api/v1/members/invitations', body: { email: `i${Math.random()}@example.com`, role: 'agent' } }),
  },
  { method: 'GET', route: '/api/v1/members/invitations', access: 'admin', request: () => ({ url: '/api/v1/members/invitations' }) },
  {
    method: 'DELETE',
    route: '/api/v1/members/invitations/{id}',
    access: 'admin',
    scoped: true,
    request: async (_fx, t, admin) => {
      const body = { email: `i${Math.random()}@example.com`, role: 'agent' };
      const created = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/members/invitations', body, admin.headers);
      return { url: `/api/v1/members/invitations/${created.body.data.id}` };
    },
  },
  { method: 'GET', route: '/api/v1/agents', access: 'any', request: () => ({ url: '/api/v1/agents' }) },
  { method: 'POST', route: '/api/v1/agents', access: 'admin', request: () => ({ url: '/api/v1/agents', body: { name: 'Another agent' } }) },
  { method: 'GET', route: '/api/v1/agents/{id}', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}` }) },
  {
    method: 'PATCH',
    route: '/api/v1/agents/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}`, body: { description: 'patched' } }),
  },
  { method: 'GET', route: '/api/v1/agents/{id}/keys', access: 'admin', scoped: true, request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}/keys` }) },
  {
    method: 'POST',
    route: '/api/v1/agents/{id}/keys',
    access: 'admin',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}/keys`, body: { name: 'matrix' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/agents/{id}/keys/{key_id}',
    access: 'admin',
    scoped: true,
    request: async (fx, t) => {
      const key = await t.services.apiKeys.create(t.workspace.accountId, fx.agentId, { name: 'to revoke' });
      return { url: `/api/v1/agents/${fx.agentId}/keys/${key.id}` };
    },
  },
  { method: 'GET', route: '/api/v1/agents/{id}/documents', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}/documents` }) },
  {
    method: 'POST',
    route: '/api/v1/agents/{id}/documents',
    access: 'adminOrKey',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}/documents`, body: { title: 'Doc', body: 'Some text about gift cards.' } }),
  },
  {
    method: 'GET',
    route: '/api/v1/agents/{id}/documents/{document_id}',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}/documents/${fx.documentId}` }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/agents/{id}/documents/{document_id}',
    access: 'adminOrKey',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/agents/${fx.agentId}/documents/${fx.documentId}`, body: { title: 'Renamed' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/agents/{id}/documents/{document_id}',
    access: 'adminOrKey',
    scoped: true,
    request: async (fx, t) => {
      const doc = await t.services.knowledge.createDocument(t.workspace.accountId, fx.agentId, { title: 'Temp', body: 'Temporary text.' });
      return { url: `/api/v1/agents/${fx.agentId}/documents/${doc.id}` };
    },
  },
  { method: 'GET', route: '/api/v1/contacts', access: 'any', request: () => ({ url: '/api/v1/contacts' }) },
  { method: 'POST', route: '/api/v1/contacts', access: 'any', request: () => ({ url: '/api/v1/contacts', body: { name: 'Guest' } }) },
  { method: 'GET', route: '/api/v1/contacts/{id}', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/contacts/${fx.contactId}` }) },
  {
    method: 'PATCH',
    route: '/api/v1/contacts/{id}',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/contacts/${fx.contactId}`, body: { name: 'Renamed' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/contacts/{id}',
    access: 'admin',
    scoped: true,
    request: async (_fx, t) => ({ url: `/api/v1/contacts/${(await freshContact(t)).id}` }),
  },
  {
    method: 'GET',
    route: '/api/v1/contacts/{id}/conversations',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/contacts/${fx.contactId}/conversations` }),
  },
  { method: 'GET', route: '/api/v1/contacts/{id}/export', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/contacts/${fx.contactId}/export` }) },
  { method: 'POST', route: '/api/v1/exports', access: 'adminOrKey', request: () => ({ url: '/api/v1/exports', body: { resource: 'contacts', format: 'csv' } }) },
  { method: 'GET', route: '/api/v1/exports', access: 'adminOrKey', request: () => ({ url: '/api/v1/exports' }) },
  {
    method: 'GET',
    route: '/api/v1/exports/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t) => ({ url: `/api/v1/exports/${await fixtureExport(t)}` }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/contacts/{id}/conversations',
    access: 'any',
    scoped: true,
    request: async (_fx, t) => ({ url: `/api/v1/contacts/${(await freshContact(t)).id}/conversations` }),
  },
  { method: 'GET', route: '/api/v1/conversations', access: 'any', request: () => ({ url: '/api/v1/conversations' }) },
  {
    method: 'POST',
    route: '/api/v1/conversations',
    access: 'any',
    request: (fx) => ({ url: '/api/v1/conversations', body: { contact_id: fx.contactId, agent_id: fx.agentId } }),
  },
  { method: 'GET', route: '/api/v1/conversations/{id}', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}` }) },
  {
    method: 'PATCH',
    route: '/api/v1/conversations/{id}',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}`, body: { priority: 'high' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/conversations/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: async (fx, t) => ({ url: `/api/v1/conversations/${await freshConversation(t, fx)}` }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/end',
    access: 'any',
    scoped: true,
    request: async (fx, t) => ({ url: `/api/v1/conversations/${await freshConversation(t, fx)}/end` }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/snooze',
    access: 'any',
    scoped: true,
    request: async (fx, t) => ({
      url: `/api/v1/conversations/${await freshConversation(t, fx)}/snooze`,
      body: { until: new Date(Date.now() + 3_600_000).toISOString() },
    }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/unsnooze',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/unsnooze` }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/reopen',
    access: 'any',
    scoped: true,
    request: async (fx, t) => {
      const id = await freshConversation(t, fx);
      await api(t, 'POST', `/api/v1/conversations/${id}/end`);
      return { url: `/api/v1/conversations/${id}/reopen` };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/tags',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/tags`, body: { tag: 'matrix' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/conversations/{id}/tags/{tag}',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/tags/matrix` }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/assign',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/assign`, body: { member_id: null } }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/mode',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/mode`, body: { mode: 'ai' } }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/handoff',
    access: 'any',
    scoped: true,
    request: async (fx, t) => ({ url: `/api/v1/conversations/${await freshConversation(t, fx)}/handoff`, body: {} }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/typing',
    access: 'member',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/typing`, body: { typing: true } }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{id}/viewing',
    access: 'member',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/viewing`, body: { viewing: true } }),
  },
  { method: 'GET', route: '/api/v1/canned_responses', access: 'member', request: () => ({ url: '/api/v1/canned_responses' }) },
  {
    method: 'POST',
    route: '/api/v1/canned_responses',
    access: 'member',
    request: () => ({ url: '/api/v1/canned_responses', body: { shortcut: `m-${Math.random().toString(36).slice(2)}`, content: 'Hello {{contact.first_name}}' } }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/canned_responses/{id}',
    access: 'admin',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: `/api/v1/canned_responses/${await freshWorkspaceResponse(t, admin)}`, body: { title: 'Patched' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/canned_responses/{id}',
    access: 'admin',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: `/api/v1/canned_responses/${await freshWorkspaceResponse(t, admin)}` }),
  },
  {
    method: 'GET',
    route: '/api/v1/conversations/{conversation_id}/messages',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/messages` }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{conversation_id}/messages',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/messages`, body: { content: 'note', role: 'note' } }),
  },
  {
    method: 'GET',
    route: '/api/v1/conversations/{conversation_id}/messages/{message_id}',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/messages/${fx.assistantMessageId}` }),
  },
  {
    method: 'GET',
    route: '/api/v1/conversations/{conversation_id}/messages/{message_id}/email',
    access: 'member',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: await receivedMailUrl(t, admin) }),
  },
  {
    method: 'POST',
    route: '/api/v1/conversations/{conversation_id}/messages/{message_id}/feedback',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/messages/${fx.assistantMessageId}/feedback`, body: { rating: 'like' } }),
  },
  {
    method: 'GET',
    route: '/api/v1/conversations/{id}/suggestion',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/suggestion` }),
  },
  {
    // A JSON body is not an upload (400): enough to show who gets past the rights check.
    method: 'POST',
    route: '/api/v1/conversations/{id}/attachments',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/attachments` }),
  },
  {
    method: 'GET',
    route: '/api/v1/conversations/{id}/transcript',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversations/${fx.conversationId}/transcript` }),
  },
  { method: 'GET', route: '/api/v1/conversations/counts', access: 'member', request: () => ({ url: '/api/v1/conversations/counts' }) },
  {
    method: 'POST',
    route: '/api/v1/conversations/bulk',
    access: 'any',
    request: async (fx, t) => ({ url: '/api/v1/conversations/bulk', body: { ids: [await freshConversation(t, fx)], action: 'set_priority', value: 'high' } }),
  },
  { method: 'GET', route: '/api/v1/views', access: 'member', request: () => ({ url: '/api/v1/views' }) },
  {
    method: 'POST',
    route: '/api/v1/views',
    access: 'member',
    request: () => ({ url: '/api/v1/views', body: { name: 'Urgent', scope: 'personal', filters: { priority: 'urgent' } } }),
  },
  ...(['GET', 'PATCH', 'DELETE'] as const).map(
    (method): RouteCase => ({
      method,
      route: '/api/v1/views/{id}',
      access: 'member',
      scoped: true,
      request: async (fx, t) => ({
        url: `/api/v1/views/${await freshSharedView(t, fx)}`,
        body: method === 'PATCH' ? { name: 'Renamed' } : undefined,
      }),
    }),
  ),
  { method: 'GET', route: '/api/v1/settings/workspace', access: 'any', request: () => ({ url: '/api/v1/settings/workspace' }) },
  {
    method: 'GET',
    route: '/api/v1/analytics',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/analytics?days=7&agent_id=${fx.agentId}` }),
  },
  {
    method: 'POST',
    route: '/api/v1/settings/workspace',
    access: 'admin',
    request: () => ({ url: '/api/v1/settings/workspace', body: { name: 'Matrix workspace' } }),
  },
  { method: 'GET', route: '/api/v1/channels', access: 'any', request: () => ({ url: '/api/v1/channels' }) },
  { method: 'POST', route: '/api/v1/channels', access: 'adminOrKey', request: () => ({ url: '/api/v1/channels', body: { name: 'Web', type: 'web_widget' } }) },
  { method: 'GET', route: '/api/v1/channels/{id}', access: 'any', scoped: true, request: (fx) => ({ url: `/api/v1/channels/${fx.channelId}` }) },
  {
    method: 'PATCH',
    route: '/api/v1/channels/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/channels/${fx.channelId}`, body: { active: true } }),
  },
  {
    method: 'POST',
    route: '/api/v1/channels/{id}/rotate_identity_secret',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t, admin) => {
      const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Widget', type: 'web_widget' }, admin.headers);
      return { url: `/api/v1/channels/${res.body.data.id}/rotate_identity_secret` };
    },
  },
  {
    method: 'DELETE',
    route: '/api/v1/channels/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t, admin) => {
      const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Temp', type: 'sms' }, admin.headers);
      return { url: `/api/v1/channels/${res.body.data.id}` };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/channels/{id}/rotate_inbound_token',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t, admin) => {
      const config = { address: 'support@shop.example', smtp: { host: '127.0.0.1', port: 2525, secure: false } };
      const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Mail', type: 'email', config }, admin.headers);
      return { url: `/api/v1/channels/${res.body.data.id}/rotate_inbound_token` };
    },
  },
  { method: 'GET', route: '/api/v1/conversation_states', access: 'any', request: () => ({ url: '/api/v1/conversation_states' }) },
  {
    method: 'POST',
    route: '/api/v1/conversation_states',
    access: 'adminOrKey',
    request: () => ({ url: '/api/v1/conversation_states', body: { name: `State ${Math.random()}`, color: '#112233' } }),
  },
  {
    method: 'GET',
    route: '/api/v1/conversation_states/{id}',
    access: 'any',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversation_states/${fx.stateId}` }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/conversation_states/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: (fx) => ({ url: `/api/v1/conversation_states/${fx.stateId}`, body: { description: 'patched' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/conversation_states/{id}',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t, admin) => {
      const res = await api<{ data: { id: string } }>(
        t,
        'POST',
        '/api/v1/conversation_states',
        { name: `Temp ${Math.random()}`, color: '#445566' },
        admin.headers,
      );
      return { url: `/api/v1/conversation_states/${res.body.data.id}` };
    },
  },
  { method: 'GET', route: '/api/v1/events', access: 'any', request: () => ({ url: '/api/v1/events' }) },
  // Automations: admins and API keys only, reads included (seed 001 marks them admin-only).
  { method: 'GET', route: '/api/v1/automations', access: 'adminOrKey', request: () => ({ url: '/api/v1/automations' }) },
  { method: 'POST', route: '/api/v1/automations', access: 'adminOrKey', request: () => ({ url: '/api/v1/automations', body: AUTOMATION }) },
  ...(['GET', 'PATCH', 'DELETE'] as const).map(
    (method): RouteCase => ({
      method,
      route: '/api/v1/automations/{id}',
      access: 'adminOrKey',
      scoped: true,
      request: async (_fx, t, admin) => ({
        url: `/api/v1/automations/${await freshAutomation(t, admin)}`,
        body: method === 'PATCH' ? { name: 'Renamed' } : undefined,
      }),
    }),
  ),
  ...(['POST /toggle', 'GET /runs'] as const).map((spec): RouteCase => {
    const [method, suffix] = spec.split(' ') as ['GET' | 'POST', string];
    return {
      method,
      route: `/api/v1/automations/{id}${suffix}`,
      access: 'adminOrKey',
      scoped: true,
      request: async (_fx, t, admin) => ({ url: `/api/v1/automations/${await freshAutomation(t, admin)}${suffix}` }),
    };
  }),
  { method: 'GET', route: '/api/v1/webhooks', access: 'adminOrKey', request: () => ({ url: '/api/v1/webhooks' }) },
  { method: 'POST', route: '/api/v1/webhooks', access: 'adminOrKey', request: () => ({ url: '/api/v1/webhooks', body: { url: PUBLIC_HOOK } }) },
  ...(['GET', 'PATCH', 'DELETE'] as const).map(
    (method): RouteCase => ({
      method,
      route: '/api/v1/webhooks/{id}',
      access: 'adminOrKey',
      scoped: true,
      request: async (_fx, t, admin) => ({
        url: `/api/v1/webhooks/${await freshWebhook(t, admin)}`,
        body: method === 'PATCH' ? { description: 'Changed' } : undefined,
      }),
    }),
  ),
  ...['rotate_secret', 'test'].map(
    (action): RouteCase => ({
      method: 'POST',
      route: `/api/v1/webhooks/{id}/${action}`,
      access: 'adminOrKey',
      scoped: true,
      request: async (_fx, t, admin) => ({ url: `/api/v1/webhooks/${await freshWebhook(t, admin)}/${action}` }),
    }),
  ),
  {
    method: 'GET',
    route: '/api/v1/webhooks/{id}/deliveries',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t, admin) => ({ url: `/api/v1/webhooks/${await freshWebhook(t, admin)}/deliveries` }),
  },
  {
    method: 'POST',
    route: '/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry',
    access: 'adminOrKey',
    scoped: true,
    request: async (_fx, t, admin) => {
      const id = await freshWebhook(t, admin);
      const delivery = await api<{ data: { id: string } }>(t, 'POST', `/api/v1/webhooks/${id}/test`, {}, admin.headers);
      return { url: `/api/v1/webhooks/${id}/deliveries/${delivery.body.data.id}/retry` };
    },
  },
  { method: 'GET', route: '/api/v1/notifications', access: 'member', request: () => ({ url: '/api/v1/notifications?unread=true' }) },
  {
    method: 'POST',
    route: '/api/v1/notifications/{id}/read',
    access: 'member',
    scoped: true,
    ownerOnly: true,
    request: async (fx, t, admin) => {
      const id = crypto.randomUUID();
      await t.database.db
        .insertInto('notifications')
        .values({ id, account_id: t.workspace.accountId, member_id: admin.member.id, kind: 'mention', conversation_id: fx.conversationId, event_id: Math.floor(Math.random() * 1e9), actor_name: null, preview: null, created_at: new Date().toISOString(), read_at: null })
        .execute();
      return { url: `/api/v1/notifications/${id}/read` };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/notifications/read_all',
    access: 'member',
    request: (fx) => ({ url: '/api/v1/notifications/read_all', body: { conversation_id: fx.conversationId } }),
  },
  // Last: signing out ends the sessions the other cases use.
  { method: 'POST', route: '/api/v1/auth/logout', access: 'member', request: () => ({ url: '/api/v1/auth/logout' }) },
];

/** Routes that authenticate themselves or are not under the matrix. */
const EXEMPT = new Set([
  'POST /api/v1/auth/login',
  // Forwarded mail authenticates with its channel's inbound token, never an API key or session;
  // email.inbound.test.ts checks its refusals (no token, a wrong one, another channel's, a wrong type).
  'POST /api/v1/channels/{id}/inbound',
  // An invitation's token is its credential; invitations.test.ts checks its refusals.
  'GET /api/v1/invitations/{token}',
  'POST /api/v1/invitations/{token}/accept',
  // A stream never ends, so it cannot run through this table; events.test.ts checks who may open it.
  'GET /api/v1/events/stream',
  // The visitor API takes no API key or session at all; the widget's tests check its refusals.
  'POST /api/v1/widget/sessions',
  'DELETE /api/v1/widget/sessions/current',
  'GET /api/v1/widget/conversations',
  'POST /api/v1/widget/conversations',
  'GET /api/v1/widget/conversations/{id}/messages',
  'POST /api/v1/widget/conversations/{id}/messages',
  'POST /api/v1/widget/conversations/{id}/messages/{message_id}/feedback',
  'GET /api/v1/widget/conversations/{id}/stream',
  'POST /api/v1/widget/conversations/{id}/typing',
  'POST /api/v1/widget/conversations/{id}/read',
  'POST /api/v1/widget/conversations/{id}/handoff',
  'POST /api/v1/widget/conversations/{id}/csat',
  'POST /api/v1/widget/conversations/{id}/attachments',
  // Also takes a widget visitor's token (for its own conversation's files, 404 otherwise, where
  // this table expects 401); attachments.test.ts and attachments.widget.test.ts check every caller.
  'GET /api/v1/attachments/{id}',
  // A finished export's link carries its own token, and works without any credential until it
  // expires; exports.test.ts checks its refusals (wrong token, unfinished, expired, no token).
  'GET /api/v1/exports/{id}/download',
]);

const AUTOMATION = { name: 'Tag refunds', event: 'message.created', actions: [{ type: 'add_tag', value: 'refund' }] };

async function freshAutomation(t: TestApp, admin: TestSession): Promise<string> {
  return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/automations', AUTOMATION, admin.headers)).body.data.id;
}

/** A public address (no DNS needed), so endpoints are accepted without PARLEY_WEBHOOK_ALLOW_PRIVATE. */
const PUBLIC_HOOK = 'https://203.0.113.10/hook';

async function freshWebhook(t: TestApp, admin: TestSession): Promise<string> {
  return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: PUBLIC_HOOK }, admin.headers)).body.data.id;
}

/** A workspace canned response: only admins change those, and only their own account's. */
async function freshWorkspaceResponse(t: TestApp, admin: TestSession): Promise<string> {
  const body = { shortcut: `w-${Math.random().toString(36).slice(2)}`, content: 'Thanks for writing.', scope: 'workspace' };
  return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/canned_responses', body, admin.headers)).body.data.id;
}

/** The URL of a message received by email (once per app: every caller reads the same one). */
const receivedMails = new WeakMap<TestApp, Promise<string>>();
function receivedMailUrl(t: TestApp, admin: TestSession): Promise<string> {
  let url = receivedMails.get(t);
  if (!url) {
    url = (async () => {
      const config = { address: 'inbox@shop.example', smtp: { host: '127.0.0.1', port: 2525, secure: false } };
      const res = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'Inbox', type: 'email', config }, admin.headers);
      const channel = await t.services.repos.channels.findById(t.workspace.accountId, res.body.data.id);
      const raw = Buffer.from('From: Jane <jane@example.com>\r\nTo: inbox@shop.example\r\nSubject: Hello\r\nMessage-ID: <matrix@example.com>\r\n\r\nHi there\r\n');
      const received = await t.services.emailInbound.receiveRaw(channel!, raw, 'forward');
      return `/api/v1/conversations/${received.conversation_id}/messages/${received.message_id}/email`;
    })();
    receivedMails.set(t, url);
  }
  return url;
}

/** One export of the workspace's, made once per app (at most three may wait at a time). */
const fixtureExports = new WeakMap<TestApp, Promise<string>>();
function fixtureExport(t: TestApp): Promise<string> {
  const key = { kind: 'api_key' as const, accountId: t.workspace.accountId, agentId: t.workspace.agentId, keyId: 'matrix' };
  if (!fixtureExports.has(t)) fixtureExports.set(t, t.services.exports.create(key, { resource: 'contacts', format: 'csv' }).then((e) => e.id));
  return fixtureExports.get(t)!;
}

async function freshContact(t: TestApp) {
  return (await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', { name: 'Fresh' })).body.data;
}

/** A shared view of the agent member's: its owner and admins may both change it. */
async function freshSharedView(t: TestApp, fx: Fixture): Promise<string> {
  const owner = { kind: 'member' as const, accountId: t.workspace.accountId, memberId: fx.agentMemberId, role: 'agent' as const, sessionId: 'matrix' };
  return (await t.services.views.create(owner, { name: 'Waiting', scope: 'shared', filters: { waiting: true } })).id;
}

async function freshConversation(t: TestApp, fx: Fixture): Promise<string> {
  const c = await freshContact(t);
  return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: c.id, agent_id: fx.agentId })).body.data.id;
}

describe.each(DIALECTS)('authorization matrix on %s', (dialect) => {
  let t: TestApp;
  let admin: TestSession;
  let agentMember: TestSession;
  let other: { auth: { authorization: string }; session: TestSession };
  let fx: Fixture;
  /** A widget visitor's token and its channel's public key: neither opens any route but the widget's. */
  let widgetCredentials: string[];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await login(t);
    const widget = await api<{ data: { public_key: string } }>(t, 'POST', '/api/v1/channels', { name: 'Chat', type: 'web_widget' }, admin.headers);
    const visitor = await api<{ data: { visitor_token: string } }>(t, 'POST', '/api/v1/widget/sessions', { public_key: widget.body.data.public_key }, {});
    widgetCredentials = [visitor.body.data.visitor_token, widget.body.data.public_key];
    agentMember = await loginAsAgentMember(t, admin);
    const ws = await t.otherWorkspace();
    other = { auth: ws.auth, session: await login(t, ws.adminEmail, ws.adminPassword) };
    const contact = await freshContact(t);
    const conversation = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.id });
    const exchange = await api<{ data: { assistant_message: { id: number } } }>(
      t,
      'POST',
      `/api/v1/conversations/${conversation.body.data.id}/messages`,
      { content: 'Hello there' },
    );
    const doc = await t.services.knowledge.createDocument(t.workspace.accountId, t.workspace.agentId, { title: 'Gift cards', body: 'Gift cards never expire.' });
    const channel = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/channels', { name: 'API', type: 'api' }, admin.headers);
    const state = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversation_states', { name: 'Waiting', color: '#ff8800' }, admin.headers);
    const key = await t.services.apiKeys.create(t.workspace.accountId, t.workspace.agentId, { name: 'fixture' });
    fx = {
      agentId: t.workspace.agentId,
      contactId: contact.id,
      conversationId: conversation.body.data.id,
      assistantMessageId: exchange.body.data.assistant_message.id,
      documentId: doc.id,
      channelId: channel.body.data.id,
      stateId: state.body.data.id,
      teamId: (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/teams', { name: 'Fixture team' }, admin.headers)).body.data.id,
      keyId: key.id,
      agentMemberId: agentMember.member.id,
    };
  });
  afterAll(async () => t.close());

  it('covers every route of the API', () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set(CASES.map((c) => `${c.method} ${c.route}`));
    const missing = routes.filter((r) => r.startsWith('GET /api') || r.includes(' /api/')).filter((r) => !covered.has(r) && !EXEMPT.has(r));
    expect(missing).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.method} ${c.route} (${c.access})`, async () => {
      const send = async (headers: Record<string, string>) => {
        const { url, body } = await c.request(fx, t, admin);
        return api(t, c.method, url, body ?? (c.method === 'GET' || c.method === 'DELETE' ? undefined : {}), headers);
      };
      const none = await send({});
      expect(none.status, 'no credential').toBe(401);
      for (const credential of widgetCredentials) {
        expect((await send({ authorization: `Bearer ${credential}` })).status, `${credential.slice(0, 3)} credential`).toBe(401);
      }

      if (c.method !== 'GET') {
        const noCsrf = await send({ cookie: admin.cookie });
        expect(noCsrf.status, 'cookie without CSRF token').toBe(403);
        const badCsrf = await send({ cookie: admin.cookie, 'x-csrf-token': 'not-the-token' });
        expect(badCsrf.status, 'cookie with a wrong CSRF token').toBe(403);
      }

      if (c.scoped) {
        expect((await send(other.auth)).status, "another account's API key").toBe(c.access === 'member' || c.access === 'admin' ? 403 : 404);
        const foreign = await send(other.session.headers);
        expect(foreign.status, "another account's admin").toBe(404);
      }

      const key = await send(t.auth);
      if (c.access === 'member' || c.access === 'admin') expect(key.status, 'API key').toBe(403);
      else expect([401, 403, 404], `API key: ${key.text}`).not.toContain(key.status);

      const agent = await send(agentMember.headers);
      if (c.access === 'admin' || c.access === 'adminOrKey') expect(agent.status, 'agent member').toBe(403);
      else if (c.ownerOnly) expect(agent.status, "another member's").toBe(404);
      else expect([401, 403, 404], `agent member: ${agent.text}`).not.toContain(agent.status);

      const asAdmin = await send(admin.headers);
      expect([401, 403, 404], `admin: ${asAdmin.text}`).not.toContain(asAdmin.status);
      expect(asAdmin.status, `admin: ${asAdmin.text}`).toBeLessThan(500);
    });
  }
});
