import { uuidv7 } from '../../shared/ids.js';
import type { Database } from '../../shared/db/database.js';
import { generatePassword, hashPassword } from '../../shared/auth/passwords.js';
import { nowIso } from '../../shared/time.js';
import type { AccountsRepository } from './accounts.repository.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { ApiKeysUseCases } from '../api-keys/api-keys.usecases.js';
import type { KnowledgeUseCases } from '../knowledge/knowledge.usecases.js';
import { DEMO_DOCUMENTS } from './demo-knowledge.js';
import type { ChannelsRepository } from '../channels/channels.repository.js';
import { normalizeWidgetConfig } from '../widget/widget.config.js';
import { generateIdentitySecret, generatePublicKey } from '../widget/widget.secrets.js';

export interface NewWorkspace {
  account_id: string;
  agent_id: string;
  api_key: string;
  admin_email: string;
  admin_password: string;
}

export interface CreateWorkspaceInput {
  name: string;
  adminEmail?: string;
  adminPassword?: string;
  /** Seed the demo help-centre articles into the agent's knowledge. */
  demo?: boolean;
}

const DEMO_INSTRUCTIONS =
  'You are the support assistant of Parley Demo Store. Answer customers briefly and kindly, only from the help articles you are given; when they do not cover a question, say so and offer to pass the conversation to a person.';

export function createWorkspaceUseCases({
  database,
  repos,
  apiKeys,
  knowledge,
}: {
  database: Database;
  repos: { accounts: AccountsRepository; agents: AgentsRepository; channels: ChannelsRepository };
  apiKeys: ApiKeysUseCases;
  knowledge: KnowledgeUseCases;
}) {
  async function create(input: CreateWorkspaceInput): Promise<NewWorkspace> {
    const now = nowIso();
    const accountId = uuidv7();
    const agentId = uuidv7();
    const adminEmail = (input.adminEmail ?? 'admin@example.com').trim().toLowerCase();
    const adminPassword = input.adminPassword ?? generatePassword();
    const passwordHash = await hashPassword(adminPassword);
    const key = await database.db.transaction().execute(async (trx) => {
      await repos.accounts.insertAccount(
        { id: accountId, name: input.name, timezone: 'UTC', idle_end_minutes: 0, created_at: now, updated_at: now },
        trx,
      );
      await repos.accounts.insertMember(
        {
          id: uuidv7(),
          account_id: accountId,
          email: adminEmail,
          name: 'Admin',
          role: 'admin',
          password_hash: passwordHash,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      await repos.agents.insert(
        {
          id: agentId,
          account_id: accountId,
          name: input.demo ? 'Demo Support Agent' : 'Support Agent',
          description: input.demo ? 'Answers questions from the demo help centre' : 'Answers customer questions',
          status: 'active',
          instructions: DEMO_INSTRUCTIONS,
          model_settings: '{}',
          keywords: '[]',
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      if (input.demo) {
        // The website chat of the demo page (/demo), so a newcomer talks to the agent at once.
        await repos.channels.insert(
          {
            id: uuidv7(),
            account_id: accountId,
            name: 'Website chat',
            type: 'web_widget',
            config: JSON.stringify(
              normalizeWidgetConfig({ title: 'Parley Demo Store', greeting: 'Hi! Ask me anything about orders, shipping or returns.' }, agentId),
            ),
            active: 1,
            created_at: now,
            updated_at: now,
            public_key: generatePublicKey(),
            identity_secret: generateIdentitySecret(),
            default_team_id: null,
          },
          trx,
        );
      }
      return apiKeys.create(accountId, agentId, { name: 'Default key' }, trx);
    });
    if (input.demo) {
      for (const doc of DEMO_DOCUMENTS) await knowledge.createDocument(accountId, agentId, doc);
    }
    return {
      account_id: accountId,
      agent_id: agentId,
      api_key: key.secret,
      admin_email: adminEmail,
      admin_password: adminPassword,
    };
  }

  return {
    create,
    /** On an empty database, creates the first workspace with the demo agent; otherwise null. */
    async ensureFirst(): Promise<NewWorkspace | null> {
      if (await repos.accounts.any()) return null;
      return create({ name: 'My workspace', demo: true });
    },
  };
}

export type WorkspaceUseCases = ReturnType<typeof createWorkspaceUseCases>;
