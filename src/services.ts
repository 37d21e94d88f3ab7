import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from './shared/config/config.js';
import type { Database } from './shared/db/database.js';
import { createAuthenticator } from './shared/auth/authenticate.js';
import { createAgentsRepository } from './modules/agents/agents.repository.js';
import { createAgentsUseCases } from './modules/agents/agents.usecases.js';
import { createApiKeysRepository } from './modules/api-keys/api-keys.repository.js';
import { createApiKeysUseCases } from './modules/api-keys/api-keys.usecases.js';
import { createAccountsRepository } from './modules/accounts/accounts.repository.js';
import { createWorkspaceUseCases } from './modules/accounts/accounts.usecases.js';
import { createContactsRepository } from './modules/contacts/contacts.repository.js';
import { createContactsUseCases } from './modules/contacts/contacts.usecases.js';
import { createConversationsRepository } from './modules/conversations/conversations.repository.js';
import { createConversationsUseCases } from './modules/conversations/conversations.usecases.js';
import { createMessagesRepository } from './modules/messages/messages.repository.js';
import { createMessagesUseCases } from './modules/messages/messages.usecases.js';
import { createMessageAssistUseCases } from './modules/messages/messages.assist.js';
import { createReplies } from './modules/messages/messages.replies.js';
import { createEventsRepository } from './modules/events/events.repository.js';
import { createEventLog } from './modules/events/events.log.js';
import { createEventsUseCases } from './modules/events/events.usecases.js';
import { createStreamRegistry } from './shared/http/stream-registry.js';
import { createMetrics } from './modules/metrics/metrics.js';
import { createReplySignals } from './modules/events/reply-signals.js';
import { createKnowledgeRepository } from './modules/knowledge/knowledge.repository.js';
import { createKnowledgeUseCases } from './modules/knowledge/knowledge.usecases.js';
import { createKnowledgeRetriever } from './modules/knowledge/knowledge.search.js';
import { createAiProvider } from './ai/providers.js';
import { createSettingsUseCases } from './modules/accounts/settings.usecases.js';
import { createChannelsRepository } from './modules/channels/channels.repository.js';
import { createChannelsUseCases } from './modules/channels/channels.usecases.js';
import { createChannelDeliveriesRepository } from './modules/channels/channels.deliveries.repository.js';
import { createChannelRegistry } from './modules/channels/channels.registry.js';
import { createChannelOutbox } from './modules/channels/channels.outbox.js';
import { createChannelWorker } from './modules/channels/channels.worker.js';
import { createEmailRepository } from './modules/email/email.repository.js';
import { createChannelReceiver } from './modules/channels/channels.receive.js';
import { createEmailInbound } from './modules/email/email.inbound.js';
import { createEmailInboundRepository } from './modules/email/email.inbound.repository.js';
import { createEmailUseCases } from './modules/email/email.usecases.js';
import { createEmailSender } from './modules/email/email.sender.js';
import { createConversationStatesRepository } from './modules/conversation-states/conversation-states.repository.js';
import { createConversationStatesUseCases } from './modules/conversation-states/conversation-states.usecases.js';
import { createMembersRepository } from './modules/members/members.repository.js';
import { createMembersUseCases } from './modules/members/members.usecases.js';
import { createSessionsRepository } from './modules/auth/sessions.repository.js';
import { createAuthUseCases } from './modules/auth/auth.usecases.js';
import { createLoginLimiter, createRateLimiter, LOGIN_FAILURES_PER_IP, LOGIN_WINDOW_MS } from './modules/auth/auth.rate-limit.js';
import { createInvitationsRepository } from './modules/members/invitations.repository.js';
import { createInvitationsUseCases } from './modules/members/invitations.usecases.js';
import type { AiProvider } from './ai/provider.js';
import { parseWebhookConfig } from './shared/config/config.js';
import { parseChannelConfig } from './shared/config/config.js';
import { parseAttachmentsConfig } from './shared/config/config.js';
import { createAttachmentsRepository } from './modules/attachments/attachments.repository.js';
import { createAttachmentsUseCases } from './modules/attachments/attachments.usecases.js';
import { createAttachmentStore } from './modules/attachments/attachments.store.js';
import { createWebhookEndpointsRepository } from './modules/webhooks/webhooks.repository.js';
import { createWebhookDeliveriesRepository } from './modules/webhooks/webhooks.deliveries.repository.js';
import { createWebhookOutbox } from './modules/webhooks/webhooks.outbox.js';
import { createWebhooksUseCases } from './modules/webhooks/webhooks.usecases.js';
import { createWebhookWorker } from './modules/webhooks/webhooks.worker.js';
import { createIdempotencyRepository } from './modules/idempotency/idempotency.repository.js';
import { createIdempotencyGate } from './modules/idempotency/idempotency.usecases.js';
import { createAnalyticsRepository } from './modules/analytics/analytics.repository.js';
import { createAnalyticsUseCases } from './modules/analytics/analytics.usecases.js';
import { createAutomationsRepository } from './modules/automations/automations.repository.js';
import { createAutomationsUseCases } from './modules/automations/automations.usecases.js';
import { createActionRunner } from './modules/automations/automations.actions.js';
import { createAutomationsConsumer } from './modules/automations/automations.consumer.js';
import { createVisitorSessionsRepository } from './modules/widget/visitor-sessions.repository.js';
import { createWidgetSessions } from './modules/widget/widget.sessions.js';
import { createWidgetConversations } from './modules/widget/widget.conversations.js';
import { createWidgetRepository } from './modules/widget/widget.repository.js';
import { createConversationFeed } from './modules/widget/widget.feed.js';
import { createTeamsRepository } from './modules/teams/teams.repository.js';
import { createTeamsUseCases } from './modules/teams/teams.usecases.js';
import { createAssigner } from './modules/teams/teams.assignment.js';
import { createNotificationsRepository } from './modules/notifications/notifications.repository.js';
import { createNotificationsUseCases } from './modules/notifications/notifications.usecases.js';
import { createNotificationsConsumer } from './modules/notifications/notifications.consumer.js';
import type { ConversationsUseCases } from './modules/conversations/conversations.usecases.js';
import { createConversationIncludesRepository } from './modules/conversations/conversations.includes.repository.js';
import { createConversationCountsRepository } from './modules/conversations/conversations.counts.repository.js';
import { createConversationCountsUseCases } from './modules/conversations/conversations.counts.js';
import { createBulkUseCases } from './modules/conversations/conversations.bulk.js';
import { createViewsRepository } from './modules/views/views.repository.js';
import { createViewsUseCases } from './modules/views/views.usecases.js';
import { createCannedResponsesRepository } from './modules/canned-responses/canned-responses.repository.js';
import { createCannedResponsesUseCases } from './modules/canned-responses/canned-responses.usecases.js';
import { createExportsRepository } from './modules/exports/exports.repository.js';
import { createExportsUseCases } from './modules/exports/exports.usecases.js';
import { createExportsWorker } from './modules/exports/exports.worker.js';
import { createContactExport } from './modules/exports/contact-export.js';
import { createContactExportRepository } from './modules/exports/contact-export.repository.js';
import { createErasure } from './modules/erasure/erasure.js';
import { createErasedAnalytics } from './modules/analytics/analytics.erased.js';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { createAudit } from './modules/audit/audit.js';

