import {
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_ECR_REPOSITORY_ARN,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  FleetEntry,
} from '@aws-workload/plugin-aws-workload-common';
import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { audited } from '../lib/audited';
import { AwsClientFactory } from '../service/AwsClientFactory';
import { RunLoader } from '../service/CachedLoader';
import { ClusterDetails } from '../service/ClusterConfig';
import { DynamoDbService } from '../service/DynamoDbService';
import { EcrService } from '../service/EcrService';
import { EksService } from '../service/EksService';
import { EntityViewService } from '../service/EntityViewService';
import { IamService } from '../service/IamService';
import { KubernetesService } from '../service/KubernetesService';
import { RequestGate } from '../service/RequestGate';
import { ClusterSnapshotSource } from '../service/WorkloadSource';
import { FleetStore } from './FleetStore';
import { PostureNotifier } from './PostureNotifier';
import { keepStaleSections, summarizeView, withFailingSince } from './posture';
import { PostureHistoryStore } from './PostureHistoryStore';

const CATALOG_PAGE = 500;
const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
];

export interface FleetRefresherOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  store: FleetStore;
  /** The plugin's AWS clients; the refresh puts them behind its own gate. */
  clients: AwsClientFactory;
  gate: RequestGate;
  /** Attempts per throttled call during a refresh. */
  maxAttempts: number;
  clusters: ClusterDetails[];
  simulatePolicies: boolean;
  demo: boolean;
  /** Names this instance in the runs table. */
  instance?: string;
  /** One audit event per run (`coreServices.auditor`). */
  auditor?: AuditorService;
  /** Tells owners what changed in their entities' posture; none when off. */
  notifier?: PostureNotifier;
  /** Records each entity's changes and the daily counts. */
  history?: PostureHistoryStore;
}

export interface RefreshResult {
  runId: number;
  entities: number;
  stale: number;
  calls: Record<string, number>;
  throttled: Record<string, number>;
  /** Notifications sent to owners for changes since the previous run. */
  notified: number;
}

/**
 * The fleet refresh: every annotated entity's posture, computed with a cost
 * that grows with clusters and distinct AWS resources, not with entities.
 * Each run reads through a run-scoped loader, so each list, table,
 * repository and role is read once per run (failures too), and every call
 * passes the refresh's gate (bounded per account, throttling retried).
 */
export class FleetRefresher {
  private readonly instance: string;

