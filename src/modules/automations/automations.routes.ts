import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import {
  AutomationIdParams,
  AutomationRunSchema,
  AutomationSchema,
  CreateAutomationBody,
  ListAutomationsQuery,
  ListRunsQuery,
  UpdateAutomationBody,
} from './automations.schemas.js';

export function registerAutomationsRoutes(app: App, { automations }: Services): void {
  const tags = ['Automations'];

  app.get(
    '/automations',
    {
      schema: {
        tags,
        summary: 'List automations, oldest first (admins and API keys)',
        querystring: ListAutomationsQuery,
        response: { 200: collectionOf(AutomationSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await automations.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/automations/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve an automation (admins and API keys)',
        params: AutomationIdParams,
        response: { 200: dataOf(AutomationSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await automations.get(request.principal, request.params.id) }),
  );

  app.post(
    '/automations',
    {
      schema: {
        tags,
        summary: 'Create an automation: event → conditions (all must hold) → actions (admins and API keys)',
        description:
          "Rules run shortly after the event commits, from the event log. Changes made by automations do not trigger automations. The inbox's events `conversation.handoff`, `conversation.snoozed`, `conversation.unsnoozed` and `conversation.reopened` can trigger rules like the others, with the conversation's fields. `assign_team` hands the conversation to a team (its value is the team's id), as `POST /conversations/{id}/assign {team_id}` does: with nobody assigned and in manual mode it waits in that team's queue, and a team that assigns by itself serves it at once; `conversation.team_id` lets a condition read the team. A field, operator or value that does not fit is a 400 naming `conditions.<i>.<field>` or `actions.<i>.<field>`; a member, team, state or webhook endpoint not of this account is a 422.",
        body: CreateAutomationBody,
        response: { 201: dataOf(AutomationSchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await automations.create(request.principal, request.body) }),
  );

  app.patch(
    '/automations/:id',
    {
      schema: {
        tags,
        summary: 'Update an automation (admins and API keys; conditions and actions are replaced whole)',
        params: AutomationIdParams,
        body: UpdateAutomationBody,
        response: { 200: dataOf(AutomationSchema), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ data: await automations.update(request.principal, request.params.id, request.body ?? {}) }),
  );

  app.delete(
    '/automations/:id',
    {
      schema: {
        tags,
        summary: 'Delete an automation and its runs (admins and API keys)',
        params: AutomationIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await automations.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/automations/:id/toggle',
    {
      schema: {
        tags,
        summary: 'Switch an automation between active and inactive (admins and API keys)',
        params: AutomationIdParams,
        response: { 200: dataOf(AutomationSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await automations.toggle(request.principal, request.params.id) }),
  );

  app.get(
    '/automations/:id/runs',
    {
      schema: {
        tags,
        summary: "An automation's runs, newest first: each event it was evaluated on, whether it matched, what its actions did",
        params: AutomationIdParams,
        querystring: ListRunsQuery,
        response: { 200: collectionOf(AutomationRunSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const page = await automations.listRuns(request.principal, request.params.id, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );
}
