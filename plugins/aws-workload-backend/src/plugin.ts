import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig, Config } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createRouter } from './router';
import { AwsClientFactory } from './service/AwsClientFactory';
import { CachedLoader } from './service/CachedLoader';
import { readClusters } from './service/ClusterConfig';
import { DynamoDbService } from './service/DynamoDbService';
import { EcrService } from './service/EcrService';
import { EksService } from './service/EksService';
import { EntityViewService } from './service/EntityViewService';
import { IamService } from './service/IamService';
import { KubernetesService } from './service/KubernetesService';

const DEFAULT_TTL: Record<string, HumanDuration> = {
  table: { minutes: 5 },
  images: { minutes: 2 },
  workloads: { seconds: 30 },
  iam: { minutes: 5 },
  eks: { minutes: 10 },
};

function ttlMs(config: Config, section: string): number {
  const key = `awsWorkload.cacheTtl.${section}`;
  return durationToMilliseconds(
    config.has(key)
      ? readDurationFromConfig(config, { key })
      : DEFAULT_TTL[section],
  );
}

/** The aws-workload backend plugin: `/api/aws-workload`. */
export const awsWorkloadPlugin = createBackendPlugin({
  pluginId: 'aws-workload',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, cache, httpAuth, httpRouter, catalog }) {
        const aws = AwsClientFactory.fromConfig(config);
        const loader = new CachedLoader(cache, logger);
        const settings = config.getOptionalConfig('awsWorkload');
        const entityView = new EntityViewService({
          dynamoDb: new DynamoDbService(aws, loader, ttlMs(config, 'table')),
          ecr: new EcrService(
            aws,
            loader,
            ttlMs(config, 'images'),
            settings?.getOptionalNumber('maxImages') ?? 20,
          ),
          eks: new EksService(aws, loader, ttlMs(config, 'eks')),
          iam: new IamService(
            aws,
            loader,
            ttlMs(config, 'iam'),
            settings?.getOptionalBoolean('simulatePolicies') ?? true,
          ),
          kubernetes: new KubernetesService(
            aws,
            loader,
            aws.options.timeoutMs,
            ttlMs(config, 'workloads'),
          ),
          clusters: readClusters(config),
          logger,
          demo: settings?.getOptionalBoolean('demo') ?? false,
        });
        httpRouter.use(await createRouter({ httpAuth, catalog, entityView }));
      },
    });
  },
});
