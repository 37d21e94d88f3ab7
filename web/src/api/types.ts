import type { paths } from './schema';

/** The `data` of a path's JSON answer, for the given method and status. */
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type DataOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: infer Rs;
}
  ? S extends keyof Rs
    ? JsonOf<Rs[S]> extends { data: infer D }
      ? D
      : never
    : never
  : never;
type ItemOf<T> = T extends Array<infer I> ? I : never;

export type Member = DataOf<'/api/v1/me', 'get'>;
export type Conversation = DataOf<'/api/v1/conversations/{id}', 'get'>;
export type ConversationListItem = ItemOf<DataOf<'/api/v1/conversations', 'get'>>;
export type Message = ItemOf<DataOf<'/api/v1/conversations/{conversation_id}/messages', 'get'>>;
export type Contact = DataOf<'/api/v1/contacts/{id}', 'get'>;
export type Agent = DataOf<'/api/v1/agents/{id}', 'get'>;
export type ApiKey = ItemOf<DataOf<'/api/v1/agents/{id}/keys', 'get'>>;
export type KnowledgeDocument = ItemOf<DataOf<'/api/v1/agents/{id}/documents', 'get'>>;
export type Channel = DataOf<'/api/v1/channels/{id}', 'get'>;
export type ConversationState = DataOf<'/api/v1/conversation_states/{id}', 'get'>;
export type Workspace = DataOf<'/api/v1/settings/workspace', 'get'>;
export type Automation = DataOf<'/api/v1/automations/{id}', 'get'>;
export type Team = DataOf<'/api/v1/teams/{id}', 'get'>;
export type DirectoryEntry = ItemOf<DataOf<'/api/v1/members/directory', 'get'>>;
export type SavedView = ItemOf<DataOf<'/api/v1/views', 'get'>>;
export type ConversationCounts = DataOf<'/api/v1/conversations/counts', 'get'>;
export type BulkResult = ItemOf<DataOf<'/api/v1/conversations/bulk', 'post'>['results']>;
export type Availability = Member['availability'];

export type ConversationFilters = NonNullable<paths['/api/v1/conversations']['get']['parameters']['query']>;
export type CreateAutomationBody = NonNullable<paths['/api/v1/automations']['post']['requestBody']>['content']['application/json'];
export type ChannelType = Channel['type'];
export type Priority = Conversation['priority'];
