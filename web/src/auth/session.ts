import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import type { Member } from '../api/types';
import { forgetAvailabilityChoice, sendAvailability } from '../presence/availability';

/** The signed-in member, or null when there is no session (a 401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Member | null> => {
      try {
        const body = await unwrap(api.GET('/api/v1/me'));
        setCsrfToken(body.csrf_token);
        return body.data;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => unwrap(api.POST('/api/v1/auth/login', { body: input })),
    onSuccess: (body) => {
      setCsrfToken(body.csrf_token);
      // Signing in starts the day online, whatever was chosen in this browser before.
      forgetAvailabilityChoice(body.data.id);
      // Another member may have used this tab before: start from an empty cache.
      queryClient.clear();
      queryClient.setQueryData(['me'], body.data);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      // Whoever signs out takes no more conversations: say so while the session still exists.
      const me = queryClient.getQueryData<Member | null>(['me']);
      if (me) {
        forgetAvailabilityChoice(me.id);
        await sendAvailability(queryClient, me.id, 'offline').catch(() => {});
      }
      return unwrap(api.POST('/api/v1/auth/logout'));
    },
    onSettled: () => {
      setCsrfToken(null);
      // Say "nobody" to the cached member first: clearing the cache before would detach the
      // screens watching it, which then stayed signed in. Then forget what the member saw.
      queryClient.setQueryData(['me'], null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
  });
}

export const isAdmin = (me: Member | null | undefined): boolean => me?.role === 'admin';
