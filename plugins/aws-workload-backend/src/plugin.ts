import {
  coreServices,
  createBackendPlugin,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { awsWorkloadPermissions } from '@aws-workload/plugin-aws-workload-common';
import {
  AwsWorkloadUpstreams,
  awsWorkloadUpstreamsExtensionPoint,
} from '@aws-workload/plugin-aws-workload-node';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { readAwsWorkloadConfig } from './config/readAwsWorkloadConfig';
import {
  registerGetEntityAwsPostureAction,
  registerInspectKubernetesManifestsAction,
  registerListAwsFleetAction,
} from './actions';
import { CallerEntityReads } from './lib/CallerEntityReads';
import { RecheckLimiter } from './lib/RecheckLimiter';
import { ScmIntegrations } from '@backstage/integration';
import { createRouter } from './router';
import { GeneratedFilesStore } from './scaffolder/GeneratedFilesStore';
import { ClusterCheckService } from './views/ClusterCheckService';
import { SecretsManagerService } from './clients/SecretsManagerService';
import { AwsClientFactory } from './clients/AwsClientFactory';
import { CachedLoader } from './clients/CachedLoader';
import { clustersOfUpstreams, readClusters } from './clients/ClusterConfig';
import { DynamoDbService } from './clients/DynamoDbService';
import { EcrService } from './clients/EcrService';
import { EksService } from './clients/EksService';
import { EntityViewService } from './views/EntityViewService';
import { IamService } from './clients/IamService';
import { KubernetesService } from './clients/KubernetesService';
import { RequestGate } from './clients/RequestGate';
import { LookupGuard } from './facts/LookupGuard';
import { FleetQueryService } from './fleet/FleetQueryService';
import { FleetRefresher } from './fleet/FleetRefresher';
import { FleetStore } from './fleet/FleetStore';
import { PostureHistoryStore } from './fleet/PostureHistoryStore';
import { PostureNotifier } from './fleet/PostureNotifier';

const DEFAULT_FLEET_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

/**
 * The aws-workload backend plugin: `/api/aws-workload`.
 *
 * @public
 */
export const awsWorkloadPlugin = createBackendPlugin({
  pluginId: 'aws-workload',
  register(env) {
    let upstreams: AwsWorkloadUpstreams | undefined;
    env.registerExtensionPoint(awsWorkloadUpstreamsExtensionPoint, {
      setUpstreams(given) {
        if (upstreams) {
          throw new Error(
            'aws-workload: two modules set the upstreams; install only one of them',
          );
        }
        upstreams = given;
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        discovery: coreServices.discovery,
        auditor: coreServices.auditor,
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        cache,
        httpAuth,
        httpRouter,
        catalog,
        auth,
        database,
        scheduler,
        permissions,
        permissionsRegistry,
        discovery,
        auditor,
        actionsRegistry,
        notifications,
      }) {
        // The plugin's config, read and checked once.
        const settings = readAwsWorkloadConfig(config);
        for (const deprecation of settings.deprecations) {
          logger.warn(deprecation);
        }
        const ttl = settings.cacheTtlMs;
        const aws = AwsClientFactory.fromSettings(settings, {
          credentials:
            upstreams?.credentials ??
            DefaultAwsCredentialsManager.fromConfig(config),
          upstreams,
        });
        const clusters = upstreams?.clusters
          ? clustersOfUpstreams(upstreams.clusters)
          : readClusters(config);
        const demo = settings.demo ?? upstreams?.demo ?? false;
        const { simulatePolicies } = settings;
        const loader = new CachedLoader({ cache, logger });
        const eks = new EksService({ clients: aws, loader, ttlMs: ttl.eks });
        const iam = new IamService({
          clients: aws,
          loader,
          ttlMs: ttl.iam,
          simulate: simulatePolicies,
        });
        const entityView = EntityViewService.fromReaders({
          dynamoDb: new DynamoDbService({
            clients: aws,
            loader,
            ttlMs: ttl.table,
          }),
          ecr: new EcrService({
            clients: aws,
            loader,
            ttlMs: ttl.images,
            maxImages: settings.maxImages,
          }),
          eks,
          iam,
          kubernetes: new KubernetesService({
            clients: aws,
            loader,
            timeoutMs: aws.options.timeoutMs,
            ttlMs: ttl.workloads,
          }),
          clusters,
          logger,
          demo,
          guard: settings.guard && new LookupGuard(settings.guard),
          secretsManager: new SecretsManagerService({
            clients: aws,
            loader,
            ttlMs: ttl.iam,
          }),
        });
        permissionsRegistry.addPermissions(awsWorkloadPermissions);
        const store = await FleetStore.create(database);
        const history = await PostureHistoryStore.create(
          database,
          settings.history,
        );
        if (settings.fleet.enabled) {
          const refresher = new FleetRefresher({
            catalog,
            auth,
            logger: logger.child({ task: 'fleet-refresh' }),
            store,
            clients: aws,
            // Its own gate: the refresh's calls per account are bounded on
            // their own, and its counts are the refresh's alone.
            gate: new RequestGate(settings.gate),
            maxAttempts: settings.fleet.throttledCallAttempts,
            clusters,
            simulatePolicies,
            resimulateIntervalMs: settings.fleet.resimulateIntervalMs,
            demo,
            auditor,
            notifier: settings.notifications.enabled
              ? new PostureNotifier({
                  notifications,
                  logger: logger.child({ task: 'posture-notifications' }),
                  kinds: settings.notifications.kinds,
                })
              : undefined,
            history,
          });
          await scheduler.scheduleTask({
            id: 'aws-workload-fleet-refresh',
            // One instance runs it per interval; the lock is in the database.
            scope: 'global',
            ...(settings.fleet.schedule ??
              upstreams?.fleetSchedule ??
              DEFAULT_FLEET_SCHEDULE),
            fn: async () => {
              await refresher.refresh();
            },
          });
        }
        const fleet = new FleetQueryService({
          store,
          history,
          catalog,
          permissions,
          demo,
          answerCacheMiB: settings.fleet.answerCacheMiB,
        });
        const entities = new CallerEntityReads(catalog);
        // Read-only actions for AI assistants (MCP) and other plugins.
        registerGetEntityAwsPostureAction({
          actionsRegistry,
          entities,
          entityView,
        });
        registerListAwsFleetAction({ actionsRegistry, fleet });
        registerInspectKubernetesManifestsAction({ actionsRegistry });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            entities,
            entityView,
            fleet,
            recheckLimiter: new RecheckLimiter({
              intervalMs: settings.recheckIntervalMs,
            }),
            clusterCheck: new ClusterCheckService({ eks, iam }),
            integrations: ScmIntegrations.fromConfig(config),
            generatedFiles: new GeneratedFilesStore({ cache, discovery, auth }),
            auditor,
          }),
        );
      },
    });
  },
});
