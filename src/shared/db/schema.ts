import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Timestamps are ISO-8601 UTC strings with milliseconds on both
 * dialects (PostgreSQL's timestamptz is parsed back to that form in database.ts), JSON columns
 * are strings (parsed by the repositories), booleans are 0/1 integers.
 */
export interface AccountsTable {
  id: string;
  name: string;
  timezone: string;
  idle_end_minutes: number;
  /** The opening hours as JSON (accounts/business-hours.ts), or null: not configured, always open. */
  business_hours: Generated<string | null>;
  /** How soon the team typically answers, as the widget tells a visitor. */
  reply_time: Generated<'minutes' | 'hours' | 'day'>;
  /** 1: an operator's reply in `ai` mode switches the conversation to `manual` (migration 0017). */
  operator_reply_takes_over: Generated<number>;
  /** Days each kind of data is kept, null = forever (migration 0024; modules/retention). */
  retention_ended_conversations_days: Generated<number | null>;
  retention_events_days: Generated<number | null>;
  retention_webhook_deliveries_days: Generated<number | null>;
  retention_automation_runs_days: Generated<number | null>;
  /** 365 unless the workspace changes it. */
  retention_audit_log_days: Generated<number | null>;
  created_at: string;
  updated_at: string;
}

export interface MembersTable {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  password_hash: string;
  created_at: string;
  updated_at: string;
  /** What the member last said of themselves (migration 0018); `online` lapses without renewal. */
  availability: Generated<'online' | 'away' | 'offline'>;
  availability_at: Generated<string | null>;
  /** When auto-assignment last gave them a conversation (ties go to the longest wait). */
  last_assigned_at: Generated<string | null>;
}

export interface TeamsTable {
  id: string;
  account_id: string;
  name: string;
  auto_assign: number;
  /** 0: no limit. */
  max_open_per_member: number;
  created_at: string;
  updated_at: string;
}

export interface TeamMembersTable {
  account_id: string;
  team_id: string;
  member_id: string;
}

export interface AgentsTable {
  id: string;
  account_id: string;
  name: string;
  description: string;
  status: 'active' | 'inactive';
  instructions: string;
  model_settings: string;
  keywords: string;
  /** Raised with every change to the agent's knowledge (in-memory indexes compare it). */
  knowledge_revision: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The team its handed-off conversations go to (migration 0018). */
  default_team_id: Generated<string | null>;
  /** Questions in a row it could not answer before it hands over; 0 = never (migration 0019). */
  handoff_after_declines: Generated<number>;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  agent_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface ContactsTable {
  id: Generated<number>;
  account_id: string;
  email: string | null;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  avatar_url: string | null;
  organization_name: string | null;
  external_id: string | null;
  metadata: string;
  /** An email a widget visitor typed: a claim, unverified, never used to find the contact. */
  claimed_email: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

export interface ConversationsTable {
  id: string;
  account_id: string;
  agent_id: string;
  contact_id: number;
  channel_id: string | null;
  status: 'active' | 'ended';
  end_reason: string | null;
  mode: 'ai' | 'manual';
  assignee_id: string | null;
  state_id: string | null;
  title: string | null;
  context: string | null;
  summary: string | null;
  score: number | null;
  priority: string;
  metadata: string;
  turn_count: number;
  unread_count: Generated<number>;
  last_message_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
  handoff_at: Generated<string | null>;
  handoff_source: Generated<string | null>;
  handoff_reason: Generated<string | null>;
  waiting_since: Generated<string | null>;
  csat_rating: Generated<number | null>;
  csat_comment: Generated<string | null>;
  csat_at: Generated<string | null>;
  contact_read_message_id: Generated<number | null>;
  team_read_message_id: Generated<number | null>;
  /** What the widget knew of the visitor, JSON text: {page_url, locale, browser, attributes}. */
  visitor: Generated<string | null>;
  team_id: Generated<string | null>;
  /** Since when it waits in its team's queue for a person (null: not queued). */
  team_queued_at: Generated<string | null>;
  /** Hidden from "Open" until then, or until the contact writes (null: not snoozed). */
  snoozed_until: Generated<string | null>;
  /** When it was last woken from a snooze or reopened: idle ending counts from then. */
  resumed_at: Generated<string | null>;
}

export interface MessagesTable {
  id: Generated<number>;
  account_id: string;
  conversation_id: string;
  role: 'user' | 'assistant' | 'operator' | 'note' | 'system';
  content: string;
  sources: string;
  status: 'pending' | 'streaming' | 'completed' | 'failed';
  error: string | null;
  modality: 'text' | 'voice';
  author_id: string | null;
  /** Who wrote it: contact, agent, member, api_key or system (migration 0016). */
  author_type: Generated<'contact' | 'agent' | 'member' | 'api_key' | 'system' | null>;
  /** The author's id as text: the contact's, agent's, member's or API key's. */
  author_ref: Generated<string | null>;
  /** The author's name when the message was written. */
  author_name: Generated<string | null>;
  /** Context for the AI's reply to this message, from the business (migration 0020). */
  context: Generated<string | null>;
  /** The files it carries, as presented: JSON [{id, filename, content_type, size}] (migration 0022). */
  attachments: Generated<string>;
  /** Sent through a channel: JSON {status, error, attempts, sent_at}; null otherwise (migration 0022). */
  delivery: Generated<string | null>;
  feedback_rating: 'like' | 'dislike' | null;
  feedback_comment: string | null;
  feedback_at: string | null;
  locked_until: Generated<string | null>;
  reply_to_id: Generated<number | null>;
  created_at: string;
  updated_at: string;
}

export interface KnowledgeDocumentsTable {
  id: string;
  account_id: string;
  agent_id: string;
  title: string;
  body: string;
  url: string | null;
  /** How many chunks the body was split into (kept with the document so listings need no join). */
  chunk_count: number;
  created_at: string;
  updated_at: string;
}

/**
 * A searchable passage of a document. The full-text index lives beside it: an FTS5 table on
 * SQLite, a generated `tsv` column on PostgreSQL (not listed here; only raw SQL touches it).
 */
export interface KnowledgeChunksTable {
  id: Generated<number>;
  account_id: string;
  agent_id: string;
  document_id: string;
  position: number;
  title: string;
  content: string;
}

export interface SessionsTable {
  id: string;
  account_id: string;
  member_id: string;
  token_hash: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  created_at: string;
}

export interface ChannelsTable {
  id: string;
  account_id: string;
  name: string;
  type: 'api' | 'web_widget' | 'email' | 'sms' | 'whatsapp' | 'voice';
  config: string;
  active: number;
  created_at: string;
  updated_at: string;
  /** A web_widget channel's published key (pk_live_…) and the secret that signs visitors' ids. */
  public_key: Generated<string | null>;
  identity_secret: Generated<string | null>;
  /** The team its handed-off conversations go to (migration 0018). */
  default_team_id: Generated<string | null>;
  /** The hash of the token forwarded mail is posted with (migration 0022). */
  inbound_token_hash: Generated<string | null>;
  /** Whether the channel last worked: connected or failing, the last error and when. */
  status_state: Generated<'connected' | 'failing' | null>;
  status_error: Generated<string | null>;
  status_error_at: Generated<string | null>;
  status_checked_at: Generated<string | null>;
}

/** An uploaded or received file; its bytes are in the attachment store under storage_key. */
export interface AttachmentsTable {
  id: string;
  account_id: string;
  conversation_id: string;
  /** Null until a message carries it. */
  message_id: number | null;
  filename: string;
  /** Detected from the bytes, not taken from the upload. */
  content_type: string;
  size: number;
  storage_key: string;
  /** Who uploaded it: member:<id>, api_key:<id>, contact:<id> or email. */
  uploaded_by: string | null;
  created_at: string;
}

/** The channel outbox: one row per message sent through a channel. */
export interface ChannelDeliveriesTable {
  id: string;
  account_id: string;
  channel_id: string;
  conversation_id: string;
  message_id: number;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string | null;
  locked_until: string | null;
  last_error: string | null;
  /** The channel's own id for what was sent (an email's Message-ID). */
  external_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A conversation's email thread. */
export interface EmailThreadsTable {
  conversation_id: string;
  account_id: string;
  channel_id: string;
  /** The +token of its reply-to address (support+<token>@shop.example). */
  token: string;
  subject: string;
  contact_address: string | null;
  created_at: string;
}

/** A mail received (in) or sent (out) in an email channel. */
export interface EmailMessagesTable {
  id: string;
  account_id: string;
  channel_id: string;
  conversation_id: string | null;
  message_id: number | null;
  direction: 'in' | 'out';
  /** Its Message-ID, without angle brackets. */
  message_id_header: string;
  subject: string | null;
  from_address: string | null;
  /** JSON: [[name, value], …] as received or sent. */
  headers: string;
  /** The full text before quotes and signature were stripped (inbound). */
  original_text: string | null;
  /** What became of it: imported, no_reply (loop protection), bounce, rate_limited, sent. */
  disposition: string;
  created_at: string;
}

/** How far a channel's IMAP mailbox has been imported, and who polls it. */
export interface EmailMailboxesTable {
  channel_id: string;
  account_id: string;
  mailbox: string;
  uidvalidity: string | null;
  last_uid: Generated<number>;
  locked_by: string | null;
  locked_until: string | null;
  updated_at: string;
}

export interface VisitorSessionsTable {
  id: string;
  account_id: string;
  channel_id: string;
  contact_id: number;
  token_hash: string;
  /** 1 when the site proved the visitor's user id (identity verification). */
  verified: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ConversationStatesTable {
  id: string;
  account_id: string;
  name: string;
  description: string;
  color: string;
  persistent: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationTagsTable {
  account_id: string;
  conversation_id: string;
  tag: string;
  created_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  account_id: string;
  type: string;
  data: string;
  source: string | null;
  created_at: string;
  /** Who may read it besides everyone (events/audience.ts): null, 'members' or 'managers'. */
  audience: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  account_id: string;
  url: string;
  description: string;
  events: string;
  secret: string;
  active: number;
  failing_since: string | null;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  account_id: string;
  endpoint_id: string;
  event_id: number;
  event_type: string;
  payload: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  locked_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AutomationsTable {
  id: string;
  account_id: string;
  name: string;
  event: string;
  conditions: string;
  actions: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface AutomationRunsTable {
  id: string;
  account_id: string;
  automation_id: string;
  event_id: number;
  matched: number;
  status: string;
  actions: string;
  error: string | null;
  created_at: string;
  /** Added by 0006-automations: the event's type and the conversation the run acted on. */
  event_type: string | null;
  conversation_id: string | null;
}

export interface EventConsumersTable {
  name: string;
  last_event_id: number;
  updated_at: string;
}

export interface IdempotencyKeysTable {
  account_id: string;
  principal: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  response_type: string | null;
  locked_until: string | null;
  created_at: string;
}

export interface SavedViewsTable {
  id: string;
  account_id: string;
  /** Who saved it; a `shared` view is seen by the whole workspace. */
  member_id: string;
  name: string;
  scope: 'personal' | 'shared';
  /** The filter set, JSON text. */
  filters: string;
  created_at: string;
  updated_at: string;
}

export interface CannedResponsesTable {
  id: string;
  account_id: string;
  scope: 'workspace' | 'personal';
  /** '' for a workspace response, the owner's member id for a personal one. */
  owner_key: string;
  created_by: string | null;
  shortcut: string;
  title: string;
  content: string;
  created_at: string;
  updated_at: string;
}

export interface NotificationsTable {
  id: string;
  account_id: string;
  member_id: string;
  kind: 'assigned' | 'team_handoff' | 'message' | 'mention' | 'snooze_ended';
  conversation_id: string | null;
  /** The event it tells of (one notification per member, event and kind). */
  event_id: number;
  actor_name: string | null;
  preview: string | null;
  created_at: string;
  read_at: string | null;
}

export interface MemberInvitationsTable {
  id: string;
  account_id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'agent';
  token_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  /** The member the invitation became. */
  member_id: string | null;
  revoked_at: string | null;
}

/** A bulk export and its file (migration 0025); `pending` and `running` rows are the queue. */
export interface ExportsTable {
  id: string;
  account_id: string;
  /** Who asked: a member or an API key. */
  requested_by_type: 'member' | 'api_key';
  requested_by_id: string | null;
  resource: 'conversations' | 'contacts' | 'messages';
  format: 'ndjson' | 'csv';
  /** JSON text: {since, until, agent_id, channel_id, status, tag}, each optional. */
  filters: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'expired';
  row_count: Generated<number>;
  /** How much of the partial file is committed: a resumed run truncates it to this. */
  bytes_written: Generated<number>;
  /** JSON text: the keyset position after the last row written; null before the first page. */
  cursor: string | null;
  file_key: string | null;
  download_token: string | null;
  error: string | null;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  expires_at: string | null;
}

/** When a task that runs once across processes is next due, and who holds it (migration 0024). */
export interface TaskSchedulesTable {
  name: string;
  next_run_at: string;
  locked_by: string | null;
  locked_until: string | null;
}

export type AuditActorType = 'member' | 'api_key' | 'system' | 'anonymous';

/** Who changed what, and every sign-in (migration 0023). Append-only through the API. */
export interface AuditLogTable {
  id: Generated<number>;
  /** Null only for a failed sign-in with an email no member has. */
  account_id: string | null;
  actor_type: AuditActorType;
  actor_id: string | null;
  /** The member's email or the key's prefix at the time. */
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** JSON; never a secret. Settings: {before, after}. '{"redacted":true}' after an erasure. */
  details: Generated<string>;
  ip: string | null;
  created_at: string;
}

/** What analytics counted of erased conversations, per 15-minute bucket (migration 0026). */
export interface AnalyticsErasedTable {
  account_id: string;
  agent_id: string;
  /** floor(epoch seconds / 900) of the moment counted. */
  bucket: number;
  /** started, scored, score_sum, message, feedback, csat, handoff_source, handoff, ended, abandoned, ai_resolved. */
  figure: string;
  /** The message's role, the rating, the handoff's source; '' for the others. */
  key: string;
  n: number;
}

export interface DB {
  analytics_erased: AnalyticsErasedTable;
  saved_views: SavedViewsTable;
  canned_responses: CannedResponsesTable;
  notifications: NotificationsTable;
  member_invitations: MemberInvitationsTable;
  audit_log: AuditLogTable;
  exports: ExportsTable;
  events: EventsTable;
  task_schedules: TaskSchedulesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  automations: AutomationsTable;
  automation_runs: AutomationRunsTable;
  event_consumers: EventConsumersTable;
  idempotency_keys: IdempotencyKeysTable;
  sessions: SessionsTable;
  channels: ChannelsTable;
  attachments: AttachmentsTable;
  channel_deliveries: ChannelDeliveriesTable;
  email_threads: EmailThreadsTable;
  email_messages: EmailMessagesTable;
  email_mailboxes: EmailMailboxesTable;
  visitor_sessions: VisitorSessionsTable;
  conversation_states: ConversationStatesTable;
  conversation_tags: ConversationTagsTable;
  accounts: AccountsTable;
  members: MembersTable;
  agents: AgentsTable;
  api_keys: ApiKeysTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  messages: MessagesTable;
  knowledge_documents: KnowledgeDocumentsTable;
  knowledge_chunks: KnowledgeChunksTable;
}
