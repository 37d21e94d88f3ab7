import { generateText, jsonSchema, streamText, tool, type LanguageModel, type ModelMessage, type TextStreamPart, type ToolSet } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LlmConfig } from '../shared/config/config.js';
import type { AiProvider, HistoryMessage, KnowledgeRetriever, Passage, ReplyRequest, Source, WriteRequest } from './provider.js';
import { stripSourceMarkers } from './source-markers.js';

export interface LlmProviderOptions {
  /** Retries of a request that failed before streaming (5xx, 429, network). Default 1. */
  maxRetries?: number;
  /** Longest wait for the provider's next output, the first included. Default 60 s. */
  timeoutMs?: number;
}

/** The provider failed or broke off; the message is the provider's own words. */
export class LlmError extends Error {
  override name = 'LlmError';
}

/** The provider went silent for longer than the configured timeout. */
export class LlmTimeoutError extends LlmError {
  override name = 'LlmTimeoutError';
}

export const PASSAGE_LIMIT = 5;

/** The tool the model calls to bring in a person; Parley hands the conversation over after the reply. */
export const HANDOFF_TOOL = 'handoff_to_human';
const tools = {
  [HANDOFF_TOOL]: tool({
    description:
      'Hand this conversation to a human member of the support team. Call it when the customer asks to talk to a person, ' +
      'or when you cannot help with their request from the knowledge you have. Tell the customer in one short sentence that a colleague will take over.',
    inputSchema: jsonSchema<{ reason: string }>({
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why a person is needed, in a few words, for the team' } },
      required: ['reason'],
      additionalProperties: false,
    }),
  }),
};

/**
 * An AI provider backed by a real LLM through the Vercel AI SDK. `reply()` resolves once the
 * first text arrives, so a provider that fails outright rejects `reply()`; a failure after that
 * makes iterating `text` throw. Callers must consume or `return()` the text (or abort the
 * request's signal), since the connection stays open until they do.
 */
export function createLlmProvider(
  config: Exclude<LlmConfig, null>,
  retriever: KnowledgeRetriever,
  options: LlmProviderOptions = {},
): AiProvider {
  const { model, maxOutputTokens } = createModel(config);
  const maxRetries = options.maxRetries ?? 1;
  const timeoutMs = options.timeoutMs ?? 60_000;

  return {
    name: `${config.kind}:${config.model}`,
    async reply(request) {
      request.signal?.throwIfAborted();
      const passages = await retriever.search(request.accountId, request.agent.id, request.message, PASSAGE_LIMIT);
      const call = startCall(request.signal, timeoutMs);
      let parts: AsyncIterable<TextStreamPart<ToolSet>>;
      let requested: { reason: string } | null = null;
      try {
        parts = streamText({
          model,
          system: buildSystemPrompt(request.agent, passages, request.context),
          messages: buildMessages(request.history, request.message),
          tools,
          maxOutputTokens,
          maxRetries,
          abortSignal: call.signal,
          // Errors are rethrown from the text iterator; the SDK's default would also log them.
          onError: () => {},
        }).fullStream;
      } catch (err) {
        call.finish(true);
        throw failure(err, call);
      }
      // From here on textOf() owns the call and finishes it however the stream ends.
      const text = stripSourceMarkers(
        textOf(parts, call, (reason) => {
          requested = { reason };
        }),
      )[Symbol.asyncIterator]();
      const first = await text.next();
      return { sources: sourcesOf(passages), text: resume(first, text), handoff: () => requested };
    },

    async write(request: WriteRequest): Promise<string> {
      const transcript = request.transcript
        .filter((m) => m.content.trim() !== '')
        .map((m) => `${m.role === 'user' ? 'Customer' : m.role === 'assistant' ? 'AI agent' : 'Colleague'}: ${m.content.trim()}`)
        .join('\n\n')
        .slice(-12_000);
      const { text } = await generateText({
        model,
        system: WRITE_PROMPTS[request.task] + (request.reason ? `\nWhy a person is needed: ${request.reason}` : ''),
        prompt: transcript || '(no messages yet)',
        maxOutputTokens: request.task === 'title' ? 30 : 400,
        maxRetries,
        abortSignal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])]),
      });
      const written = text.trim();
      if (written === '') throw new LlmError('the LLM wrote nothing');
      return request.task === 'title' ? written.replace(/^["“'«]+|["”'»]+$/g, '').replace(/\s+/g, ' ').slice(0, 80) : written.slice(0, 4000);
    },
  };
}

const WRITE_PROMPTS: Record<WriteRequest['task'], string> = {
  title: 'Write a title of at most six words for this customer support conversation, in its language. Answer with the title only, no quotes.',
  summary:
    "Summarise this customer support conversation for the team's records in two or three sentences: what the customer wanted, what was answered, and anything left open.",
  handoff:
    'This conversation is being handed to a human colleague. Write a short note for them, at most five bullet points: what the customer wants, what was already answered, and what is still open.',
};

function createModel(config: Exclude<LlmConfig, null>): { model: LanguageModel; maxOutputTokens?: number } {
  if (config.kind === 'anthropic') {
    const anthropic = createAnthropic({ apiKey: config.apiKey, baseURL: config.baseUrl ?? undefined });
    // Anthropic requires max_tokens; the SDK's fallback for models it does not know (128k) is
    // more than many models accept, and a support reply never needs that much.
    return { model: anthropic(config.model), maxOutputTokens: 4096 };
  }
  // Local servers (Ollama, vLLM) usually take no key; an empty one would send `Bearer `.
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: config.baseUrl,
    apiKey: config.apiKey || undefined,
  });
  return { model: provider.chatModel(config.model) };
}

