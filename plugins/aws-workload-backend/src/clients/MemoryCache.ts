import { CacheService } from '@backstage/backend-plugin-api';

/**
 * A CacheService in a Map, with TTLs: for the CLI and the benchmarks, which
 * run the services without a backend around them.
 */
export class MemoryCache implements CacheService {
  private readonly entries = new Map<string, { value: any; expires: number }>();

  async get(key: string) {
    const hit = this.entries.get(key);
    return hit && hit.expires > Date.now() ? hit.value : undefined;
  }

  async set(key: string, value: any, options?: { ttl?: number | object }) {
    const ttl = typeof options?.ttl === 'number' ? options.ttl : 60_000;
    this.entries.set(key, {
      value: structuredClone(value),
      expires: Date.now() + ttl,
    });
  }

  async delete(key: string) {
    this.entries.delete(key);
  }

  withOptions() {
    return this;
  }
}
