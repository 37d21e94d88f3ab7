import type { Availability } from '../api/types';
import { AVAILABILITY_LABEL } from './labels';

/**
 * A member's availability as a dot: filled green online, amber away, a grey ring offline (the
 * shapes differ too, not only the colours). `labelled` gives it its own accessible name; leave it
 * off where the word is written beside it.
 */
export function AvailabilityDot({ availability, labelled = false, className = '' }: { availability: Availability; labelled?: boolean; className?: string }) {
  const label = AVAILABILITY_LABEL[availability];
  return labelled ? (
    <span className={`presence presence-${availability} ${className}`} role="img" aria-label={label} title={label} />
  ) : (
    <span className={`presence presence-${availability} ${className}`} aria-hidden="true" title={label} />
  );
}
