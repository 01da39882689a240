import { AsyncLocalStorage } from 'node:async_hooks';

const fresh = new AsyncLocalStorage<true>();

/**
 * Runs `work` with every cached read it makes going upstream instead: a
 * re-check of one entity. Its answers are stored as usual, so what it
 * learned serves the next readers; other requests meanwhile are untouched.
 */
export function withFreshReads<T>(work: () => Promise<T>): Promise<T> {
  return fresh.run(true, work);
}

/** Whether the current call is part of a re-check. */
export const readsFresh = (): boolean => fresh.getStore() === true;
