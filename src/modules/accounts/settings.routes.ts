import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { dataOf, errorResponses } from '../../shared/http/envelope.js';
import { UpdateWorkspaceSettingsBody, WorkspaceSettingsSchema } from './settings.schemas.js';

export function registerSettingsRoutes(app: App, { settings }: Services): void {
  const tags = ['Settings'];

  app.get(
    '/settings/workspace',
    {
      schema: {
        tags,
        summary: 'Retrieve the workspace settings',
        response: { 200: dataOf(WorkspaceSettingsSchema), ...errorResponses(401) },
      },
    },
    async (request) => ({ data: await settings.get(request.principal) }),
  );

  app.post(
    '/settings/workspace',
    {
      schema: {
        tags,
        summary: 'Update the workspace settings (admin members only)',
        body: UpdateWorkspaceSettingsBody,
        response: { 200: dataOf(WorkspaceSettingsSchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => ({ data: await settings.update(request.principal, request.body ?? {}, request.ip) }),
  );
}