/** The agent's instructions, then the knowledge to answer from, then how to use it. */
export function buildSystemPrompt(agent: ReplyRequest['agent'], passages: Passage[], context?: string | null): string {
  const parts = [
    `You are ${agent.name}, an assistant answering a business's customers.`,
    agent.instructions.trim(),
    'Earlier assistant turns may have been written by a human colleague; stay consistent with them.',
  ];
  if (passages.length === 0) {
    parts.push(
      'No passage of the knowledge base matches this message. If it asks about the business, its ' +
        'products or policies, say plainly that you do not have that information instead of guessing.',
    );
  } else {
    parts.push(
      'Answer only from the knowledge passages below. If they do not cover the question, say so ' +
        'plainly instead of guessing. Do not mention the passages, their numbers or any citation ' +
        'markers: the customer is shown the sources separately.',
      passages.map((p, i) => `Passage ${i + 1}: ${p.title}\n${p.content.trim()}`).join('\n\n'),
    );
  }
  if (context?.trim()) {
    parts.push(`What the business tells you about this message (use it, do not quote it):\n${context.trim()}`);
  }
  return parts.filter((part) => part !== '').join('\n\n');
}

/** History then the new message; an operator's reply reads to the model as its own earlier turn. */
export function buildMessages(history: HistoryMessage[], message: string): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const m of history) {
    // Failed replies are stored empty, and some providers reject empty turns.
    if (m.content.trim() === '') continue;
    messages.push(m.role === 'user' ? { role: 'user', content: m.content } : { role: 'assistant', content: m.content });
  }
  messages.push({ role: 'user', content: message });
  return messages;
}

/** The distinct documents of the passages, best first. */
function sourcesOf(passages: Passage[]): Source[] {
  const seen = new Map<string, Source>();
  for (const p of passages) {
    if (!seen.has(p.document_id)) seen.set(p.document_id, { document_id: p.document_id, title: p.title, url: p.url });
  }
  return [...seen.values()];
}

interface Call {
  signal: AbortSignal;
  /** Starts (or restarts) the wait for the provider's next output. */
  arm(): void;
  /** Stops the clock while the caller, not the provider, is the slow one. */
  disarm(): void;
  /** Why the call was aborted: the caller's reason or a timeout. */
  reason(): unknown;
  /** Stops the clock and forgets the caller's signal; an abandoned call also aborts its HTTP request. */
  finish(abandoned: boolean): void;
}

function startCall(callerSignal: AbortSignal | undefined, timeoutMs: number): Call {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const call: Call = {
    signal: controller.signal,
    arm() {
      clearTimeout(timer);
      timer = setTimeout(
        () => controller.abort(new LlmTimeoutError(`the LLM provider sent nothing for ${timeoutMs} ms`)),
        timeoutMs,
      );
      // The HTTP request keeps the process alive while it matters; the timer alone should not.
      timer.unref();
    },
    disarm() {
      clearTimeout(timer);
    },
    reason() {
      return controller.signal.reason;
    },
    finish(abandoned) {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      if (abandoned && !controller.signal.aborted) controller.abort(new LlmError('the reply was abandoned'));
    },
  };
  call.arm();
  return call;
}

/** The text of the SDK's full stream, turning its error and abort parts into exceptions. */
async function* textOf(
  parts: AsyncIterable<TextStreamPart<ToolSet>>,
  call: Call,
  onHandoff: (reason: string) => void,
): AsyncGenerator<string, void, undefined> {
  let finished = false;
  try {
    for await (const part of parts) {
      if (part.type === 'text-delta') {
        if (!part.text) continue;
        call.disarm();
        yield part.text;
        call.arm();
      } else if (part.type === 'tool-call' && part.toolName === HANDOFF_TOOL) {
        const reason = (part.input as { reason?: unknown } | undefined)?.reason;
        onHandoff(typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 500) : 'The AI asked for a person');
      } else if (part.type === 'error') {
        throw failure(part.error, call);
      } else if (part.type === 'abort') {
        throw call.reason() ?? new LlmError('the LLM request was aborted');
      }
    }
    finished = true;
  } catch (err) {
    throw failure(err, call);
  } finally {
    // A caller that stops reading early must not leave the provider's connection open.
    call.finish(!finished);
  }
}

function failure(err: unknown, call: Call): unknown {
  if (call.signal.aborted) return call.reason();
  if (err instanceof LlmError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LlmError(`LLM request failed: ${message}`, { cause: err });
}

/**
 * Replays the first result already read, then the rest. A plain iterator rather than a generator,
 * so that `return()` closes the stream even when the caller never started reading.
 */
function resume(first: IteratorResult<string, void>, rest: AsyncIterator<string, void, undefined>): AsyncIterable<string> {
  let pending: IteratorResult<string, void> | null = first;
  const iterator: AsyncIterator<string, void, undefined> = {
    async next() {
      if (!pending) return rest.next();
      const result = pending;
      pending = null;
      return result;
    },
    async return() {
      pending = null;
      await rest.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
