/**
 * One load per key at a time: callers of a key while its load runs share
 * that load, and the next caller after it settles (answer or failure) starts
 * a new one. Nothing is kept: what to keep and for how long is the cache's
 * business. The frontend client, the backend's shared answers and its loader
 * all share loads through it.
 *
 * @public
 */
export class InFlightLoads<V> {
  private readonly loads = new Map<string, Promise<V>>();

  /** The running load of the key, or a new one from `load`. */
  run(key: string, load: () => Promise<V>): Promise<V> {
    const running = this.loads.get(key);
    if (running) return running;
    const loading = load().finally(() => this.loads.delete(key));
    this.loads.set(key, loading);
    return loading;
  }

  /** Loads running now. */
  get size(): number {
    return this.loads.size;
  }
}
