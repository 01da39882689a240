import { CacheService } from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * Backstage's own in-memory cache service (what `yarn start` runs), for the
 * service tests and the benchmarks, which run the services without a
 * backend around them. Each call is a new, empty store.
 */
export function memoryCache(): CacheService {
  return CacheManager.fromConfig(
    mockServices.rootConfig({
      data: { backend: { cache: { store: 'memory' } } },
    }),
  ).forPlugin('aws-workload');
}
