import { SharedAnswers } from './SharedAnswers';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('SharedAnswers', () => {
  it('shares one load between callers of the same key while it runs', async () => {
    const answers = new SharedAnswers<{ n: number }>({
      ttlMs: 1000,
      maxEntries: 10,
    });
    const load = deferred<{ n: number }>();
    const fn = jest.fn(() => load.promise);
    const first = answers.get('k', fn);
    const second = answers.get('k', fn);
    load.resolve({ n: 1 });
    expect(await first).toBe(await second);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('serves a settled answer until its TTL, then loads again', async () => {
    // Real time: lru-cache reads the clock through the performance object it
    // captured when loaded, which fake timers do not replace.
    const answers = new SharedAnswers<{ n: number }>({
      ttlMs: 1000,
      maxEntries: 10,
    });
    let n = 0;
    const fn = jest.fn(async () => ({ n: ++n }));
    expect(await answers.get('k', fn)).toEqual({ n: 1 });
    expect(await answers.get('k', fn)).toEqual({ n: 1 });
    await new Promise(r => setTimeout(r, 1100));
    expect(await answers.get('k', fn)).toEqual({ n: 2 });
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed load', async () => {
    const answers = new SharedAnswers<{ n: number }>({
      ttlMs: 5000,
      maxEntries: 10,
    });
    await expect(
      answers.get('k', () => Promise.reject(new Error('upstream down'))),
    ).rejects.toThrow('upstream down');
    expect(await answers.get('k', async () => ({ n: 2 }))).toEqual({ n: 2 });
  });

  it('keeps at most maxBytes, dropping the least recently used', async () => {
    const answers = new SharedAnswers<Buffer>({
      ttlMs: 60_000,
      maxEntries: 1000,
      maxBytes: 10_000,
      sizeOf: b => b.length,
    });
    for (let i = 0; i < 100; i++) {
      await answers.get(`q${i}`, async () => Buffer.alloc(1000, i));
    }
    expect(answers.bytes).toBeLessThanOrEqual(10_000);
    expect(answers.size).toBe(10);
    // The newest are the ones kept.
    const fn = jest.fn(async () => Buffer.alloc(1000));
    await answers.get('q99', fn);
    expect(fn).not.toHaveBeenCalled();
    await answers.get('q0', fn);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('serves an answer larger than maxBytes without keeping it', async () => {
    const answers = new SharedAnswers<Buffer>({
      ttlMs: 60_000,
      maxEntries: 10,
      maxBytes: 100,
      sizeOf: b => b.length,
    });
    expect(
      (await answers.get('big', async () => Buffer.alloc(500))).length,
    ).toBe(500);
    expect(answers.size).toBe(0);
  });

  it('keeps at most maxEntries', async () => {
    const answers = new SharedAnswers<{ i: number }>({
      ttlMs: 60_000,
      maxEntries: 3,
    });
    for (let i = 0; i < 10; i++)
      await answers.get(`k${i}`, async () => ({ i }));
    expect(answers.size).toBe(3);
  });

  it('refuses a byte bound without a way to weigh answers', () => {
    expect(
      () => new SharedAnswers({ ttlMs: 1, maxEntries: 1, maxBytes: 10 }),
    ).toThrow('maxBytes and sizeOf go together');
  });
});

describe('SharedAnswers.forget', () => {
  it('loads anew after an answer is forgotten, and only that one', async () => {
    const answers = new SharedAnswers<{ n: number }>({
      ttlMs: 60_000,
      maxEntries: 10,
    });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    await answers.get('a', load);
    await answers.get('b', load);
    answers.forget('a');
    expect(await answers.get('a', load)).toEqual({ n: 3 });
    expect(await answers.get('b', load)).toEqual({ n: 2 });
  });
});
