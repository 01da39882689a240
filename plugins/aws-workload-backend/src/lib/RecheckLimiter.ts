import { LRUCache } from 'lru-cache';

/**
 * At most one re-check per entity and caller in each interval: a re-check
 * goes to IAM, EKS, ECR and the cluster for real, so a held-down button
 * must not become a storm upstream.
 */
export class RecheckLimiter {
  private readonly last: LRUCache<string, number>;

  constructor(
    private readonly options: { intervalMs: number; now?: () => number },
  ) {
    this.last = new LRUCache({ max: 10_000, ttl: options.intervalMs });
  }

  /** Takes a slot, or tells how many seconds to wait for the next one. */
  take(entityRef: string, caller: string): { waitSeconds: number } | undefined {
    const now = (this.options.now ?? Date.now)();
    const key = JSON.stringify([entityRef, caller]);
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.options.intervalMs) {
      return {
        waitSeconds: Math.ceil(
          (this.options.intervalMs - (now - previous)) / 1000,
        ),
      };
    }
    this.last.set(key, now);
    return undefined;
  }
}
