import { InFlightLoads } from '@aws-workload/plugin-aws-workload-common';
import { LRUCache } from 'lru-cache';

/** The bounds of a {@link SharedAnswers}. */
export interface SharedAnswersOptions<V> {
  /** How long a settled answer is served to the same key. */
  ttlMs: number;
  /** At most this many answers are kept. */
  maxEntries: number;
  /**
   * And at most this many bytes, as `sizeOf` counts them: answers that hold
   * large buffers are bounded by what they weigh, not by how many there are.
   */
  maxBytes?: number;
  sizeOf?: (value: V) => number;
}

/**
 * One answer per key for a short time, in this process's memory only: callers
 * of the same key while it loads share the one load, a settled answer is
 * served until its TTL runs out, and a failed load is not kept. Bounded by
 * count and, where given, by bytes (least recently used first out).
 */
export class SharedAnswers<V extends {}> {
  private readonly settled: LRUCache<string, V>;
  private readonly inFlight = new InFlightLoads<V>();

  constructor(options: SharedAnswersOptions<V>) {
    const { maxBytes, sizeOf } = options;
    if ((maxBytes === undefined) !== (sizeOf === undefined)) {
      throw new TypeError('SharedAnswers: maxBytes and sizeOf go together');
    }
    this.settled = new LRUCache<string, V>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // Expired answers are dropped as time passes, not only when read: a
      // burst of distinct keys does not keep its memory after the TTL.
      ttlAutopurge: true,
      ...(maxBytes !== undefined && sizeOf
        ? {
            maxSize: maxBytes,
            sizeCalculation: (value: V) =>
              Math.max(1, Math.ceil(sizeOf(value))),
          }
        : {}),
    });
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.settled.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    return this.inFlight.run(key, async () => {
      const value = await load();
      // An answer bigger than maxBytes alone is served but not kept.
      this.settled.set(key, value);
      return value;
    });
  }

  /**
   * Loads anew, whatever is kept or loading, and keeps the new answer for
   * the callers after it (a re-check).
   */
  async refresh(key: string, load: () => Promise<V>): Promise<V> {
    const value = await load();
    this.settled.set(key, value);
    return value;
  }

  /** Forgets a kept answer (its source changed in this process). */
  forget(key: string): void {
    this.settled.delete(key);
  }

  /** Answers kept now. */
  get size(): number {
    return this.settled.size;
  }

  /** Bytes kept now, as sizeOf counts them (0 when unbounded by bytes). */
  get bytes(): number {
    return this.settled.calculatedSize ?? 0;
  }
}
