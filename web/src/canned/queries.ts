import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';

export type CannedResponse = paths['/api/v1/canned_responses']['get']['responses'][200]['content']['application/json']['data'][number];
export type CannedScope = CannedResponse['scope'];
export interface CannedInput {
  shortcut: string;
  title: string;
  content: string;
}

const KEY = ['canned-responses'] as const;

/** Every canned response the member may use (the workspace's and their own), by shortcut. */
export function useCannedResponses() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => {
      const all: CannedResponse[] = [];
      let cursor: string | undefined;
      // A workspace keeps tens of these, rarely hundreds: read them all once, search in the browser.
      for (let page = 0; page < 10; page++) {
        const body = await unwrap(api.GET('/api/v1/canned_responses', { params: { query: { limit: 100, cursor } } }));
        all.push(...body.data);
        if (!body.pagination.has_more || !body.pagination.cursor) break;
        cursor = body.pagination.cursor;
      }
      return all;
    },
    staleTime: 60_000,
  });
}

export function useCannedMutations() {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: KEY });
  return {
    create: useMutation({
      mutationFn: (input: CannedInput & { scope: CannedScope }) => unwrap(api.POST('/api/v1/canned_responses', { body: input })),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: CannedInput & { id: string }) => unwrap(api.PATCH('/api/v1/canned_responses/{id}', { params: { path: { id } }, body })),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/canned_responses/{id}', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
  };
}

/** The responses matching what was typed after `/`: shortcuts starting with it first, then any mention. */
export function searchCanned(all: CannedResponse[], query: string): CannedResponse[] {
  const q = query.trim().toLowerCase();
  if (!q) return all;
  const starts = all.filter((r) => r.shortcut.startsWith(q));
  const rest = all.filter((r) => !r.shortcut.startsWith(q) && `${r.shortcut}\n${r.title}\n${r.content}`.toLowerCase().includes(q));
  return [...starts, ...rest];
}
