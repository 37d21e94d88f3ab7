// Seeds a realistic Parley data set straight through the repositories and batched SQL, for the
// benchmark (scripts/bench/main.ts). Everything is written in large transactions: the 1M-message
// data set takes a minute or two on SQLite, not an hour of API calls.
//
// Shape, for `scale` messages (S):
//   - 5 accounts; the benchmarked one holds 80 % of the data, four others 5 % each (a multi-tenant
//     server: the other tenants' rows sit in the same tables and indexes).
//   - 2 agents per account; the benchmarked agent has a 1,000-document knowledge base.
//   - conversations ≈ S / 10 (4–16 messages each, ~10 on average), spread over the last 180 days,
//     30 % still active; contacts ≈ conversations / 2; 10 % of conversations tagged.
//   - messages alternate user / assistant, written in a support vocabulary (FTS-indexed as usual).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/shared/db/database.js';
import { createServices } from '../../src/services.js';
import { createKnowledgeRepository } from '../../src/modules/knowledge/knowledge.repository.js';
import { createKnowledgeUseCases } from '../../src/modules/knowledge/knowledge.usecases.js';
import { createAgentsRepository } from '../../src/modules/agents/agents.repository.js';
import { createAgentsUseCases } from '../../src/modules/agents/agents.usecases.js';

export interface SeededData {
  accountId: string;
  agentId: string;
  apiKey: string;
  /** Active conversations of the benchmarked account (for posting messages). */
  activeConversationIds: string[];
  /** Conversations of the benchmarked account with messages (for reading them). */
  conversationIds: string[];
  /** Emails of existing contacts of the benchmarked account (find-or-create hits). */
  contactEmails: string[];
  /** Words that occur in message content, contact names and emails (search queries). */
  searchQueries: string[];
  counts: { accounts: number; agents: number; contacts: number; conversations: number; messages: number; documents: number };
  seconds: number;
}

// --- a small deterministic random source, so two runs seed the same shape -----------------------
let rngState = 0x2545f491;
function rand(): number {
  rngState ^= rngState << 13;
  rngState ^= rngState >>> 17;
  rngState ^= rngState << 5;
  return ((rngState >>> 0) % 1_000_000) / 1_000_000;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** A UUIDv7 for a given instant (the app's own ids are v7 too, so ids sort with created_at). */
let lastIdMs = 0;
let idSeq = 0;
function uuidv7At(ms: number): string {
  if (ms <= lastIdMs) {
    ms = lastIdMs;
    idSeq++;
  } else {
    lastIdMs = ms;
    idSeq = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((idSeq >> 8) & 0x0f);
  bytes[7] = idSeq & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// --- vocabulary ---------------------------------------------------------------------------------
const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wei', 'Xena', 'Yusuf', 'Zoe'];
const LAST = ['Smith', 'Garcia', 'Müller', 'Rossi', 'Dubois', 'Kowalski', 'Tanaka', 'Silva', 'Novak', 'Jensen', 'Okafor', 'Haddad', 'Ivanova', 'Nguyen', 'Larsen', 'Costa', 'Weber', 'Moreau'];
const ORGS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'];
export const TOPICS = ['refund', 'shipping', 'password', 'invoice', 'delivery', 'subscription', 'warranty', 'exchange', 'coupon', 'payment', 'address', 'tracking', 'cancellation', 'upgrade', 'login', 'battery', 'charger', 'screen', 'size', 'gift'];
const OBJECTS = ['order', 'parcel', 'account', 'card', 'plan', 'device', 'jacket', 'headphones', 'laptop', 'bundle', 'voucher', 'receipt'];
const VERBS = ['change', 'cancel', 'return', 'track', 'reset', 'update', 'pay for', 'upgrade', 'exchange', 'download'];
const FILLER = ['please', 'thanks', 'today', 'yesterday', 'again', 'urgently', 'as soon as possible', 'last week', 'this morning', 'for my business'];
const ASPECTS = ['policy', 'timeline', 'fees', 'eligibility', 'step by step', 'troubleshooting', 'international', 'for businesses', 'exceptions', 'frequently asked questions'];

function userMessage(topic: string): string {
  const obj = pick(OBJECTS);
  return pick([
    `Hi, how do I ${pick(VERBS)} my ${obj}? It is about a ${topic} question ${pick(FILLER)}.`,
    `I have a problem with the ${topic} of my ${obj}, can you help ${pick(FILLER)}?`,
    `What is your ${topic} ${pick(ASPECTS)} for a ${obj}?`,
    `My ${obj} order number ${int(10000, 99999)} has a ${topic} issue.`,
    `Can I still ${pick(VERBS)} the ${obj}? ${pick(FILLER)}`,
  ]);
}
function assistantMessage(topic: string): string {
  return `Thanks for reaching out. For ${topic} questions about your ${pick(OBJECTS)}, you can ${pick(VERBS)} it from your account page; it usually takes ${int(1, 14)} days. Let me know if there is anything else.`;
}
function documentBody(topic: string, aspect: string, n: number): string {
  const paras: string[] = [];
  for (let p = 0; p < 4; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 5; s++) {
      sentences.push(
        pick([
          `The ${topic} ${aspect} applies to every ${pick(OBJECTS)} bought in our store or app.`,
          `To ${pick(VERBS)} a ${pick(OBJECTS)}, open your account, choose the order and follow the ${topic} steps.`,
          `Most ${topic} requests are handled within ${int(1, 10)} business days; article ${n} lists the exceptions.`,
          `Customers on the ${pick(['basic', 'plus', 'pro', 'business'])} plan pay no fee for ${topic} changes.`,
          `If the ${pick(OBJECTS)} arrived damaged, contact us within ${int(7, 60)} days with photos and the receipt.`,
          `International ${topic} may take longer because of customs and carrier ${pick(['delays', 'checks', 'holidays'])}.`,
        ]),
      );
    }
    paras.push(sentences.join(' '));
  }
  return paras.join('\n\n');
}

// --- batched inserts ----------------------------------------------------------------------------
async function insertBatches<T extends Record<string, unknown>>(
  database: Database,
  table: 'contacts' | 'conversations' | 'messages' | 'conversation_tags',
  rows: T[],
  batch: number,
): Promise<number[]> {
  const ids: number[] = [];
  const { db } = database;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += batch) {
      const slice = rows.slice(i, i + batch);
      const q = trx.insertInto(table).values(slice as never);
      if (table === 'contacts') {
        const out = await q.returning('id' as never).execute();
        for (const r of out as Array<{ id: number }>) ids.push(Number(r.id));
      } else {
        await q.execute();
      }
    }
  });
  return ids;
}

