import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { badRequest } from '../../shared/errors/errors.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { ConversationIdParams } from '../conversations/conversations.schemas.js';
import { transcriptText } from './messages.assist.js';
import { presentMessage } from './messages.presenters.js';
import { streamExchange } from './messages.stream.js';
import {
  ConversationMessagesParams,
  CreateMessageBody,
  ExchangeResponse,
  FeedbackBody,
  ListMessagesQuery,
  MessageParams,
  MessageSchema,
  SuggestionSchema,
  TranscriptQuery,
  TranscriptSchema,
} from './messages.schemas.js';

export function registerMessagesRoutes(app: App, { messages, messageAssist, replies }: Services): void {
  const tags = ['Messages'];

  app.get(
    '/conversations/:conversation_id/messages',
    {
      schema: {
        tags,
        summary: 'List the messages of a conversation, oldest first (notes only for members)',
        params: ConversationMessagesParams,
        querystring: ListMessagesQuery,
        response: { 200: collectionOf(MessageSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = await messages.list(request.principal, request.params.conversation_id, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/conversations/:conversation_id/messages/:message_id',
    {
      schema: {
        tags,
        summary: 'Retrieve one message (e.g. to follow a reply’s status)',
        params: MessageParams,
        response: { 200: dataOf(MessageSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({
      data: await messages.get(request.principal, request.params.conversation_id, request.params.message_id),
    }),
  );

  app.post(
    '/conversations/:conversation_id/messages',
    {
      schema: {
        tags,
        summary: "Send a message; a user message gets the agent's reply (JSON, or Server-Sent Events with stream: true)",
        description:
          'With `stream: true` the response is `text/event-stream` with the events `message.created`, `stream.start`, `stream.delta`… and `stream.end` (or `error` if generation fails). In `manual` mode a user message gets no AI reply (`assistant_message: null`; a stream sends `message.created` and closes). An operator who switches the conversation to `manual` while a reply is being written stops it: the reply is not stored (`assistant_message: null`; a stream ends with an `error` event, code `CONFLICT`; an async reply ends `failed` with that reason). `role: "operator"` or `"note"` posts a human reply or an internal note and returns `{data: message}`. `Idempotency-Key` does not apply to `stream: true`: a streamed reply is not kept for replay, so a retry runs again once the stream has ended.',
        params: ConversationMessagesParams,
        body: CreateMessageBody,
        response: {
          201: Type.Union([ExchangeResponse, dataOf(MessageSchema)]),
          202: ExchangeResponse,
          ...errorResponses(400, 401, 404, 422, 500),
        },
      },
    },
    async (request, reply) => {
      const { principal } = request;
      const { conversation_id: conversationId } = request.params;
      const { stream, ...input } = request.body;
      if (!stream) {
        const result = await messages.send(principal, conversationId, input);
        if (input.async && 'assistant_message' in result && result.assistant_message?.status === 'pending') {
          // Start on it now; the background worker (and any other process) picks up what this misses.
          replies.processPending().catch((err: unknown) => request.log.error({ err }, 'async reply failed'));
          return reply.code(202).send({ data: result });
        }
        return reply.code(201).send('message' in result ? { data: result.message } : { data: result });
      }
      if (input.async) throw badRequest('stream and async cannot be combined', { async: ['cannot be used with stream'] });
      if ((input.role ?? 'user') !== 'user') {
        throw badRequest('stream applies to user messages only', { stream: ['is only for role "user"'] });
      }
      return streamExchange(request, reply, messages, principal, conversationId, input, presentMessage);
    },
  );

  app.post(
    '/conversations/:conversation_id/messages/:message_id/feedback',
    {
      schema: {
        tags,
        summary: 'Rate an assistant or operator message (like, dislike, or null to clear)',
        params: MessageParams,
        body: FeedbackBody,
        response: { 200: dataOf(MessageSchema), ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => ({
      data: await messages.feedback(request.principal, request.params.conversation_id, request.params.message_id, request.body),
    }),
  );

  app.get(
    '/conversations/:id/suggestion',
    {
      schema: {
        tags,
        summary: "The agent's suggested reply to the contact's last message (nothing is posted)",
        params: ConversationIdParams,
        response: { 200: dataOf(SuggestionSchema), ...errorResponses(400, 401, 404, 422, 500) },
      },
    },
    async (request) => ({ data: await messageAssist.suggestion(request.principal, request.params.id) }),
  );

  app.get(
    '/conversations/:id/transcript',
    {
      schema: {
        tags,
        summary: 'The transcript the contact saw (format=text for a plain-text download)',
        params: ConversationIdParams,
        querystring: TranscriptQuery,
        response: { 200: dataOf(TranscriptSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const transcript = await messageAssist.transcript(request.principal, request.params.id);
      if (request.query.format === 'text') {
        return reply
          .type('text/plain; charset=utf-8')
          .header('content-disposition', `attachment; filename="conversation-${transcript.conversation_id}.txt"`)
          .serializer((payload: string) => payload)
          .send(transcriptText(transcript) as never);
      }
      return { data: transcript };
    },
  );
}
