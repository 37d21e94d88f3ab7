/**
 * Which routes the audit log records, as what, and about which record: one list, keyed by
 * `METHOD /path` exactly as the route is registered (with the /api/v1 prefix and Fastify's
 * `:param` syntax). The hook in audit.hooks.ts reads it; audit.actions.test.ts fails for any route
 * that changes or deletes something (POST, PATCH, PUT, DELETE) and is in neither AUDITED_ROUTES nor
 * NOT_AUDITED, and for a line that names no route, so each new route has to decide.
 *
 * What is recorded (issue 18): every change by a member or an API key to members, invitations,
 * API keys, agents, knowledge, channels, webhooks, automations, teams, conversation states and
 * settings (with retention), every deletion, erasure and export, every sign-in and sign-out. The
 * day-to-day work on conversations, messages and contacts is the event log's, not this one's.
 */

export interface AuditedRoute {
  /** Dotted: `<record>.<what happened>`. */
  action: string;
  /** What the entry is about, and where its id is: a path parameter, or the answer's `data.id`. */
  target?: { type: string; param?: string; fromResponse?: 'data.id' | 'data.member.id' };
  /**
   * The route records its own entry through `audit.record` (sign-in, settings' before and
   * after); the hook leaves it alone. The action is still named here for the list and its test.
   */
  explicit?: true;
  /**
   * A public route (no principal): whose workspace the entry goes to and who acted. 'member': the
   * member the answer names acted (an accepted invitation); 'export': the holder of an export's
   * download link, an anonymous actor, in the export's workspace.
   */
  publicActor?: 'member' | 'export';
}

type Target = NonNullable<AuditedRoute['target']>;
const member = (param?: string, fromResponse?: Target['fromResponse']): Target => ({ type: 'member', param, fromResponse });
const byParam = (type: string, param = 'id'): Target => ({ type, param });
const created = (type: string): Target => ({ type, fromResponse: 'data.id' });

export const AUDITED_ROUTES: Record<string, AuditedRoute> = {
  // Sessions: sign-in records itself (success and each kind of failure, with the email tried).
  'POST /api/v1/auth/login': { action: 'auth.sign_in', explicit: true },
  'POST /api/v1/auth/logout': { action: 'auth.sign_out' },
  'POST /api/v1/settings/password': { action: 'member.password_changed' },

  // Members and invitations
  'POST /api/v1/members': { action: 'member.created', target: created('member') },
  'POST /api/v1/members/:id/role': { action: 'member.role_changed', target: member('id') },
  'DELETE /api/v1/members/:id': { action: 'member.deleted', target: member('id') },
  'POST /api/v1/members/invitations': { action: 'invitation.created', target: created('invitation') },
  'DELETE /api/v1/members/invitations/:id': { action: 'invitation.revoked', target: byParam('invitation') },
  'POST /api/v1/invitations/:token/accept': {
    action: 'invitation.accepted',
    target: member(undefined, 'data.member.id'),
    publicActor: 'member',
  },

  // Agents, their keys and knowledge
  'POST /api/v1/agents': { action: 'agent.created', target: created('agent') },
  'PATCH /api/v1/agents/:id': { action: 'agent.updated', target: byParam('agent') },
  'POST /api/v1/agents/:id/keys': { action: 'api_key.created', target: created('api_key') },
  'DELETE /api/v1/agents/:id/keys/:key_id': { action: 'api_key.revoked', target: byParam('api_key', 'key_id') },
  'POST /api/v1/agents/:id/documents': { action: 'knowledge.created', target: created('knowledge_document') },
  'PATCH /api/v1/agents/:id/documents/:document_id': { action: 'knowledge.updated', target: byParam('knowledge_document', 'document_id') },
  'DELETE /api/v1/agents/:id/documents/:document_id': { action: 'knowledge.deleted', target: byParam('knowledge_document', 'document_id') },

  // Settings (their before and after are recorded by the settings use case)
  'POST /api/v1/settings/workspace': { action: 'settings.updated', explicit: true },

  // Channels
  'POST /api/v1/channels': { action: 'channel.created', target: created('channel') },
  'PATCH /api/v1/channels/:id': { action: 'channel.updated', target: byParam('channel') },
  'DELETE /api/v1/channels/:id': { action: 'channel.deleted', target: byParam('channel') },
  'POST /api/v1/channels/:id/rotate_identity_secret': { action: 'channel.identity_secret_rotated', target: byParam('channel') },
  'POST /api/v1/channels/:id/rotate_inbound_token': { action: 'channel.inbound_token_rotated', target: byParam('channel') },

  // Conversation states
  'POST /api/v1/conversation_states': { action: 'conversation_state.created', target: created('conversation_state') },
  'PATCH /api/v1/conversation_states/:id': { action: 'conversation_state.updated', target: byParam('conversation_state') },
  'DELETE /api/v1/conversation_states/:id': { action: 'conversation_state.deleted', target: byParam('conversation_state') },

  // Automations
  'POST /api/v1/automations': { action: 'automation.created', target: created('automation') },
  'PATCH /api/v1/automations/:id': { action: 'automation.updated', target: byParam('automation') },
  'DELETE /api/v1/automations/:id': { action: 'automation.deleted', target: byParam('automation') },
  'POST /api/v1/automations/:id/toggle': { action: 'automation.toggled', target: byParam('automation') },

  // Webhooks
  'POST /api/v1/webhooks': { action: 'webhook.created', target: created('webhook') },
  'PATCH /api/v1/webhooks/:id': { action: 'webhook.updated', target: byParam('webhook') },
  'DELETE /api/v1/webhooks/:id': { action: 'webhook.deleted', target: byParam('webhook') },
  'POST /api/v1/webhooks/:id/rotate_secret': { action: 'webhook.secret_rotated', target: byParam('webhook') },
  'POST /api/v1/webhooks/:id/test': { action: 'webhook.tested', target: byParam('webhook') },
  'POST /api/v1/webhooks/:id/deliveries/:delivery_id/retry': { action: 'webhook.delivery_retried', target: byParam('webhook') },

  // Teams
  'POST /api/v1/teams': { action: 'team.created', target: created('team') },
  'PATCH /api/v1/teams/:id': { action: 'team.updated', target: byParam('team') },
  'DELETE /api/v1/teams/:id': { action: 'team.deleted', target: byParam('team') },

  // Exports: a person's data, and bulk exports (reads, but each copy of the data that leaves counts)
  'GET /api/v1/contacts/:id/export': { action: 'contact.exported', target: byParam('contact') },
  'POST /api/v1/exports': { action: 'export.created', target: created('export') },
  'GET /api/v1/exports/:id/download': { action: 'export.downloaded', target: byParam('export'), publicActor: 'export' },

  // Deletions of the day-to-day records, and erasure
  'DELETE /api/v1/contacts/:id': { action: 'contact.erased', target: byParam('contact') },
  'DELETE /api/v1/conversations/:id': { action: 'conversation.deleted', target: byParam('conversation') },
  'DELETE /api/v1/contacts/:id/conversations': { action: 'contact.conversations_deleted', target: byParam('contact') },
  'DELETE /api/v1/conversations/:id/tags/:tag': { action: 'conversation.tag_removed', target: byParam('conversation') },
  'DELETE /api/v1/views/:id': { action: 'view.deleted', target: byParam('view') },
  'DELETE /api/v1/canned_responses/:id': { action: 'canned_response.deleted', target: byParam('canned_response') },
};

