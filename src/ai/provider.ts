/**
 * The seam between conversations and whatever writes the agent's replies. A provider turns
 * (agent instructions, retrieved knowledge, history, the new message) into a stream of text.
 */

export interface HistoryMessage {
  role: 'user' | 'assistant' | 'operator';
  content: string;
}

export interface ReplyRequest {
  accountId: string;
  agent: {
    id: string;
    name: string;
    instructions: string;
    /** Questions in a row it could not answer before it hands over (0: never); default 2. */
    handoff_after_declines?: number;
  };
  /** Earlier messages of the conversation, oldest first, without the message being answered. */
  history: HistoryMessage[];
  /** The user's message to answer. */
  message: string;
  /** What the business said about this message (an order, a page), for the reply only. */
  context?: string | null;
  signal?: AbortSignal;
}

/** Where an answer came from; kept apart from the reply's text. */
export interface Source {
  document_id: string;
  title: string;
  url: string | null;
}

export interface ReplyStream {
  /** The documents the reply draws on (retrieval happens before the first token). */
  sources: Source[];
  /** The reply's text in chunks; throws if generation fails part-way. */
  text: AsyncIterable<string>;
  /**
   * Read once the text is done: the conversation should go to a person (the customer asked for
   * one, or the agent cannot help), and why; null or absent otherwise.
   */
  handoff?: () => { reason: string } | null;
}

/** A short text about a conversation that a model writes for the team (an LLM only). */
export interface WriteRequest {
  /** title: a few words; summary: the record at the end; handoff: the note for the colleague taking over. */
  task: 'title' | 'summary' | 'handoff';
  /** The conversation so far, oldest first. */
  transcript: HistoryMessage[];
  /** handoff: why a person is needed. */
  reason?: string | null;
  signal?: AbortSignal;
}

export interface AiProvider {
  readonly name: string;
  reply(request: ReplyRequest): Promise<ReplyStream>;
  /** Absent for the built-in responder: the callers then write an extractive text themselves. */
  write?(request: WriteRequest): Promise<string>;
}

/** A passage of an agent's knowledge that matched a query. */
export interface Passage {
  document_id: string;
  chunk_id: number;
  title: string;
  url: string | null;
  content: string;
  /** Higher is better; comparable only within one search. */
  score: number;
}

/** Finds an agent's knowledge passages for a query (full-text, both dialects). */
export interface KnowledgeRetriever {
  search(accountId: string, agentId: string, query: string, limit: number): Promise<Passage[]>;
}

/** Collects a reply stream into its full text. */
export async function collectText(stream: ReplyStream): Promise<string> {
  let text = '';
  for await (const chunk of stream.text) text += chunk;
  return text;
}
