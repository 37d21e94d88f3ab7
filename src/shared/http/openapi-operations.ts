/**
 * The name and description of every documented operation, and the tags they are grouped under:
 * one list, so that the OpenAPI document names each operation the same way from release to
 * release (clients generated from it call `listConversations`, not `get_api_v1_conversations`).
 *
 * A new route gets one line here, keyed by its method and its path as registered (with the
 * /api/v1 prefix and Fastify's `:param` syntax). The description may be left out when the route's
 * own schema has one. src/shared/http/openapi.test.ts fails for a documented route missing here,
 * for a line that names no route, and for a tag not declared in TAGS; Spectral lints the result.
 */

export interface OperationDoc {
  /** camelCase, unique, stable: verb + resource (`listX`, `getX`, `createX`, `updateX`, `deleteX`, or the action). */
  id: string;
  /** What the operation does, who may call it, and what it answers; optional when the route's schema has one. */
  description?: string;
  /** A route that answers with Server-Sent Events (written by hand, so without a response schema): what the 200 stream carries. */
  eventStream?: string;
}

/** Every tag a route may use, with what it groups. Only tags some operation uses reach the document. */
export const TAGS: Record<string, string> = {
  Sessions: 'Signing in and out of the inbox with a session cookie, and the signed-in member.',
  Members: 'The people of a workspace, their roles and availability, and invitations to join it.',
  Agents: 'AI agents: their instructions, model settings and the channels they answer on.',
  'API keys': 'Secret keys an agent uses to call this API; shown once, revocable at once.',
  Knowledge: 'Documents an agent answers from, chunked and indexed for search.',
  Contacts: 'The people who write in: found or created by email, with metadata.',
  Conversations: 'Conversations between a contact, an agent and the team: state, assignment, tags, handoff.',
  Messages: 'The messages of a conversation, the agent’s replies and notes, feedback and transcripts.',
  Events: 'Everything that happens in a workspace, in commit order: a feed to page through or stream.',
  Settings: 'Workspace-wide settings.',
  Channels: 'Where conversations come from: the web widget, email, the API.',
  'Conversation states': 'Custom states a workspace gives its conversations.',
  Analytics: 'Figures on conversations, replies, handoffs and feedback over time.',
  Automations: 'Rules that act on events: when an event matches conditions, run actions.',
  Webhooks: 'Endpoints that receive the workspace’s events, signed, with retries and a delivery log.',
  Teams: 'Groups of members that conversations are handed and assigned to.',
  Views: 'Saved inbox filters, personal or shared with the workspace.',
  Notifications: 'What a member is told about: mentions, assignments, handoffs.',
  'Canned responses': 'Ready-made replies by shortcut, personal or the workspace’s.',
  Attachments: 'Files uploaded to conversations and downloaded under the caller’s rights.',
  Email: 'Mail received and sent through email channels.',
  Widget: 'The API the chat widget calls on behalf of a site’s visitor (a widget session, not an API key).',
  Exports: 'Data exports: a contact’s data on request, and bulk exports written in the background.',
  'Audit log': 'Who changed what, and when: an append-only record for admins.',
};

