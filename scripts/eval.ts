/**
 * Evaluates the built-in responder on a help centre it was not written for (scripts/eval/):
 * answer accuracy on customer questions, decline rate on questions the help centre cannot answer,
 * and latency. Runs on a temporary SQLite database, and on PostgreSQL too when TEST_DATABASE_URL
 * is set.
 *
 *   npm run eval            # human-readable report; exits 1 below the bar
 *   npm run eval -- --json  # the figures as JSON
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectText } from '../src/ai/provider.js';
import { createBuiltinResponder, DECLINE_TEXT } from '../src/ai/builtin/responder.js';
import { createKnowledgeRetriever } from '../src/modules/knowledge/knowledge.search.js';
import { createServices } from '../src/services.js';
import type { Database, DialectName } from '../src/shared/db/database.js';
import { openTestDatabase } from '../test/helpers.js';
import { FRESH_ARTICLES, FRESH_OFF_TOPIC, FRESH_QUESTIONS } from './eval/fresh.js';
import { SECOND_FRESH_ARTICLES, SECOND_FRESH_OFF_TOPIC, SECOND_FRESH_QUESTIONS } from './eval/second-fresh.js';
import { ARTICLES, HELD_OUT_OFF_TOPIC, HELD_OUT_QUESTIONS, OFF_TOPIC, QUESTIONS, type EvalArticle, type EvalQuestion } from './eval/helpcentre.js';

/** The bar both figures must clear for `npm run eval` to pass (the target). */
export const REQUIRED_SHARE = 0.9;
/**
 * What the test suite holds the responder to: the target itself, reached on the evaluation set
 * (90.2% accuracy, 100% decline), so a change that loses a question fails CI.
 */
export const REGRESSION_FLOOR = { accuracy: REQUIRED_SHARE, declineRate: REQUIRED_SHARE };

export interface EvalFailure {
  question: string;
  problem: string;
  reply: string;
}

/** The figures of one question set. */
export interface SetScore {
  questions: number;
  /** Share of questions whose answer contains the expected fact. */
  accuracy: number;
  /** Share of answers that cite the expected article first. */
  sourceAccuracy: number;
  offTopic: number;
  /** Share of off-topic questions declined. */
  declineRate: number;
  failures: EvalFailure[];
}

export interface EvalReport extends SetScore {
  dialect: DialectName;
  medianMs: number;
  p95Ms: number;
  /** The set written after tuning (see HELD_OUT_QUESTIONS); reported, not gated. */
  heldOut: SetScore;
  /** Another business's help centre, written last and never tuned on (see eval/fresh.ts); reported, not gated. */
  fresh: SetScore;
  /** A fourth help centre, written before it was ever run and never tuned on (see eval/second-fresh.ts). */
  secondFresh: SetScore;
}

type Ask = (message: string) => Promise<{ text: string; sources: Array<{ document_id: string }> }>;

async function scoreSet(ask: Ask, docIds: Map<string, string>, questions: EvalQuestion[], offTopic: string[]): Promise<SetScore> {
  const failures: EvalFailure[] = [];
  let correct = 0;
  let rightSource = 0;
  for (const q of questions) {
    const { text, sources } = await ask(q.question);
    if (sources[0]?.document_id === docIds.get(q.article)) rightSource++;
    if (text.toLowerCase().includes(q.expect.toLowerCase())) correct++;
    else failures.push({ question: q.question, problem: `expected "${q.expect}" (${q.article})`, reply: text });
  }
  let declined = 0;
  for (const question of offTopic) {
    const { text, sources } = await ask(question);
    if (text === DECLINE_TEXT && sources.length === 0) declined++;
    else failures.push({ question, problem: 'expected a decline', reply: text });
  }
  return {
    questions: questions.length,
    accuracy: correct / questions.length,
    sourceAccuracy: rightSource / questions.length,
    offTopic: offTopic.length,
    declineRate: declined / offTopic.length,
    failures,
  };
}

