import { InFlightLoads } from './inFlight';

const deferred = <V>() => {
  let resolve!: (value: V) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('InFlightLoads', () => {
  it('shares a running load between callers of its key, and not of another', async () => {
    const loads = new InFlightLoads<string>();
    const first = deferred<string>();
    let started = 0;
    const load = () => {
      started += 1;
      return first.promise;
    };
    const a = loads.run('k', load);
    const b = loads.run('k', load);
    const other = loads.run('other', async () => 'other');
    expect(started).toBe(1);
    expect(loads.size).toBe(2);
    first.resolve('answer');
    expect(await Promise.all([a, b, other])).toEqual([
      'answer',
      'answer',
      'other',
    ]);
    expect(loads.size).toBe(0);
  });

  it('keeps nothing once settled: a failure is not shared with the next caller', async () => {
    const loads = new InFlightLoads<string>();
    const failing = deferred<string>();
    const a = loads.run('k', () => failing.promise);
    const b = loads.run('k', async () => 'never asked');
    failing.reject(new Error('upstream down'));
    await expect(a).rejects.toThrow('upstream down');
    await expect(b).rejects.toThrow('upstream down');
    expect(await loads.run('k', async () => 'again')).toBe('again');
  });
});