/** Keyed by `METHOD /path` exactly as the route is registered. */
export const OPERATIONS: Record<string, OperationDoc> = {
  // Sessions
  'POST /api/v1/auth/login': {
    id: 'signIn',
    description:
      'Checks an email and password and starts a session: the answer sets the session cookie and gives the member and the CSRF token that changing requests of this session must send. Repeated failures are rate-limited (429).',
  },
  'POST /api/v1/auth/logout': {
    id: 'signOut',
    description: 'Ends the current session and clears its cookie. Other sessions of the same member stay open.',
  },
  'GET /api/v1/me': {
    id: 'getCurrentMember',
    description: 'The signed-in member and the CSRF token of this session, which changing requests must send. Answers 401 without a session.',
  },
  'POST /api/v1/settings/password': {
    id: 'changePassword',
    description:
      "Changes the signed-in member's password after checking the current one; every other session of that member is ended, this one stays.",
  },

  // Members and invitations
  'GET /api/v1/members': { id: 'listMembers', description: "The account's members, oldest first, with role and availability. Admins only." },
  'POST /api/v1/members': {
    id: 'createMember',
    description: 'Adds a member with an email, name, role and password, who can sign in at once. An email already in use is a 409. Admins only.',
  },
  'GET /api/v1/members/directory': { id: 'listMemberDirectory' },
  'POST /api/v1/me/availability': { id: 'setAvailability' },
  'GET /api/v1/members/:id': { id: 'getMember', description: 'One member of the account by id; 404 for an id of another account. Admins only.' },
  'DELETE /api/v1/members/:id': {
    id: 'deleteMember',
    description:
      "Removes a member and ends their sessions; conversations assigned to them are left unassigned. Removing the workspace's last admin is a 409. Admins only.",
  },
  'POST /api/v1/members/:id/role': {
    id: 'changeMemberRole',
    description: "Makes a member an admin or an agent; demoting the workspace's last admin is a 409. Admins only.",
  },
  'POST /api/v1/members/invitations': { id: 'createInvitation' },
  'GET /api/v1/members/invitations': {
    id: 'listInvitations',
    description: 'Invitations not yet accepted nor expired, oldest first. Their links were shown once, when created, and are not shown again. Admins only.',
  },
  'DELETE /api/v1/members/invitations/:id': {
    id: 'revokeInvitation',
    description: 'Revokes a pending invitation: its link stops working at once. Admins only.',
  },
  'GET /api/v1/invitations/:token': {
    id: 'getInvitation',
    description:
      'What an invitation link is for, so the sign-up page can show it: the workspace name and the email invited. No credential is needed; the token is one. An unknown, used or expired token is a 404.',
  },
  'POST /api/v1/invitations/:token/accept': {
    id: 'acceptInvitation',
    description:
      'Creates the invited member with a name and password, uses the invitation up and signs them in (sets the session cookie). An unknown, used or expired token is a 404.',
  },

  // Agents, API keys, knowledge
  'GET /api/v1/agents': { id: 'listAgents', description: "The account's agents, oldest first. An API key sees only its own agent." },
  'POST /api/v1/agents': { id: 'createAgent', description: 'Creates an agent with its name, instructions and model settings. Admins only.' },
  'GET /api/v1/agents/:id': { id: 'getAgent', description: 'One agent by id. An API key may read only its own agent.' },
  'PATCH /api/v1/agents/:id': {
    id: 'updateAgent',
    description: "Changes an agent's fields; fields left out stay as they are. Admins, or the agent's own API key.",
  },
  'GET /api/v1/agents/:id/keys': {
    id: 'listApiKeys',
    description: "An agent's API keys, revoked ones included, by prefix: the secrets themselves are never shown again. Admins only.",
  },
  'POST /api/v1/agents/:id/keys': {
    id: 'createApiKey',
    description: 'Creates an API key for an agent. The secret is in this answer only; store it then. Admins only.',
  },
  'DELETE /api/v1/agents/:id/keys/:key_id': {
    id: 'revokeApiKey',
    description: 'Revokes an API key: requests with it are refused (401) from now on. Admins only.',
  },
  'GET /api/v1/agents/:id/documents': { id: 'listKnowledgeDocuments', description: "An agent's knowledge documents, oldest first, with cursor pagination." },
  'POST /api/v1/agents/:id/documents': {
    id: 'createKnowledgeDocument',
    description: 'Adds a document to an agent’s knowledge: it is split into passages and indexed, so the agent can answer from it at once.',
  },
  'GET /api/v1/agents/:id/documents/:document_id': { id: 'getKnowledgeDocument', description: 'One knowledge document of an agent, with its full body.' },
  'PATCH /api/v1/agents/:id/documents/:document_id': {
    id: 'updateKnowledgeDocument',
    description: 'Changes a knowledge document; a new title or body is split and indexed again.',
  },
  'DELETE /api/v1/agents/:id/documents/:document_id': {
    id: 'deleteKnowledgeDocument',
    description: 'Deletes a knowledge document and its indexed passages; the agent stops answering from it.',
  },

  // Contacts
  'GET /api/v1/contacts': {
    id: 'listContacts',
    description: 'Contacts, newest first, with cursor pagination: `email` finds one by exact address, `q` searches name, email, phone and organisation.',
  },
  'POST /api/v1/contacts': {
    id: 'createContact',
    description:
      'Finds the contact with this email, or creates it; without an email, a guest contact is created.',
  },
  'GET /api/v1/contacts/:id': { id: 'getContact', description: 'One contact by id, with its metadata.' },
  'PATCH /api/v1/contacts/:id': {
    id: 'updateContact',
    description: "Changes a contact's name, email, phone or metadata. Metadata is merged key by key; a key set to null is removed.",
  },
  'DELETE /api/v1/contacts/:id': {
    id: 'deleteContact',
    description: 'Deletes a contact and everything of it: conversations, messages, files and every copy of their data. Admins only.',
  },
  'GET /api/v1/contacts/:id/conversations': { id: 'listContactConversations' },
  'DELETE /api/v1/contacts/:id/conversations': {
    id: 'deleteContactConversations',
    description: "Deletes every conversation of a contact with their messages and files; the contact itself stays.",
  },

  // Conversations
  'GET /api/v1/conversations': {
    id: 'listConversations',
    description:
      'Conversations, newest first by default, with cursor pagination, filters (status, assignee, team, contact, channel, tag…) and full-text search.',
  },
  'POST /api/v1/conversations': {
    id: 'createConversation',
    description: 'Starts a conversation between a contact and an agent. Answers 201 with the conversation.',
  },
  'POST /api/v1/conversations/bulk': { id: 'bulkUpdateConversations' },
  'GET /api/v1/conversations/counts': { id: 'countConversations' },
  'GET /api/v1/conversations/:id': { id: 'getConversation', description: 'One conversation by id; a member opening it resets their unread count for it.' },
  'PATCH /api/v1/conversations/:id': {
    id: 'updateConversation',
    description: "Changes a conversation's title, context, summary, score, state, priority or metadata; fields left out stay as they are.",
  },
  'DELETE /api/v1/conversations/:id': { id: 'deleteConversation' },
  'POST /api/v1/conversations/:id/end': { id: 'endConversation' },
  'POST /api/v1/conversations/:id/snooze': { id: 'snoozeConversation' },
  'POST /api/v1/conversations/:id/unsnooze': { id: 'unsnoozeConversation' },
  'POST /api/v1/conversations/:id/reopen': { id: 'reopenConversation' },
  'POST /api/v1/conversations/:id/tags': { id: 'addConversationTag', description: 'Adds a tag to a conversation.' },
  'DELETE /api/v1/conversations/:id/tags/:tag': { id: 'removeConversationTag', description: 'Removes a tag from a conversation.' },
  'POST /api/v1/conversations/:id/assign': { id: 'assignConversation' },
  'POST /api/v1/conversations/:id/handoff': { id: 'handOffConversation' },
  'POST /api/v1/conversations/:id/typing': { id: 'setMemberTyping' },
  'POST /api/v1/conversations/:id/viewing': { id: 'setMemberViewing' },
  'POST /api/v1/conversations/:id/mode': {
    id: 'setConversationMode',
    description: 'Switches who answers: `manual` (the team takes over; the agent stops replying) or `ai` (the agent answers again).',
  },

  // Messages
  'GET /api/v1/conversations/:conversation_id/messages': {
    id: 'listMessages',
    description: "A conversation's messages, oldest first, with cursor pagination. Internal notes are shown to members only.",
  },
  'POST /api/v1/conversations/:conversation_id/messages': { id: 'createMessage' },
  'GET /api/v1/conversations/:conversation_id/messages/:message_id': {
    id: 'getMessage',
    description: "One message by id, e.g. to follow the status of an agent's reply being written.",
  },
  'POST /api/v1/conversations/:conversation_id/messages/:message_id/feedback': {
    id: 'rateMessage',
    description: 'Rates an assistant or operator message: like, dislike, or null to clear the rating.',
  },
  'GET /api/v1/conversations/:id/suggestion': {
    id: 'suggestReply',
    description: "Asks the agent for a reply to the contact's last message, for a member to edit and send; nothing is posted.",
  },
  'GET /api/v1/conversations/:id/transcript': {
    id: 'getTranscript',
    description: 'The conversation as the contact saw it (no internal notes): JSON, or with `format=text` a plain-text download.',
  },
  'GET /api/v1/conversations/:conversation_id/messages/:message_id/email': { id: 'getMessageEmail' },

  // Events
  'GET /api/v1/events': { id: 'listEvents' },
  'GET /api/v1/events/stream': { id: 'streamEvents', eventStream: 'The account’s events as Server-Sent Events, until the client disconnects' },

  // Settings
  'GET /api/v1/settings/workspace': {
    id: 'getWorkspaceSettings',
    description: "The workspace's settings: name, time zone, business hours, how long each kind of data is kept (retention) and the like.",
  },
  'POST /api/v1/settings/workspace': {
    id: 'updateWorkspaceSettings',
    description:
      "Changes the workspace's settings; fields left out stay as they are. Admin members only. `retention` periods are whole days from 1 to 36500, or null to keep that data forever; a background task deletes older data about once an hour.",
  },

  // Channels
  'GET /api/v1/channels': { id: 'listChannels', description: "The account's channels, oldest first, with cursor pagination." },
  'POST /api/v1/channels': {
    id: 'createChannel',
    description: 'Creates a channel (web widget, email or API) with its configuration. Admins and API keys.',
  },
  'GET /api/v1/channels/:id': { id: 'getChannel', description: 'One channel by id, with its configuration.' },
  'PATCH /api/v1/channels/:id': {
    id: 'updateChannel',
    description: "Changes a channel's name, agent, team or state; a given `config` replaces the old one whole. Admins and API keys.",
  },
  'DELETE /api/v1/channels/:id': {
    id: 'deleteChannel',
    description: 'Deletes a channel; its conversations stay, without a channel. Admins and API keys.',
  },
  'POST /api/v1/channels/:id/rotate_identity_secret': {
    id: 'rotateChannelIdentitySecret',
    description:
      "Replaces a web_widget channel's identity secret, which signs visitors' identities; the answer shows the new one, once. Admins and API keys.",
  },
  'POST /api/v1/channels/:id/rotate_inbound_token': {
    id: 'rotateChannelInboundToken',
    description: "Replaces an email channel's inbound token, which forwarded mail is posted with; the answer shows the new one, once. Admins and API keys.",
  },
  'POST /api/v1/channels/:id/inbound': { id: 'receiveInboundEmail' },

  // Conversation states
  'GET /api/v1/conversation_states': { id: 'listConversationStates', description: "The workspace's custom conversation states, oldest first." },
  'POST /api/v1/conversation_states': { id: 'createConversationState', description: 'Creates a conversation state. Admins and API keys.' },
  'GET /api/v1/conversation_states/:id': { id: 'getConversationState', description: 'One conversation state by id.' },
  'PATCH /api/v1/conversation_states/:id': { id: 'updateConversationState', description: 'Changes a conversation state. Admins and API keys.' },
  'DELETE /api/v1/conversation_states/:id': {
    id: 'deleteConversationState',
    description: 'Deletes a conversation state; conversations in it are left with no state. Admins and API keys.',
  },

  // Analytics
  'GET /api/v1/analytics': { id: 'getAnalytics' },

  // Automations
  'GET /api/v1/automations': { id: 'listAutomations', description: "The workspace's automations, oldest first. Admins and API keys." },
  'POST /api/v1/automations': { id: 'createAutomation' },
  'GET /api/v1/automations/:id': { id: 'getAutomation', description: 'One automation by id, with its conditions and actions. Admins and API keys.' },
  'PATCH /api/v1/automations/:id': {
    id: 'updateAutomation',
    description: 'Changes an automation; given conditions or actions replace the old ones whole. Admins and API keys.',
  },
  'DELETE /api/v1/automations/:id': { id: 'deleteAutomation', description: 'Deletes an automation and the record of its runs. Admins and API keys.' },
  'POST /api/v1/automations/:id/toggle': {
    id: 'toggleAutomation',
    description: 'Switches an automation between active and inactive; an inactive one is not evaluated. Admins and API keys.',
  },
  'GET /api/v1/automations/:id/runs': {
    id: 'listAutomationRuns',
    description: "An automation's runs, newest first: each event it was evaluated on, whether its conditions matched, and what each action did.",
  },

  // Webhooks
  'GET /api/v1/webhooks': { id: 'listWebhooks', description: "The workspace's webhook endpoints, oldest first, without their secrets. Admins and API keys." },
  'POST /api/v1/webhooks': { id: 'createWebhook' },
  'GET /api/v1/webhooks/:id': { id: 'getWebhook', description: 'One webhook endpoint by id, without its secret. Admins and API keys.' },
  'PATCH /api/v1/webhooks/:id': {
    id: 'updateWebhook',
    description: "Changes an endpoint's URL, event types or state; `active: true` re-enables one that was deactivated. Admins and API keys.",
  },
  'DELETE /api/v1/webhooks/:id': { id: 'deleteWebhook', description: 'Deletes a webhook endpoint and its deliveries. Admins and API keys.' },
  'POST /api/v1/webhooks/:id/rotate_secret': {
    id: 'rotateWebhookSecret',
    description: 'Replaces the secret deliveries are signed with; the answer shows the new one, once. Admins and API keys.',
  },
  'POST /api/v1/webhooks/:id/test': {
    id: 'testWebhook',
    description: 'Sends a `webhook.test` event to this endpoint only and answers with its delivery, to check the receiver. Admins and API keys.',
  },
  'GET /api/v1/webhooks/:id/deliveries': {
    id: 'listWebhookDeliveries',
    description: "An endpoint's deliveries, newest first: status, attempts, the receiver's answer. Admins and API keys.",
  },
  'POST /api/v1/webhooks/:id/deliveries/:delivery_id/retry': {
    id: 'retryWebhookDelivery',
    description: 'Queues a delivery again, due now, to be sent by the delivery worker. Admins and API keys.',
  },

  // Teams
  'GET /api/v1/teams': { id: 'listTeams', description: "The account's teams, oldest first." },
  'POST /api/v1/teams': { id: 'createTeam', description: 'Creates a team with a name and members. Admins and API keys.' },
  'GET /api/v1/teams/:id': { id: 'getTeam', description: 'One team by id, with its members and assignment settings.' },
  'PATCH /api/v1/teams/:id': {
    id: 'updateTeam',
    description: 'Changes a team: name, members (replaced as a whole), auto-assignment and capacity. Admins and API keys.',
  },
  'DELETE /api/v1/teams/:id': {
    id: 'deleteTeam',
    description: 'Deletes a team; its conversations, channels and agents keep going without one. Admins and API keys.',
  },

  // Views
  'GET /api/v1/views': { id: 'listViews' },
  'POST /api/v1/views': { id: 'createView' },
  'GET /api/v1/views/:id': { id: 'getView', description: "One view by id; another member's personal view is not shown." },
  'PATCH /api/v1/views/:id': { id: 'updateView' },
  'DELETE /api/v1/views/:id': { id: 'deleteView', description: 'Deletes a view: its owner, or an admin for a shared view.' },

  // Notifications
  'GET /api/v1/notifications': { id: 'listNotifications' },
  'POST /api/v1/notifications/:id/read': { id: 'markNotificationRead' },
  'POST /api/v1/notifications/read_all': { id: 'markAllNotificationsRead' },

  // Canned responses
  'GET /api/v1/canned_responses': {
    id: 'listCannedResponses',
    description: "The workspace's canned responses and the caller's own personal ones, by shortcut. Members only.",
  },
  'POST /api/v1/canned_responses': {
    id: 'createCannedResponse',
    description: 'Adds a canned response: personal (the caller’s) or for the whole workspace (admins). A shortcut already taken is a 409.',
  },
  'PATCH /api/v1/canned_responses/:id': {
    id: 'updateCannedResponse',
    description: "Changes a canned response's shortcut, title or text: a workspace one by admins, a personal one by its owner.",
  },
  'DELETE /api/v1/canned_responses/:id': {
    id: 'deleteCannedResponse',
    description: 'Deletes a canned response: a workspace one by admins, a personal one by its owner.',
  },

  // Attachments
  'GET /api/v1/attachments/:id': { id: 'downloadAttachment' },
  'POST /api/v1/conversations/:id/attachments': { id: 'uploadAttachments' },

  // Widget
  'POST /api/v1/widget/sessions': { id: 'startWidgetSession' },
  'DELETE /api/v1/widget/sessions/current': {
    id: 'endWidgetSession',
    description: "Ends this visitor's widget session, e.g. when the site's user logs out; its token stops working.",
  },
  'GET /api/v1/widget/conversations': { id: 'listWidgetConversations', description: "The visitor's own conversations on this widget, newest first." },
  'POST /api/v1/widget/conversations': {
    id: 'createWidgetConversation',
    description: "Starts a conversation with the widget's agent; the pre-chat form's answers are checked first.",
  },
  'GET /api/v1/widget/conversations/:id/messages': {
    id: 'listWidgetMessages',
    description: "The messages of one of the visitor's own conversations, oldest first; the team's internal notes are never shown.",
  },
  'POST /api/v1/widget/conversations/:id/messages': { id: 'createWidgetMessage' },
  'POST /api/v1/widget/conversations/:id/messages/:message_id/feedback': {
    id: 'rateWidgetMessage',
    description: "The visitor rates a reply: like, dislike, or null to clear.",
  },
  'GET /api/v1/widget/conversations/:id/stream': {
    id: 'streamWidgetConversation',
    eventStream: 'The conversation’s events as Server-Sent Events, until the client disconnects',
  },
  'POST /api/v1/widget/conversations/:id/typing': {
    id: 'setVisitorTyping',
    description: 'The visitor is typing (true) or stopped (false): shown live to the team, not stored.',
  },
  'POST /api/v1/widget/conversations/:id/read': {
    id: 'markWidgetConversationRead',
    description: 'The visitor has seen the conversation up to this message; the team sees it as read.',
  },
  'POST /api/v1/widget/conversations/:id/handoff': { id: 'requestWidgetHandoff' },
  'POST /api/v1/widget/conversations/:id/csat': {
    id: 'rateWidgetConversation',
    description: 'The visitor rates an ended conversation from 1 to 5, with an optional comment. Once only: a second answer is a 409.',
  },
  'POST /api/v1/widget/conversations/:id/attachments': { id: 'uploadWidgetAttachments' },
  // Exports
  'GET /api/v1/contacts/:id/export': { id: 'exportContact' },
  'POST /api/v1/exports': { id: 'createExport' },
  'GET /api/v1/exports': {
    id: 'listExports',
    description: 'The workspace’s bulk exports, newest first, with their status and (while it works) download link. Admins and API keys; agents get 403.',
  },
  'GET /api/v1/exports/:id': {
    id: 'getExport',
    description: 'One export: its status (pending, running, done, failed, expired), rows written, and when done a `download_url` that works without credentials for 24 hours. Admins and API keys; agents get 403.',
  },
  'GET /api/v1/exports/:id/download': {
    id: 'downloadExport',
    description: 'The finished file, for whoever holds the link (`download_url`): no session or key needed until it expires. Any wrong, unfinished or expired link is the same 404.',
  },
  // Audit log
  'GET /api/v1/audit_log': { id: 'listAuditLog' },
};
