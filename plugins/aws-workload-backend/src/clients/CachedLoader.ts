import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { InFlightLoads } from '@aws-workload/plugin-aws-workload-common';
import { JsonValue } from '@backstage/types';
import { readsFresh } from '../lib/freshReads';
import type { AwsClientFactory } from './AwsClientFactory';

/**
 * A cache key: the kind of lookup and every part of it, JSON-encoded, so
 * that two different lookups can never build the same key (a namespace of
 * "*", or a value holding the separator, cannot pass for another).
 */
export const cacheKey = (kind: string, ...parts: unknown[]): string =>
  `${kind}:${JSON.stringify(parts)}`;

/** Loads a value once per key; the services read everything through one. */
export interface Loader {
  load<T>(key: string, ttlMs: number, fetch: () => Promise<T>): Promise<T>;
}

/** What every upstream reader is built from. */
export interface ReaderOptions {
  clients: AwsClientFactory;
  loader: Loader;
  /** How long a read stays in the loader; 0 for a fleet run's loader. */
  ttlMs: number;
}

/**
 * Reads through `coreServices.cache`, and shares one upstream call between
 * concurrent requests for the same key. A cache that fails (Redis down) is
 * logged and bypassed: it never fails the view.
 */
export class CachedLoader implements Loader {
  private readonly inFlight = new InFlightLoads<unknown>();

  private readonly cache: CacheService;
  private readonly logger: LoggerService;

  constructor(options: { cache: CacheService; logger: LoggerService }) {
    this.cache = options.cache;
    this.logger = options.logger;
  }

  async load<T>(
    key: string,
    ttlMs: number,
    fetch: () => Promise<T>,
  ): Promise<T> {
    // A re-check reads upstream and stores what it read for everyone.
    if (readsFresh()) return this.fetchAndStore(key, ttlMs, fetch);
    const cached = await this.cache.get(key).catch(e => {
      this.logger.warn(`cache read failed for ${key}: ${e}`);
      return undefined;
    });
    if (cached !== undefined) return cached as T;
    return this.inFlight.run(key, () =>
      this.fetchAndStore(key, ttlMs, fetch),
    ) as Promise<T>;
  }

  private async fetchAndStore<T>(
    key: string,
    ttlMs: number,
    fetch: () => Promise<T>,
  ): Promise<T> {
    const value = await fetch();
    await this.cache
      .set(key, value as unknown as JsonValue, { ttl: ttlMs })
      .catch(e => this.logger.warn(`cache write failed for ${key}: ${e}`));
    return value;
  }
}

/**
 * For one fleet refresh: every key is fetched at most once during the run,
 * failures included, so a cluster or an account that is down costs one
 * attempt per refresh, not one per entity. Nothing outlives the run.
 */
export class RunLoader implements Loader {
  private readonly values = new Map<string, Promise<unknown>>();

  load<T>(key: string, _ttlMs: number, fetch: () => Promise<T>): Promise<T> {
    let value = this.values.get(key);
    if (!value) {
      value = fetch();
      // Handled by whoever awaits it; this only avoids an unhandled rejection.
      value.catch(() => undefined);
      this.values.set(key, value);
    }
    return value as Promise<T>;
  }

  get size(): number {
    return this.values.size;
  }
}
