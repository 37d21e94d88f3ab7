import type { AiProvider, HistoryMessage, KnowledgeRetriever, Passage, ReplyRequest, ReplyStream, Source } from '../provider.js';
import { analyseQuery, searchWords, type QueryAnalysis } from './analysis.js';
import { CLARIFY_TEXT, DECLINE_TEXT, composeAnswer, selectSentences } from './compose.js';
import { rankPassages, type RankedPassage, type Ranking } from './ranking.js';
import { tokenize } from './text.js';
import { SMALL_TALK_REPLIES, detectSmallTalk, startsWithGreeting } from './smalltalk.js';

export { DECLINE_TEXT } from './compose.js';
import { asksForAPerson, declinesInARow, HANDOFF_ASKED_TEXT, HANDOFF_DECLINED_TEXT } from './handoff.js';

/**
 * Below this confidence the responder declines instead of answering. Confidence is 0–1 (see
 * rankPassages); 0.5 means, for instance, half the question's concepts found with little title
 * support. Set once on the evaluation set as a whole, never per question.
 */
export const CONFIDENCE_THRESHOLD = 0.5;
/** A second article is quoted when it ranks at least this share of the first and answers a part the first does not. */
const SECOND_ARTICLE_SHARE = 0.5;
/** Candidates fetched per search: enough for re-ranking, few enough to stay fast on large knowledge bases. */
const DIRECT_CANDIDATES = 30;
const EXPANDED_CANDIDATES = 60;
/** A message this short may be a follow-up to the previous question. */
const FOLLOW_UP_MAX_WORDS = 8;
/** Words per streamed chunk, about what an LLM emits per token group. */
const WORDS_PER_CHUNK = 4;

export type AnswerKind = 'answer' | 'decline' | 'small_talk' | 'clarify';

export interface BuiltinAnswer {
  kind: AnswerKind;
  text: string;
  sources: Source[];
  /** The best passage's confidence (0 when there was none). */
  confidence: number;
}

/** Answers one message from an agent's knowledge: what the responder would say, all at once. */
export async function answerMessage(
  retriever: KnowledgeRetriever,
  request: Pick<ReplyRequest, 'accountId' | 'agent' | 'message'> & { history?: HistoryMessage[] },
): Promise<BuiltinAnswer> {
  const smallTalk = detectSmallTalk(request.message);
  if (smallTalk) return { kind: 'small_talk', text: SMALL_TALK_REPLIES[smallTalk], sources: [], confidence: 0 };

  const search = (analysis: QueryAnalysis) => retrieveAndRank(retriever, request.accountId, request.agent.id, analysis);
  let analysis = analyseQuery(request.message);
  if (analysis.concepts.length === 0) return { kind: 'clarify', text: CLARIFY_TEXT, sources: [], confidence: 0 };
  let ranking = await search(analysis);
  let best = ranking.passages[0];

  if (!best || best.confidence < CONFIDENCE_THRESHOLD) {
    const followUp = await asFollowUp(analysis, request, search);
    if (!followUp) return { kind: 'decline', text: DECLINE_TEXT, sources: [], confidence: best?.confidence ?? 0 };
    ({ analysis, ranking } = followUp);
    best = ranking.passages[0];
  }

  const used = [best];
  const second = ranking.passages.find(
    (r) => r.passage.document_id !== best.passage.document_id && addsSomething(analysis, best, r),
  );
  if (second) used.push(second);
  const parts = used.map((r) => ({
    title: r.passage.title,
    sentences: selectSentences(analysis, ranking.conceptWeights, r.passage.content),
  }));
  return {
    kind: 'answer',
    text: composeAnswer(parts, startsWithGreeting(request.message)),
    sources: used.map((r) => ({ document_id: r.passage.document_id, title: r.passage.title, url: r.passage.url })),
    confidence: best.confidence,
  };
}