/** Routes that change something and are deliberately not recorded, with why. */
export const NOT_AUDITED: Record<string, string> = {
  'POST /api/v1/contacts': 'day-to-day work: in the event log',
  'PATCH /api/v1/contacts/:id': 'day-to-day work: in the event log',
  'POST /api/v1/conversations': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/bulk': 'day-to-day work: in the event log',
  'PATCH /api/v1/conversations/:id': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/end': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/snooze': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/unsnooze': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/reopen': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/tags': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/assign': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/handoff': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/mode': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/typing': 'a live notice, nothing is stored',
  'POST /api/v1/conversations/:id/viewing': 'a live notice, nothing is stored',
  'POST /api/v1/conversations/:conversation_id/messages': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:conversation_id/messages/:message_id/feedback': 'day-to-day work: in the event log',
  'POST /api/v1/conversations/:id/attachments': 'an upload, recorded with the message that carries it',
  'POST /api/v1/views': "a member's saved filter, not the workspace's configuration",
  'PATCH /api/v1/views/:id': "a member's saved filter, not the workspace's configuration",
  'POST /api/v1/canned_responses': 'reply templates, day-to-day work',
  'PATCH /api/v1/canned_responses/:id': 'reply templates, day-to-day work',
  'POST /api/v1/me/availability': 'presence: the inbox itself sets it as a member comes and goes',
  'POST /api/v1/notifications/:id/read': "a member's own read marks",
  'POST /api/v1/notifications/read_all': "a member's own read marks",
  'POST /api/v1/channels/:id/inbound': 'mail received, not a change by a member or key (in the event log)',
  'POST /api/v1/widget/sessions': "a site visitor's, not a member's or key's",
  'DELETE /api/v1/widget/sessions/current': "a site visitor ending their own widget session",
  'POST /api/v1/widget/conversations': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/messages': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/messages/:message_id/feedback': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/typing': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/read': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/handoff': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/csat': "a site visitor's, not a member's or key's",
  'POST /api/v1/widget/conversations/:id/attachments': "a site visitor's, not a member's or key's",
};
