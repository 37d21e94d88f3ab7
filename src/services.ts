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
import { createKnowledgeRepository } from './modules/knowledge/knowledge.repository.js';
import { createKnowledgeUseCases } from './modules/knowledge/knowledge.usecases.js';
import { createKnowledgeRetriever } from './modules/knowledge/knowledge.search.js';
import { createAiProvider } from './ai/providers.js';
import { createSettingsUseCases } from './modules/accounts/settings.usecases.js';
import { createChannelsRepository } from './modules/channels/channels.repository.js';
import { createChannelsUseCases } from './modules/channels/channels.usecases.js';
import { createConversationStatesRepository } from './modules/conversation-states/conversation-states.repository.js';
import { createConversationStatesUseCases } from './modules/conversation-states/conversation-states.usecases.js';
import { createMembersRepository } from './modules/members/members.repository.js';
import { createMembersUseCases } from './modules/members/members.usecases.js';
import { createSessionsRepository } from './modules/auth/sessions.repository.js';
import { createAuthUseCases } from './modules/auth/auth.usecases.js';
import { createLoginLimiter } from './modules/auth/auth.rate-limit.js';
import type { AiProvider } from './ai/provider.js';

export interface ServicesOptions {
  database: Database;
  config: Pick<Config, 'llm'>;
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
    channels: createChannelsRepository({ db }),
    conversationStates: createConversationStatesRepository({ db }),
  };
  const eventLog = createEventLog({ database, events: repos.events });
  const retriever = createKnowledgeRetriever({ database });
  const ai = aiProvider ?? createAiProvider(config.llm, retriever);
  const agents = createAgentsUseCases({ agents: repos.agents });
  const knowledge = createKnowledgeUseCases({ database, knowledge: repos.knowledge, agents });
  const contacts = createContactsUseCases({ eventLog, contacts: repos.contacts });
  const conversations = createConversationsUseCases({
    eventLog,
    conversations: repos.conversations,
    contacts: repos.contacts,
    agents: repos.agents,
    messages: repos.messages,
  });
  const replies = createReplies({
    eventLog,
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
  });
  const events = createEventsUseCases({ events: repos.events, eventLog });
  const messageAssist = createMessageAssistUseCases({ conversations, messages: repos.messages, agents: repos.agents, ai });
  const apiKeys = createApiKeysUseCases({ apiKeys: repos.apiKeys, agents: repos.agents });
  const members = createMembersUseCases({ database, members: repos.members });
  // One limiter per app: login failures are counted in this process's memory.
  const auth = createAuthUseCases({ database, members: repos.members, sessions: repos.sessions, limiter: createLoginLimiter() });
  const workspaces = createWorkspaceUseCases({ database, repos, apiKeys, knowledge });
  const settings = createSettingsUseCases({ accounts: repos.accounts });
  const channels = createChannelsUseCases({ database, channels: repos.channels });
  const conversationStates = createConversationStatesUseCases({ database, states: repos.conversationStates });

  return {
    database,
    repos,
    ai,
    retriever,
    authenticate: createAuthenticator({ apiKeys: repos.apiKeys, sessions: repos.sessions }),
    agents,
    knowledge,
    contacts,
    conversations,
    messages,
    messageAssist,
    replies,
    eventLog,
    events,
    streams: createStreamRegistry(),
    apiKeys,
    members,
    auth,
    workspaces,
    settings,
    channels,
    conversationStates,
    /** Throws when storage cannot answer. */
    async health(): Promise<void> {
      await sql`select 1`.execute(db);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