async function retrieveAndRank(
  retriever: KnowledgeRetriever,
  accountId: string,
  agentId: string,
  analysis: QueryAnalysis,
): Promise<Ranking> {
  const [direct, expanded] = await Promise.all([
    retriever.search(accountId, agentId, searchWords(analysis, false), DIRECT_CANDIDATES),
    retriever.search(accountId, agentId, searchWords(analysis, true), EXPANDED_CANDIDATES),
  ]);
  return rankPassages(analysis, mergeCandidates(direct, expanded));
}

/**
 * A short message that only makes sense after the previous question ("And to Canada?") is read
 * together with it. The pair is answered only when the passage also matches a topical word of the
 * new message, so an unrelated follow-up ("tell me a joke") is still declined.
 */
async function asFollowUp(
  current: QueryAnalysis,
  request: { message: string; history?: HistoryMessage[] },
  search: (analysis: QueryAnalysis) => Promise<Ranking>,
): Promise<{ analysis: QueryAnalysis; ranking: Ranking } | null> {
  const previous = [...(request.history ?? [])].reverse().find((m) => m.role === 'user');
  if (!previous || tokenize(request.message).length > FOLLOW_UP_MAX_WORDS) return null;
  const analysis = analyseQuery(`${previous.content}\n${request.message}`);
  const ranking = await search(analysis);
  const best = ranking.passages[0];
  if (!best || best.confidence < CONFIDENCE_THRESHOLD) return null;
  const ownTopics = new Set(current.concepts.filter((c) => c.weight === 1).map((c) => c.key));
  const answersNewPart = analysis.concepts.some((c, i) => ownTopics.has(c.key) && best.matches[i] > 0);
  return answersNewPart ? { analysis, ranking } : null;
}

/**
 * Whether a runner-up article is worth quoting too: relevant enough, and answering a topical part
 * of the question the best passage does not ("…refunds… and …express shipping?").
 */
function addsSomething(analysis: QueryAnalysis, best: RankedPassage, other: RankedPassage): boolean {
  if (other.rank < SECOND_ARTICLE_SHARE * best.rank || other.confidence < CONFIDENCE_THRESHOLD) return false;
  return other.matches.some((m, i) => m > 0 && best.matches[i] === 0 && analysis.concepts[i].weight === 1);
}

function mergeCandidates(...lists: Passage[][]): Passage[] {
  const byChunk = new Map<number, Passage>();
  for (const list of lists) for (const p of list) if (!byChunk.has(p.chunk_id)) byChunk.set(p.chunk_id, p);
  return [...byChunk.values()];
}

/** Streams text a few words at a time, yielding to the event loop between chunks as a network stream would. */
async function* streamText(text: string, signal?: AbortSignal): AsyncIterable<string> {
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  for (let i = 0; i < words.length; i += WORDS_PER_CHUNK) {
    signal?.throwIfAborted();
    yield words.slice(i, i + WORDS_PER_CHUNK).join('');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The built-in, offline provider: answers from the agent's knowledge documents by full-text
 * retrieval and re-ranking, quoting the sentences that hold the answer, and says plainly when the
 * knowledge does not cover the question. It ignores the agent's instructions (it cannot follow
 * them); the history only helps read a short follow-up question.
 */
export function createBuiltinResponder({ retriever }: { retriever: KnowledgeRetriever }): AiProvider {
  return {
    name: 'builtin',
    async reply(request: ReplyRequest): Promise<ReplyStream> {
      request.signal?.throwIfAborted();
      if (asksForAPerson(request.message)) {
        const reason = 'The customer asked for a person';
        return { sources: [], text: streamText(HANDOFF_ASKED_TEXT, request.signal), handoff: () => ({ reason }) };
      }
      const answer = await answerMessage(retriever, request);
      const limit = request.agent.handoff_after_declines ?? 2;
      if (answer.kind === 'decline' && limit > 0 && declinesInARow(request.history) + 1 >= limit) {
        const reason = limit === 1 ? 'The AI could not answer the question' : `The AI could not answer ${limit} questions in a row`;
        return { sources: [], text: streamText(HANDOFF_DECLINED_TEXT, request.signal), handoff: () => ({ reason }) };
      }
      return { sources: answer.sources, text: streamText(answer.text, request.signal) };
    },
  };
}
