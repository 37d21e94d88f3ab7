import { QueryClient, useQuery } from '@tanstack/react-query';
import { setUnauthorizedHandler } from '../api/client';
import { ApiError } from '../api/errors';

/** Set when a signed-in member's session stops working; cleared by signing in (which clears the cache). */
export const SESSION_EXPIRED = ['session-expired'] as const;

/** TanStack Query with Parley's rules: a 4xx is an answer, not a blip, so it is not retried. */
export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  // A 401 means the session is gone. The member is not thrown out at once: the screen stays, with
  // its unsent text, and says so; signing in again comes back here (see SessionExpired). A 401
  // with nobody signed in is only the first visit's "who am I?".
  setUnauthorizedHandler(() => {
    if (client.getQueryData(['me']) && !client.getQueryData(SESSION_EXPIRED)) client.setQueryData(SESSION_EXPIRED, true);
  });
  return client;
}

/** Whether the session expired while the app was open (nothing to fetch: the API client says so). */
export function useSessionExpired(): boolean {
  return (
    useQuery<boolean>({
      queryKey: SESSION_EXPIRED,
      queryFn: () => false,
      enabled: false,
      initialData: false,
      staleTime: Infinity,
    }).data ?? false
  );
}