/** A workspace of `database` holding `articles`, and a way to ask its agent questions (timed). */
async function helpCentre(database: Database, name: string, articles: EvalArticle[], timings: number[]) {
  const services = createServices({ database, config: { llm: null } });
  const email = `eval-${name.toLowerCase().replace(/\W+/g, '-')}@example.com`;
  const ws = await services.workspaces.create({ name, adminEmail: email, adminPassword: 'eval-password-123' });
  const docIds = new Map<string, string>();
  for (const a of articles) {
    const doc = await services.knowledge.createDocument(ws.account_id, ws.agent_id, { title: a.title, body: a.body, url: a.url });
    docIds.set(a.key, doc.id);
  }
  const responder = createBuiltinResponder({ retriever: createKnowledgeRetriever({ database }) });
  const agent = { id: ws.agent_id, name, instructions: '' };
  const ask: Ask = async (message) => {
    const started = performance.now();
    const stream = await responder.reply({ accountId: ws.account_id, agent, history: [], message });
    const text = await collectText(stream);
    timings.push(performance.now() - started);
    return { text, sources: stream.sources };
  };
  return { ask, docIds };
}

/** Loads the help centres into fresh workspaces of `database` and asks every question. */
export async function runEvaluation(database: Database): Promise<EvalReport> {
  const timings: number[] = [];
  const crate = await helpCentre(database, 'Crate & Ladle', ARTICLES, timings);
  const main = await scoreSet(crate.ask, crate.docIds, QUESTIONS, OFF_TOPIC);
  const heldOut = await scoreSet(crate.ask, crate.docIds, HELD_OUT_QUESTIONS, HELD_OUT_OFF_TOPIC);
  const pedal = await helpCentre(database, 'Pedal & Go', FRESH_ARTICLES, timings);
  const fresh = await scoreSet(pedal.ask, pedal.docIds, FRESH_QUESTIONS, FRESH_OFF_TOPIC);
  const gym = await helpCentre(database, 'Ferngrove Gyms', SECOND_FRESH_ARTICLES, timings);
  const secondFresh = await scoreSet(gym.ask, gym.docIds, SECOND_FRESH_QUESTIONS, SECOND_FRESH_OFF_TOPIC);
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { dialect: database.dialect, ...main, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), heldOut, fresh, secondFresh };
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function evaluateDialect(dialect: DialectName): Promise<EvalReport> {
  const { database, cleanup: dispose } = await openTestDatabase(dialect);
  try {
    return await runEvaluation(database);
  } finally {
    await dispose();
  }
}

export function passes(report: EvalReport): boolean {
  return report.accuracy >= REQUIRED_SHARE && report.declineRate >= REQUIRED_SHARE;
}

function printSet(label: string, r: SetScore): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`-- ${label}`);
  for (const f of r.failures) console.log(`FAIL  ${f.question}\n      ${f.problem}\n      got: ${f.reply.replace(/\s+/g, ' ').slice(0, 240)}`);
  console.log(`answer accuracy   ${pct(r.accuracy)} (${Math.round(r.accuracy * r.questions)}/${r.questions})`);
  console.log(`right article     ${pct(r.sourceAccuracy)}`);
  console.log(`off-topic decline ${pct(r.declineRate)} (${Math.round(r.declineRate * r.offTopic)}/${r.offTopic})`);
}

function printReport(r: EvalReport): void {
  console.log(`\n== ${r.dialect} ==`);
  printSet('fresh help centre, Ferngrove Gyms (written before it was first run, never tuned on; reported, not gated)', r.secondFresh);
  printSet('fresh help centre, Pedal & Go (written last, never tuned on; reported, not gated)', r.fresh);
  printSet('second set (first run 70.0% / 100%; looked at since; reported, not gated)', r.heldOut);
  printSet('evaluation set', r);
  console.log(`latency           median ${r.medianMs} ms, p95 ${r.p95Ms} ms (all questions)`);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const dialects: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const reports: EvalReport[] = [];
  for (const d of dialects) reports.push(await evaluateDialect(d));
  if (json) console.log(JSON.stringify(reports, null, 2));
  else reports.forEach(printReport);
  const ok = reports.every(passes);
  if (!json) console.log(ok ? '\nPASS' : `\nFAIL: both figures must be at least ${REQUIRED_SHARE * 100}%`);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