  constructor(private readonly options: FleetRefresherOptions) {
    // Host and process, plus a nonce: two backends in one process are two instances.
    this.instance =
      options.instance ??
      `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  /** One run, as one audit event: its counts on success, its error on failure. */
  refresh(): Promise<RefreshResult> {
    return audited(
      this.options.auditor,
      { eventId: 'fleet-refresh', severityLevel: 'low' },
      () => this.run(),
      result => ({
        runId: result.runId,
        entities: result.entities,
        stale: result.stale,
        calls: result.calls,
        notified: result.notified,
      }),
    );
  }

  private async run(): Promise<RefreshResult> {
    const { store, logger, gate } = this.options;
    const runId = await store.startRun(this.instance);
    const before = { ...gate.stats.calls };
    const throttledBefore = { ...gate.stats.throttled };
    try {
      const entities = await this.annotatedEntities();
      const previous = new Map(
        (await store.readAll()).map(e => [e.entityRef, e]),
      );
      let simulationsReady = () => {};
      const view = this.runView(
        new Promise<void>(resolve => (simulationsReady = resolve)),
      );
      // The views start at once; only their policy simulations wait until
      // the batches per role are registered (after the Kubernetes reads).
      const prefetch = this.prefetchTableAccess(view, entities).finally(
        simulationsReady,
      );
      const refreshedAt = new Date().toISOString();
      const entries: FleetEntry[] = await Promise.all(
        entities.map(async entity => {
          const current = summarizeView(
            entity,
            await view.getEntityView(entity),
            refreshedAt,
          );
          const stored = previous.get(current.entityRef);
          return withFailingSince(keepStaleSections(current, stored), stored);
        }),
      );
      await prefetch;
      const calls = diff(gate.stats.calls, before);
      await store.replaceAll(runId, entries, {
        entities: entries.length,
        calls,
      });
      const stale = entries.filter(e => e.stale).length;
      await this.recordHistory(previous, entries, new Date(refreshedAt));
      // After the store: a change is told once it is what the pages show.
      const notified =
        (await this.options.notifier?.notify(previous, entries)) ?? 0;
      logger.info(
        `Fleet refresh ${runId}: ${
          entries.length
        } entities, ${stale} stale, upstream calls ${JSON.stringify(calls)}`,
      );
      return {
        runId,
        entities: entries.length,
        stale,
        calls,
        throttled: diff(gate.stats.throttled, throttledBefore),
        notified,
      };
    } catch (e) {
      // The previous fleet stays as it was: replaceAll is one transaction.
      logger.error(`Fleet refresh ${runId} failed: ${e}`);
      await store
        .failRun(runId, String((e as Error)?.message ?? e))
        .catch(() => undefined);
      throw e;
    }
  }

  /** The history is a record, not the fleet: a failure to write it is logged. */
  private async recordHistory(
    previous: ReadonlyMap<string, FleetEntry>,
    entries: FleetEntry[],
    at: Date,
  ) {
    try {
      await this.options.history?.record(previous, entries, at);
    } catch (error) {
      this.options.logger.warn(
        `Could not record the fleet's history: ${error}`,
      );
    }
  }

  /** Every entity with one of the plugin's annotations, page by page. */
  private async annotatedEntities(): Promise<Entity[]> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const filter = [
      ANNOTATION_KUBERNETES_ID,
      ANNOTATION_KUBERNETES_LABEL_SELECTOR,
      ANNOTATION_DYNAMODB_TABLE_ARN,
      ANNOTATION_ECR_REPOSITORY_ARN,
    ].map(key => ({ [`metadata.annotations.${key}`]: CATALOG_FILTER_EXISTS }));
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: CATALOG_PAGE }
          : { filter, fields: ENTITY_FIELDS, limit: CATALOG_PAGE },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return entities;
  }

  /** The entity view, rebuilt per run on a run-scoped loader and the cluster snapshot. */
  private runView(simulationsReady: Promise<void>): EntityViewService {
    const { clients, gate, maxAttempts, clusters, logger } = this.options;
    const loader = new RunLoader();
    const aws = clients.withGate(gate, maxAttempts);
    const kubernetes = new KubernetesService(
      aws,
      loader,
      aws.options.timeoutMs,
      0,
      gate,
      maxAttempts,
    );
    const eks = new EksService(aws, loader, 0);
    return new EntityViewService({
      dynamoDb: new DynamoDbService(aws, loader, 0, false),
      ecr: new EcrService(aws, loader, 0, 1),
      eks,
      iam: new IamService(
        aws,
        loader,
        0,
        this.options.simulatePolicies,
        simulationsReady,
      ),
      kubernetes,
      clusters,
      logger,
      demo: this.options.demo,
      source: new ClusterSnapshotSource(kubernetes, eks),
    });
  }

  /**
   * One policy simulation per role, for all the tables its entities use.
   * Resolves once every batch is registered; the batches run on.
   */
  private async prefetchTableAccess(
    view: EntityViewService,
    entities: Entity[],
  ): Promise<void> {
    if (!this.options.simulatePolicies) return;
    const uses = (
      await Promise.all(entities.map(e => view.tableAccessUses(e)))
    ).flat();
    const byRole = new Map<string, typeof uses>();
    for (const use of uses) {
      byRole.set(use.roleArn, [...(byRole.get(use.roleArn) ?? []), use]);
    }
    for (const [roleArn, roleUses] of byRole) {
      view
        .prefetchTableAccess(roleArn, roleUses)
        .catch(e =>
          this.options.logger.warn(
            `Policy simulation of ${roleArn} failed, evaluated locally instead: ${e}`,
          ),
        );
    }
  }
}

function diff(
  after: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
}
