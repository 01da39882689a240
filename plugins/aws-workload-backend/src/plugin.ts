import {
  coreServices,
  createBackendPlugin,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { awsWorkloadPermissions } from '@aws-workload/plugin-aws-workload-common';
import {
  AwsWorkloadUpstreams,
  awsWorkloadUpstreamsExtensionPoint,
} from '@aws-workload/plugin-aws-workload-node';
import { readDurationFromConfig, Config } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  notificationService,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { InputError } from '@backstage/errors';
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
import { ClusterCheckService } from './service/ClusterCheckService';
import { SecretsManagerService } from './service/SecretsManagerService';
import { AwsClientFactory } from './service/AwsClientFactory';
import { CachedLoader } from './service/CachedLoader';
import { clustersOfUpstreams, readClusters } from './service/ClusterConfig';
import { DynamoDbService } from './service/DynamoDbService';
import { EcrService } from './service/EcrService';
import { EksService } from './service/EksService';
import { EntityViewService } from './service/EntityViewService';
import { IamService } from './service/IamService';
import { KubernetesService } from './service/KubernetesService';
import { RequestGate } from './service/RequestGate';
import { LookupGuard } from './service/LookupGuard';
import { FleetQueryService } from './fleet/FleetQueryService';
import { FleetRefresher } from './fleet/FleetRefresher';
import { FleetStore } from './fleet/FleetStore';
import { PostureNotifier } from './fleet/PostureNotifier';
import {
  POSTURE_CHANGE_KINDS,
  PostureChangeKind,
} from './fleet/postureChanges';

const DEFAULT_FLEET_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

function fleetSchedule(
  config: Config,
  upstreams?: AwsWorkloadUpstreams,
): SchedulerServiceTaskScheduleDefinition {
  const key = 'awsWorkload.fleet.schedule';
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : upstreams?.fleetSchedule ?? DEFAULT_FLEET_SCHEDULE;
}

/** Owners' notifications of posture changes, unless `awsWorkload.notifications.enabled` is false. */
function postureNotifier(
  config: Config,
  notifications: NotificationService,
  logger: LoggerService,
): PostureNotifier | undefined {
  const settings = config.getOptionalConfig('awsWorkload.notifications');
  if (settings?.getOptionalBoolean('enabled') === false) return undefined;
  const kinds = settings?.getOptionalStringArray('kinds') ?? [
    ...POSTURE_CHANGE_KINDS,
  ];
  const unknownKind = kinds.find(
    k => !POSTURE_CHANGE_KINDS.includes(k as PostureChangeKind),
  );
  if (unknownKind !== undefined) {
    throw new InputError(
      `awsWorkload.notifications.kinds must hold only ${POSTURE_CHANGE_KINDS.join(
        ', ',
      )}; got "${unknownKind}"`,
    );
  }
  return new PostureNotifier({
    notifications,
    logger: logger.child({ task: 'posture-notifications' }),
    kinds: kinds as PostureChangeKind[],
  });
}

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

/** One re-check per entity and caller in this time, unless configured. */
const RECHECK_INTERVAL: HumanDuration = { seconds: 30 };

function recheckIntervalMs(config: Config): number {
  const key = 'awsWorkload.recheckInterval';
  return durationToMilliseconds(
    config.has(key)
      ? readDurationFromConfig(config, { key })
      : RECHECK_INTERVAL,
  );
}

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
        const aws = AwsClientFactory.fromConfig(config, upstreams);
        const clusters = upstreams?.clusters
          ? clustersOfUpstreams(upstreams.clusters)
          : readClusters(config);
        const settings = config.getOptionalConfig('awsWorkload');
        const demo =
          settings?.getOptionalBoolean('demo') ?? upstreams?.demo ?? false;
        const loader = new CachedLoader(cache, logger);
        const eks = new EksService(aws, loader, ttlMs(config, 'eks'));
        const iam = new IamService(
          aws,
          loader,
          ttlMs(config, 'iam'),
          settings?.getOptionalBoolean('simulatePolicies') ?? true,
        );
        const entityView = new EntityViewService({
          dynamoDb: new DynamoDbService(aws, loader, ttlMs(config, 'table')),
          ecr: new EcrService(
            aws,
            loader,
            ttlMs(config, 'images'),
            settings?.getOptionalNumber('maxImages') ?? 20,
          ),
          eks,
          iam,
          kubernetes: new KubernetesService(
            aws,
            loader,
            aws.options.timeoutMs,
            ttlMs(config, 'workloads'),
          ),
          clusters,
          logger,
          demo,
          guard: LookupGuard.fromConfig(config),
          secretsManager: new SecretsManagerService(
            aws,
            loader,
            ttlMs(config, 'iam'),
          ),
        });
        const simulatePolicies =
          settings?.getOptionalBoolean('simulatePolicies') ?? true;
        permissionsRegistry.addPermissions(awsWorkloadPermissions);
        const store = await FleetStore.create(database);
        if (settings?.getOptionalBoolean('fleet.enabled') ?? true) {
          const refresher = new FleetRefresher({
            catalog,
            auth,
            logger: logger.child({ task: 'fleet-refresh' }),
            store,
            clients: aws,
            // Its own gate: the refresh's calls per account are bounded on
            // their own, and its counts are the refresh's alone.
            gate: RequestGate.fromConfig(config),
            maxAttempts: settings?.getOptionalNumber('fleet.maxAttempts') ?? 8,
            clusters,
            simulatePolicies,
            demo,
            auditor,
            notifier: postureNotifier(config, notifications, logger),
          });
          await scheduler.scheduleTask({
            id: 'aws-workload-fleet-refresh',
            // One instance runs it per interval; the lock is in the database.
            scope: 'global',
            ...fleetSchedule(config, upstreams),
            fn: async () => {
              await refresher.refresh();
            },
          });
        }
        const fleet = new FleetQueryService({
          store,
          catalog,
          permissions,
          demo,
          answerCacheMiB: settings?.getOptionalNumber('fleet.answerCacheMiB'),
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
              intervalMs: recheckIntervalMs(config),
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
