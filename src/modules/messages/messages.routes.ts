import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, errorResponses } from '../../shared/http/envelope.js';
import { openSse } from '../../shared/http/sse.js';
import { isAppError } from '../../shared/errors/errors.js';
import { presentMessage } from './messages.presenters.js';
import {
  ConversationMessagesParams,
  CreateMessageBody,
  CreateMessageResponse,
  ListMessagesQuery,
  MessageSchema,
} from './messages.schemas.js';

export function registerMessagesRoutes(app: App, { messages }: Services): void {
  const tags = ['Messages'];

  app.get(
    '/conversations/:conversation_id/messages',
    {
      schema: {
        tags,
        summary: 'List the messages of a conversation, oldest first',
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

  app.post(
    '/conversations/:conversation_id/messages',
    {
      schema: {
        tags,
        summary: "Send a user message and get the agent's reply (JSON, or Server-Sent Events with stream: true)",
        description:
          'With `stream: true` the response is `text/event-stream` with the events `message.created`, `stream.start`, `stream.delta`… and `stream.end` (or `error` if generation fails).',
        params: ConversationMessagesParams,
        body: CreateMessageBody,
        response: { 201: CreateMessageResponse, ...errorResponses(400, 401, 404, 422, 500) },
      },
    },
    async (request, reply) => {
      const { principal } = request;
      const { conversation_id: conversationId } = request.params;
      const { content, stream } = request.body;
      if (!stream) {
        const data = await messages.send(principal, conversationId, content);
        return reply.code(201).send({ data });
      }
      // Refusals (404, 422, blank content) are still plain JSON errors: nothing is streamed yet.
      const posted = await messages.postUserMessage(principal, conversationId, content);
      const sse = openSse(reply);
      sse.send('message.created', presentMessage(posted.userMessage));
      try {
        const final = await messages.generateReply(posted, {
          onStart: (m) => sse.send('stream.start', { message_id: m.id, role: 'assistant' }),
          onDelta: (delta) => sse.send('stream.delta', { delta }),
        });
        sse.send('stream.end', { message_id: final.id, content: final.content, created_at: final.created_at });
      } catch (err) {
        request.log.error({ err, reqId: request.id }, 'streamed reply failed');
        const code = isAppError(err) ? err.code : 'INTERNAL_ERROR';
        const message = isAppError(err) ? err.message : 'AI response generation failed';
        const details = isAppError(err) ? err.details : {};
        sse.send('error', { code, message, details });
      } finally {
        sse.end();
      }
      return reply;
    },
  );
}
