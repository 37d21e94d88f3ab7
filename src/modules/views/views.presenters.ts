import type { Static } from '@sinclair/typebox';
import { parseJsonObject } from '../../shared/json/json.js';
import type { SavedViewRow } from './views.repository.js';
import type { ViewFiltersSchema } from './views.schemas.js';

export type ViewFilters = Static<typeof ViewFiltersSchema>;

/** A saved view; `owner_id` is the member who saved it. */
export function presentView(row: SavedViewRow) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    filters: parseJsonObject(row.filters) as ViewFilters,
    owner_id: row.member_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type ViewView = ReturnType<typeof presentView>;
