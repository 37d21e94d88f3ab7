import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { dataOf, errorResponses } from '../../shared/http/envelope.js';
import { AnalyticsQuery, AnalyticsSchema } from './analytics.schemas.js';

/** Seed 001's `/analytics?days=30`, in the workspace's time zone; any member or API key of the account. */
export function registerAnalyticsRoutes(app: App, { analytics }: Services): void {
  app.get(
    '/analytics',
    {
      schema: {
        tags: ['Analytics'],
        summary: 'Conversation, message, handoff, response-time and feedback figures per local day',
        description:
          "Counts the last `days` calendar days in the workspace's time zone, today included. Each day lists the same figures as `totals`; days without activity are present with zeros. With `group_by=member`, `members` and `teams` add each operator's and each team's conversations handled, median first response, median resolution time and CSAT over the same days; any member may read them, as the rest of the figures.",
        querystring: AnalyticsQuery,
        response: { 200: dataOf(AnalyticsSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await analytics.overview(request.principal, request.query) }),
  );
}
