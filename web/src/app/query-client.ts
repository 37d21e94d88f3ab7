import { QueryClient } from '@tanstack/react-query';
import { setUnauthorizedHandler } from '../api/client';
import { ApiError } from '../api/errors';

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
  // A 401 anywhere means the session is gone: forget who was signed in, which shows the sign-in page.
  setUnauthorizedHandler(() => {
    if (client.getQueryData(['me'])) client.setQueryData(['me'], null);
  });
  return client;
}
