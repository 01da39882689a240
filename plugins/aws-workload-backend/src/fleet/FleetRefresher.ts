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
import { AwsClientFactory } from '../clients/AwsClientFactory';
import { RunLoader } from '../clients/CachedLoader';
import { ClusterDetails } from '../clients/ClusterConfig';
import { DynamoDbService } from '../clients/DynamoDbService';
import { EcrService } from '../clients/EcrService';
import { EksService } from '../clients/EksService';
import { assessEntity } from '../assessment/assessEntity';
import { KubernetesService } from '../clients/KubernetesService';
import { RequestGate } from '../clients/RequestGate';
import { ClusterSnapshotSource } from '../facts/WorkloadSource';
import { FleetFactCollector } from '../facts/FleetFactCollector';
import { FleetIamReader, FleetIamStats } from './FleetIamReader';
import { FleetStore } from './FleetStore';
import { PostureNotifier } from './PostureNotifier';
import { keepStaleSections, summarizeView, withFailingSince } from './posture';
import { PostureHistoryStore } from './PostureHistoryStore';

const CATALOG_PAGE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
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
  /** How long an unchanged role's simulation is reused; default a day. */
  resimulateIntervalMs?: number;
}

export interface RefreshResult {
  runId: number;
  entities: number;
  stale: number;
  calls: Record<string, number>;
  throttled: Record<string, number>;
  /** Calls made again after a throttled or transient failure. */
  retried: Record<string, number>;
  /** Notifications sent to owners for changes since the previous run. */
  notified: number;
  /** How the IAM phase read the roles and how many simulations it reused. */
  iam?: FleetIamStats;
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
  private readonly iamReader: FleetIamReader;

  constructor(private readonly options: FleetRefresherOptions) {
    this.iamReader = new FleetIamReader({
      simulate: options.simulatePolicies,
      resimulateIntervalMs: options.resimulateIntervalMs ?? DAY_MS,
      logger: options.logger,
    });
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
    const retriedBefore = { ...gate.stats.retried };
    try {
      const entities = await this.annotatedEntities();
      const previous = new Map(
        (await store.readAll()).map(e => [e.entityRef, e]),
      );
      const refreshedAt = new Date().toISOString();
      // Read (tables and images, one snapshot per cluster, IAM per account)
      // and assess: each entity's view from its facts alone, as they arrive.
      const read = this.runFacts().collectFleet(entities);
      const entries: FleetEntry[] = await Promise.all(
        read.facts.map(async (facts, i) => {
          const current = summarizeView(
            entities[i],
            assessEntity(await facts, { demo: this.options.demo }),
            refreshedAt,
          );
          const stored = previous.get(current.entityRef);
          return withFailingSince(keepStaleSections(current, stored), stored);
        }),
      );
      const iam = await read.iam;
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
        } entities, ${stale} stale, upstream calls ${JSON.stringify(
          calls,
        )}, IAM ${JSON.stringify(iam)}`,
      );
      return {
        runId,
        entities: entries.length,
        stale,
        calls,
        throttled: diff(gate.stats.throttled, throttledBefore),
        retried: diff(gate.stats.retried, retriedBefore),
        notified,
        iam,
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

  /**
   * The run's fact collector: a run-scoped loader, so each list, table,
   * repository and role is read once per run, one snapshot per cluster, and
   * every call through the refresh's gate.
   */
  private runFacts(): FleetFactCollector {
    const { clients, gate, maxAttempts, clusters, logger } = this.options;
    const loader = new RunLoader();
    const aws = clients.withGate(gate, maxAttempts);
    const kubernetes = new KubernetesService({
      clients: aws,
      loader,
      ttlMs: 0,
      timeoutMs: aws.options.timeoutMs,
      gate,
      gateAttempts: maxAttempts,
    });
    const eks = new EksService({ clients: aws, loader, ttlMs: 0 });
    return new FleetFactCollector({
      readers: {
        dynamoDb: new DynamoDbService({
          clients: aws,
          loader,
          ttlMs: 0,
          withBackups: false,
        }),
        ecr: new EcrService({ clients: aws, loader, ttlMs: 0, maxImages: 1 }),
        eks,
        kubernetes,
        clusters,
        logger,
        source: new ClusterSnapshotSource({ kubernetes: kubernetes, eks: eks }),
      },
      iam: {
        clients: aws,
        loader,
        ttlMs: 0,
        simulate: this.options.simulatePolicies,
      },
      iamReader: this.iamReader,
    });
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
