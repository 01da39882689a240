import { mockServices } from '@backstage/backend-test-utils';
import { withFreshReads } from '../lib/freshReads';
import { CachedLoader, cacheKey } from './CachedLoader';

describe('cacheKey', () => {
  it('never gives two different lookups one key', () => {
    const keys = [
      cacheKey('k8s:workloads', 'prod', null, 'app=vote'),
      cacheKey('k8s:workloads', 'prod', '*', 'app=vote'),
      cacheKey('k8s:workloads', 'prod:*', null, 'app=vote'),
      cacheKey('k8s:workloads', 'prod', null, 'app=vote', undefined),
      cacheKey('iam:simulate', 'a:b', 'c', ['x']),
      cacheKey('iam:simulate', 'a', 'b:c', ['x']),
      cacheKey('iam:simulate', 'a', 'b', ['c:x']),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives one lookup the same key every time', () => {
    expect(cacheKey('ecr:images', 'arn:aws:ecr:eu-west-3:1:repository/x')).toBe(
      cacheKey('ecr:images', 'arn:aws:ecr:eu-west-3:1:repository/x'),
    );
  });
});

describe('CachedLoader within a re-check', () => {
  it('reads upstream instead of the cache, and stores what it read for the next readers', async () => {
    const loader = new CachedLoader({
      cache: mockServices.cache.mock({
        get: jest.fn(async () => 'cached'),
        set: jest.fn(async () => undefined),
      } as any),
      logger: mockServices.logger.mock(),
    });
    const fetch = jest.fn(async () => 'fresh');
    expect(await loader.load('k', 1000, fetch)).toBe('cached');
    expect(fetch).not.toHaveBeenCalled();
    expect(await withFreshReads(() => loader.load('k', 1000, fetch))).toBe(
      'fresh',
    );
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