export interface ServicesOptions {
  database: Database;
  /** Webhook and channel settings left out are read from the environment (PARLEY_WEBHOOK_*, PARLEY_CHANNEL_*). */
  config: Pick<Config, 'llm'> & Partial<Pick<Config, 'webhookRetryBaseMs' | 'webhookAllowPrivate' | 'channelRetryBaseMs'>> & AttachmentSettings;
  /** Replaces the configured provider (tests of failure paths use this with a real provider). */
  aiProvider?: AiProvider;
}

/** Wires repositories into use cases: the whole application minus HTTP. */
export function createServices({ database, config, aiProvider }: ServicesOptions) {
  const { db, dialect } = database;
  const repos = {
    accounts: createAccountsRepository({ db }),
    agents: createAgentsRepository({ db }),
    apiKeys: createApiKeysRepository({ db }),
    contacts: createContactsRepository({ db, dialect }),
    conversations: createConversationsRepository({ db, dialect }),
    messages: createMessagesRepository({ db, dialect }),
    events: createEventsRepository({ db, dialect }),
    knowledge: createKnowledgeRepository({ db, dialect }),
    members: createMembersRepository({ db, dialect }),
    sessions: createSessionsRepository({ db }),
    invitations: createInvitationsRepository({ db }),
    channels: createChannelsRepository({ db }),
    channelDeliveries: createChannelDeliveriesRepository({ db, dialect }),
    email: createEmailRepository({ db }),
    conversationStates: createConversationStatesRepository({ db }),
    automations: createAutomationsRepository({ db }),
    webhookEndpoints: createWebhookEndpointsRepository({ db }),
    webhookDeliveries: createWebhookDeliveriesRepository({ db, dialect }),
    visitorSessions: createVisitorSessionsRepository({ db }),
    teams: createTeamsRepository({ db }),
    savedViews: createViewsRepository({ db }),
    notifications: createNotificationsRepository({ db }),
    cannedResponses: createCannedResponsesRepository({ db, dialect }),
    attachments: createAttachmentsRepository({ db }),
    audit: createAuditRepository({ db }),
  };
  // Use cases that change things outside an audited route record it themselves.
  const audit = createAudit({ audit: repos.audit });
  const eventLog = createEventLog({ database, events: repos.events });
  // The webhook outbox: deliveries commit in the same transaction as their events.
  const webhookSettings = webhookSettingsOf(config);
  const webhookOutbox = createWebhookOutbox({ endpoints: repos.webhookEndpoints, deliveries: repos.webhookDeliveries });
  eventLog.addAppendHook(webhookOutbox.hook);
  const retriever = createKnowledgeRetriever({ database });
  const streams = createStreamRegistry();
  // GET /metrics: one registry per app; every AI reply is timed by provider.
  const metrics = createMetrics({ database, openStreams: () => streams.size });
  const ai = metrics.instrumentProvider(aiProvider ?? createAiProvider(config.llm, retriever));
  const agents = createAgentsUseCases({ agents: repos.agents });
  const attachmentSettings = attachmentSettingsOf(config);
  const exportsRepo = createExportsRepository({ db, dialect });
  const exportsDir = path.join(attachmentSettings.dataDir, 'exports');
  const attachments = createAttachmentsUseCases({
    attachments: repos.attachments,
    conversationsRepo: repos.conversations,
    messagesRepo: repos.messages,
    store: createAttachmentStore(attachmentSettings),
    maxBytes: attachmentSettings.maxBytes,
  });
  const knowledge = createKnowledgeUseCases({ database, knowledge: repos.knowledge, agents });
  // Deleting a contact or conversations erases every copy of them (events, deliveries, files, …).
  const erasedAnalytics = createErasedAnalytics({ db, dialect });
  const erasure = createErasure({ database, eventLog, files: attachments, analytics: erasedAnalytics });
  const contacts = createContactsUseCases({ eventLog, contacts: repos.contacts, erasure });
  // Auto-assignment presents the conversations it assigns as the conversations use cases do.
  let presentStored: ConversationsUseCases['presentStored'] = () => Promise.reject(new Error('not ready'));
  const assigner = createAssigner({ eventLog, teams: repos.teams, present: (accountId, id, trx) => presentStored(accountId, id, trx) });
  const conversations = createConversationsUseCases({
    eventLog,
    conversations: repos.conversations,
    contacts: repos.contacts,
    agents: repos.agents,
    messages: repos.messages,
    references: { channels: repos.channels, states: repos.conversationStates, members: repos.members, teams: repos.teams },
    assigner,
    writer: ai.write ? (request) => ai.write!(request).catch(() => null) : undefined,
    includes: createConversationIncludesRepository({ db, dialect }),
    erasure,
  });
  presentStored = conversations.presentStored;
  // Channels that send (email): replies queued in their own transaction, sent by the channel worker.
  const channelRegistry = createChannelRegistry({
    email: createEmailSender({ email: repos.email, readAttachment: (row) => attachments.read(row) }),
  });
  const channelOutbox = createChannelOutbox({
    eventLog,
    deliveries: repos.channelDeliveries,
    registry: channelRegistry,
    presentConversation: (accountId, id, executor) => conversations.presentStored(accountId, id, executor),
  });
  eventLog.addPrepareHook(channelOutbox.prepare);
  // In-process notices of replies being written, for the inbox's event stream (issue 5).
  const replySignals = createReplySignals();
  replySignals.connect(eventLog);
  const replies = createReplies({
    eventLog,
    signals: replySignals,
    conversations,
    conversationsRepo: repos.conversations,
    messages: repos.messages,
    agents: repos.agents,
    ai,
  });
  const messages = createMessagesUseCases({
    eventLog,
    conversations,
    conversationsRepo: repos.conversations,
    messages: repos.messages,
    agents: repos.agents,
    replies,
    attachments,
  });
  // Messages arriving through channels (email): one receive use case; each mail imported once.
  const channelReceiver = createChannelReceiver({ eventLog, contacts: repos.contacts, agents: repos.agents, conversations, conversationsRepo: repos.conversations, messages });
  const emailInbound = createEmailInbound({
    eventLog,
    receiver: channelReceiver,
    email: repos.email,
    inbound: createEmailInboundRepository({ db }),
    files: attachments,
    outbox: channelOutbox,
  });
  const events = createEventsUseCases({ events: repos.events, eventLog });
  const messageAssist = createMessageAssistUseCases({ conversations, messages: repos.messages, agents: repos.agents, ai });
  const apiKeys = createApiKeysUseCases({ apiKeys: repos.apiKeys, agents: repos.agents });
  const members = createMembersUseCases({ database, members: repos.members, conversations: repos.conversations, assigner, invitations: repos.invitations });
  // One limiter per app: login failures are counted in this process's memory.
  const auth = createAuthUseCases({ database, members: repos.members, sessions: repos.sessions, limiter: createLoginLimiter(), audit });
  // Unknown invitation tokens are counted per address like failed logins, so links cannot be guessed.
  const invitations = createInvitationsUseCases({
    database,
    invitations: repos.invitations,
    members: repos.members,
    accounts: repos.accounts,
    auth,
    limiter: createRateLimiter({ limit: LOGIN_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS }),
  });
  const workspaces = createWorkspaceUseCases({ database, repos, apiKeys, knowledge });
  const settings = createSettingsUseCases({ accounts: repos.accounts, audit });
  const channels = createChannelsUseCases({
    database,
    channels: repos.channels,
    conversations: repos.conversations,
    agents: repos.agents,
    registry: channelRegistry,
  });
  const conversationStates = createConversationStatesUseCases({
    database,
    states: repos.conversationStates,
    conversations: repos.conversations,
  });
  const idempotency = createIdempotencyGate({ keys: createIdempotencyRepository({ db }) });
  const analytics = createAnalyticsUseCases({
    analytics: createAnalyticsRepository({ db, dialect }),
    accounts: repos.accounts,
    agents: repos.agents,
    erased: erasedAnalytics,
  });
  const automations = createAutomationsUseCases({
    automations: repos.automations,
    references: { members: repos.members, states: repos.conversationStates, teams: repos.teams, webhookEndpoints: repos.webhookEndpoints },
  });
  // Rules run after commit, from the event log; the task in tasks.ts drives this consumer.
  const automationsConsumer = createAutomationsConsumer({
    database,
    events: repos.events,
    automations: repos.automations,
    conversations,
    contacts: repos.contacts,
    channels: repos.channels,
    runAction: createActionRunner({ executor: db, conversations, messages, webhooks: webhookOutbox }),
  });

  return {
    database,
    repos,
    ai,
    retriever,
    authenticate: createAuthenticator({ apiKeys: repos.apiKeys, sessions: repos.sessions, authChanges: database.authChanges }),
    agents,
    knowledge,
    contacts,
    conversations,
    conversationCounts: createConversationCountsUseCases({
      counts: createConversationCountsRepository({ db }),
      conversations: repos.conversations,
      views: repos.savedViews,
    }),
    views: createViewsUseCases({ views: repos.savedViews }),
    bulk: createBulkUseCases({ conversations, members: repos.members, states: repos.conversationStates }),
    messages,
    messageAssist,
    replies,
    replySignals,
    eventLog,
    events,
    webhookOutbox,
    webhooks: createWebhooksUseCases({
      eventLog,
      endpoints: repos.webhookEndpoints,
      deliveries: repos.webhookDeliveries,
      outbox: webhookOutbox,
      allowPrivate: webhookSettings.webhookAllowPrivate,
    }),
    /** Sends due deliveries; driven by the task in tasks.ts. */
    webhookWorker: createWebhookWorker({
      database,
      eventLog,
      retryBaseMs: webhookSettings.webhookRetryBaseMs,
      allowPrivate: webhookSettings.webhookAllowPrivate,
    }),
    streams,
    metrics,
    apiKeys,
    members,
    invitations,
    auth,
    workspaces,
    settings,
    channels,
    conversationStates,
    channelRegistry,
    channelOutbox,
    channelReceiver,
    /** Imports received mail into conversations (by IMAP, or forwarded to the raw-mail route). */
    emailInbound,
    /** The raw-mail route's channel check and members' view of a message's mail. */
    email: createEmailUseCases({ messages, email: repos.email, inbound: createEmailInboundRepository({ db }) }),
    /** Sends queued channel deliveries (email); driven by the task in tasks.ts. */
    channelWorker: createChannelWorker({
      eventLog,
      deliveries: repos.channelDeliveries,
      outbox: channelOutbox,
      registry: channelRegistry,
      repos: { channels: repos.channels, conversations: repos.conversations, contacts: repos.contacts, accounts: repos.accounts },
      retryBaseMs: config.channelRetryBaseMs ?? parseChannelConfig(process.env).channelRetryBaseMs,
    }),
    idempotency,
    analytics,
    automations,
    automationsConsumer,
    notifications: createNotificationsUseCases({ notifications: repos.notifications }),
    /** Makes members' notifications from the event log; driven by the task in tasks.ts. */
    notificationsConsumer: createNotificationsConsumer({ database, events: repos.events, notifications: repos.notifications }),
    widgetSessions: createWidgetSessions({
      eventLog,
      channels: repos.channels,
      contacts: repos.contacts,
      accounts: repos.accounts,
      sessions: repos.visitorSessions,
      conversations,
      conversationsRepo: repos.conversations,
    }),
    widgetConversations: createWidgetConversations({
      conversations,
      conversationsRepo: repos.conversations,
      messages,
      widget: createWidgetRepository({ db }),
      messagesRepo: repos.messages,
      contacts: repos.contacts,
      signals: replySignals,
      eventLog,
    }),
    widgetFeed: createConversationFeed({ events: repos.events, eventLog }),
    assigner,
    teams: createTeamsUseCases({ database, teams: repos.teams, assigner }),
    cannedResponses: createCannedResponsesUseCases({ responses: repos.cannedResponses }),
    /** Bulk exports: requests, their status and download links (the files are under PARLEY_DATA_DIR/exports). */
    exports: createExportsUseCases({ exports: exportsRepo, dir: exportsDir }),
    /** Writes queued exports to files and deletes expired ones; driven by the task in tasks.ts. */
    exportsWorker: createExportsWorker({ database, exports: exportsRepo, dir: exportsDir }),
    /** A contact's data in one document (GDPR access). */
    contactExport: createContactExport({ database, reads: createContactExportRepository() }),
    attachments,
    /** Erases a contact or conversations with every copy of them (erasure/erasure.ts). */
    erasure,
    /** The audit log (audit/audit.ts): `record` for changes made outside an audited route. */
    audit,
    /** Throws when storage cannot answer. */
    async health(): Promise<void> {
      await sql`select 1`.execute(db);
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/** Where attachments are kept and how large they may be; what is not given is read from the environment. */
interface AttachmentSettings {
  /** PARLEY_DATA_DIR: files are kept under its `attachments` folder unless a bucket is set. */
  dataDir?: string;
  attachments?: Partial<Config['attachments']>;
}

function attachmentSettingsOf(config: AttachmentSettings): Config['attachments'] & { dataDir: string } {
  const given = config.attachments ?? {};
  const env = given.maxBytes !== undefined && given.s3 !== undefined ? null : parseAttachmentsConfig(process.env);
  return {
    maxBytes: given.maxBytes ?? env!.maxBytes,
    s3: given.s3 !== undefined ? given.s3 : env!.s3,
    dataDir: config.dataDir ?? path.resolve(process.env.PARLEY_DATA_DIR ?? './data'),
  };
}

type WebhookSettings = Pick<Config, 'webhookRetryBaseMs' | 'webhookAllowPrivate'>;

/** The webhook settings given, completed from the environment (tests and scripts pass only `llm`). */
function webhookSettingsOf(config: Partial<WebhookSettings>): WebhookSettings {
  const { webhookRetryBaseMs, webhookAllowPrivate } = config;
  if (webhookRetryBaseMs !== undefined && webhookAllowPrivate !== undefined) return { webhookRetryBaseMs, webhookAllowPrivate };
  const env = parseWebhookConfig(process.env);
  return {
    webhookRetryBaseMs: webhookRetryBaseMs ?? env.webhookRetryBaseMs,
    webhookAllowPrivate: webhookAllowPrivate ?? env.webhookAllowPrivate,
  };
}
