import './session-expired.css';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'react-router';
import { useSessionExpired } from './query-client';

/**
 * Leaves for the sign-in page; the route guard takes the member back to this very page after
 * signing in, where drafts are restored from this browser.
 */
export function useSignInAgain(): () => void {
  const client = useQueryClient();
  return () => client.setQueryData(['me'], null);
}

export function SignInAgainButton() {
  const signIn = useSignInAgain();
  return (
    <button type="button" className="btn btn-primary" onClick={signIn}>
      Sign in again
    </button>
  );
}

/** A banner over every page once the session has expired: nothing is lost, but nothing more can be saved. */
export function SessionExpiredBanner() {
  const expired = useSessionExpired();
  // An open conversation says it under its composer, next to the draft.
  const inConversation = /^\/inbox\/[^/]+/.test(useLocation().pathname);
  if (!expired || inConversation) return null;
  return (
    <div className="session-expired-banner" role="alert">
      <span>Your session has expired. Sign in again to carry on here; unsent drafts are kept.</span>
      <SignInAgainButton />
    </div>
  );
}
