/** How one worker run claims and does leased work (webhook deliveries, channel deliveries). */
export interface ClaimedWork<T> {
  /** The run's "now" (a test moves it); work is claimed and attempted on this clock. */
  now?: Date;
  /** Items attempted at once. */
  concurrency: number;
  /** No new claims after this long; the run then finishes what it holds. */
  runBudgetMs: number;
  /** How long a claim lasts: a worker that dies holding it is overtaken after this. */
  leaseMs: number;
  /** Claims up to `limit` due items until `leaseUntil` (ISO times). */
  claim(now: string, leaseUntil: string, limit: number): Promise<T[]>;
  /** Does one claimed item; a rejection leaves it claimed, to be retried when its lease runs out. */
  attempt(item: T, clock: () => Date): Promise<void>;
}

/**
 * Claims due work and does it, `concurrency` at a time, until nothing is due or the run's budget
 * is spent; resolves to how many attempts finished, or rejects with the first failure once every
 * attempt in flight has settled.
 */
export async function runClaimed<T>({ now, concurrency, runBudgetMs, leaseMs, claim, attempt }: ClaimedWork<T>): Promise<number> {
  const offset = now ? now.getTime() - Date.now() : 0;
  const clock = () => new Date(Date.now() + offset);
  const stopClaimingAt = Date.now() + runBudgetMs;
  const inFlight = new Set<Promise<void>>();
  let attempts = 0;
  let firstError: unknown = null;
  try {
    for (;;) {
      const free = concurrency - inFlight.size;
      let claimed: T[] = [];
      if (free > 0 && Date.now() < stopClaimingAt) {
        const at = clock();
        claimed = await claim(at.toISOString(), new Date(at.getTime() + leaseMs).toISOString(), free);
      }
      for (const item of claimed) {
        const p: Promise<void> = attempt(item, clock)
          .then(() => void attempts++)
          .catch((err: unknown) => void (firstError ??= err))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (claimed.length === 0 || inFlight.size >= concurrency) {
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
      }
    }
  } finally {
    await Promise.allSettled(inFlight);
  }
  if (firstError) throw firstError;
  return attempts;
}