const DAY = 86_400_000;

/** Seeds `scale` messages (and everything proportionate) into a migrated, empty database. */
export async function seed(database: Database, scale: number, log: (msg: string) => void): Promise<SeededData> {
  const started = Date.now();
  const services = createServices({ database, config: { llm: null, webhookRetryBaseMs: 1000, webhookAllowPrivate: true } });
  const accounts: Array<{ accountId: string; agentIds: string[]; apiKey: string; share: number }> = [];
  for (let a = 0; a < 5; a++) {
    const ws = await services.workspaces.create({
      name: a === 0 ? 'Bench workspace' : `Tenant ${a}`,
      adminEmail: `admin@tenant${a}.example`,
      adminPassword: 'bench-password-123',
    });
    const second = uuidv7At(Date.now());
    const now = new Date().toISOString();
    await database.db
      .insertInto('agents')
      .values({ id: second, account_id: ws.account_id, name: `Sales agent ${a}`, description: '', status: 'active', instructions: '', model_settings: '{}', keywords: '[]', created_at: now, updated_at: now })
      .execute();
    accounts.push({ accountId: ws.account_id, agentIds: [ws.agent_id, second], apiKey: ws.api_key, share: a === 0 ? 0.8 : 0.05 });
  }
  const main = accounts[0];

  // The knowledge base of the benchmarked agent: 1,000 help-centre articles, chunked and indexed
  // by the knowledge use case itself.
  const knowledge = createKnowledgeUseCases({
    database,
    knowledge: createKnowledgeRepository({ db: database.db, dialect: database.dialect }),
    agents: createAgentsUseCases({ agents: createAgentsRepository({ db: database.db }) }),
  });
  const DOCS = 1000;
  await database.db.transaction().execute(async (trx) => {
    for (let n = 0; n < DOCS; n++) {
      const topic = TOPICS[n % TOPICS.length];
      const aspect = ASPECTS[Math.floor(n / TOPICS.length) % ASPECTS.length];
      await knowledge.createDocument(
        main.accountId,
        main.agentIds[0],
        { title: `${topic[0].toUpperCase()}${topic.slice(1)} ${aspect} (${n + 1})`, body: documentBody(topic, aspect, n + 1), url: `https://help.example.com/a/${n + 1}` },
        trx,
      );
    }
  });
  log(`seed: ${DOCS} knowledge documents (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const totalConversations = Math.max(10, Math.round(scale / 10));
  const out: SeededData = {
    accountId: main.accountId,
    agentId: main.agentIds[0],
    apiKey: main.apiKey,
    activeConversationIds: [],
    conversationIds: [],
    contactEmails: [],
    searchQueries: [],
    counts: { accounts: accounts.length, agents: accounts.length * 2, contacts: 0, conversations: 0, messages: 0, documents: DOCS },
    seconds: 0,
  };
  const BATCH = database.dialect === 'postgres' ? 1000 : 500;
  const now = Date.now();
  for (const acct of accounts) {
    const convCount = Math.max(5, Math.round(totalConversations * acct.share));
    const contactCount = Math.max(3, Math.round(convCount / 2));
    const domain = `customer${accounts.indexOf(acct)}.example`;
    const contactRows = [];
    for (let i = 0; i < contactCount; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const at = new Date(now - 200 * DAY + (i / contactCount) * 199 * DAY).toISOString();
      contactRows.push({
        account_id: acct.accountId,
        email: `${ascii(first)}.${ascii(last)}.${i}@${domain}`,
        name: `${first} ${last}`,
        first_name: first,
        last_name: last,
        phone: rand() < 0.5 ? `+1555${String(int(0, 9_999_999)).padStart(7, '0')}` : null,
        avatar_url: null,
        organization_name: rand() < 0.3 ? pick(ORGS) : null,
        external_id: rand() < 0.2 ? `crm-${i}` : null,
        metadata: JSON.stringify({ plan: pick(['basic', 'plus', 'pro']), signup_source: pick(['web', 'ios', 'android']) }),
        created_at: at,
        updated_at: at,
      });
    }
    const contactIds = await insertBatches(database, 'contacts', contactRows, BATCH);
    if (acct === main) out.contactEmails = contactRows.slice(0, 5000).map((c) => c.email);
    out.counts.contacts += contactRows.length;

    // Conversations and their messages, in chunks so memory stays flat at 1M messages.
    const CHUNK = 5000;
    for (let c0 = 0; c0 < convCount; c0 += CHUNK) {
      const convRows = [];
      const msgRows = [];
      const tagRows = [];
      for (let c = c0; c < Math.min(convCount, c0 + CHUNK); c++) {
        const startMs = now - 180 * DAY + Math.floor((c / convCount) * 179.9 * DAY);
        const id = uuidv7At(startMs);
        const topic = pick(TOPICS);
        const n = int(2, 8) * 2; // 4–16 messages, 10 on average
        const active = c >= convCount * 0.7 || rand() < 0.05;
        const lastAt = new Date(startMs + n * 60_000).toISOString();
        const created = new Date(startMs).toISOString();
        for (let m = 0; m < n; m++) {
          const at = new Date(startMs + m * 60_000 + 1000).toISOString();
          const user = m % 2 === 0;
          msgRows.push({
            account_id: acct.accountId,
            conversation_id: id,
            role: user ? 'user' : 'assistant',
            content: user ? userMessage(topic) : assistantMessage(topic),
            sources: user ? '[]' : JSON.stringify([{ document_id: 'doc', title: `${topic} policy` }]),
            status: 'completed',
            error: null,
            modality: 'text',
            author_id: null,
            created_at: at,
            updated_at: at,
          });
        }
        convRows.push({
          id,
          account_id: acct.accountId,
          agent_id: rand() < 0.9 ? acct.agentIds[0] : acct.agentIds[1],
          contact_id: contactIds[c % contactIds.length],
          channel_id: null,
          status: active ? 'active' : 'ended',
          end_reason: active ? null : rand() < 0.7 ? 'ended' : 'abandoned',
          mode: rand() < 0.95 ? 'ai' : 'manual',
          assignee_id: null,
          state_id: null,
          title: rand() < 0.3 ? `${topic[0].toUpperCase()}${topic.slice(1)} question` : null,
          context: null,
          summary: !active && rand() < 0.3 ? `Customer asked about ${topic}; resolved by the agent.` : null,
          score: !active && rand() < 0.2 ? int(1, 5) : null,
          priority: 'normal',
          metadata: JSON.stringify({ source: pick(['web', 'api', 'ios']) }),
          turn_count: n / 2,
          last_message_at: lastAt,
          ended_at: active ? null : new Date(startMs + n * 60_000 + 300_000).toISOString(),
          created_at: created,
          updated_at: lastAt,
        });
        if (rand() < 0.1) tagRows.push({ account_id: acct.accountId, conversation_id: id, tag: pick(['billing', 'vip', 'bug', 'shipping']), created_at: created });
        if (acct === main) {
          out.conversationIds.push(id);
          if (active && convRows.at(-1)!.mode === 'ai') out.activeConversationIds.push(id);
        }
      }
      await insertBatches(database, 'conversations', convRows, BATCH);
      await insertBatches(database, 'messages', msgRows, BATCH);
      if (tagRows.length) await insertBatches(database, 'conversation_tags', tagRows, BATCH);
      out.counts.conversations += convRows.length;
      out.counts.messages += msgRows.length;
      if ((c0 / CHUNK) % 10 === 0 || c0 + CHUNK >= convCount) {
        log(`seed: account ${accounts.indexOf(acct) + 1}/5, ${Math.min(convCount, c0 + CHUNK)}/${convCount} conversations, ${out.counts.messages} messages so far (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
  }
  // PostgreSQL's autovacuum would analyze these tables soon after such a load; Parley itself never
  // runs ANALYZE on SQLite, so the SQLite plans are the ones a real deployment gets.
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
  else await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
  // Keep a bounded sample: the load generator rotates through these.
  out.conversationIds = sample(out.conversationIds, 5000);
  out.activeConversationIds = sample(out.activeConversationIds, 5000);
  // Searches an operator types: a topic word, a contact's name, part of an email, a rare word.
  out.searchQueries = ['refund', 'tracking number', 'Garcia', 'okafor', 'customer0.example', 'warranty jacket', 'xylophone'];
  out.seconds = (Date.now() - started) / 1000;
  return out;
}

/** An email-safe form of a name: Müller → muller. */
function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function sample<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step)]);
}
