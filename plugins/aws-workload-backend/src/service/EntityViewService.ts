import {
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_ECR_REPOSITORY_ARN,
  ANNOTATION_KUBERNETES_ID,
  Check,
  checkIrsaChain,
  checkPodIdentityChain,
  withFixArtefacts,
  classifyWorkload,
  EntityAwsWorkloadResponse,
  getDynamoDbActions,
  getDynamoDbTableArn,
  getEcrRepositoryArn,
  getEksClusterName,
  getKubernetesLookup,
  IamRoleFacts,
  ImageInfo,
  Lookup,
  OidcProviderFacts,
  oidcProviderArnForIssuer,
  parseIamRoleArn,
  Pod,
  PodInfo,
  SecretAccess,
  secretProviderClassNames,
  Section,
  serviceAccountNameOf,
  TableAccess,
  toWorkloadInput,
  WorkloadClassification,
  WorkloadInfo,
  ANNOTATION_EKS_CLUSTER_NAME,
} from '@aws-workload/plugin-aws-workload-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DynamoDbService } from './DynamoDbService';
import { EcrService } from './EcrService';
import { EksService } from './EksService';
import { lookup } from '../lib/lookup';
import { IamService, RoleUse } from './IamService';
import { ClusterDetails, clustersFor, eksRefOf } from './ClusterConfig';
import { belongsTo, KubernetesService } from './KubernetesService';
import { SecretsManagerService } from './SecretsManagerService';
import { secretsOfProviderClass } from '../lib/secretProviderObjects';
import { isEntityStateError } from '../lib/awsErrors';
import { forReaders } from './readerErrors';
import { LookupGuard } from './LookupGuard';
import { PerEntitySource, WorkloadSource } from './WorkloadSource';
import { SharedAnswers } from '../lib/SharedAnswers';
import { withFreshReads } from '../lib/freshReads';

export interface EntityViewDeps {
  dynamoDb: DynamoDbService;
  ecr: EcrService;
  eks: EksService;
  iam: IamService;
  kubernetes: KubernetesService;
  clusters: ClusterDetails[];
  logger: LoggerService;
  /** The portal's opt-in limits on what annotations may look up. */
  guard?: LookupGuard;
  demo: boolean;
  /** Where workloads come from; by default, per entity (the entity endpoint). */
  source?: WorkloadSource;
  /**
   * Reads the secrets the pods mount through the Secrets Store CSI driver;
   * without it, the chain has no secrets link.
   */
  secretsManager?: SecretsManagerService;
}

/** Errors as the API shows them: the name and message, never a stack or a body. */
type KubernetesLookup = NonNullable<ReturnType<typeof getKubernetesLookup>>;

const ok = <T>(data: T): Section<T> => ({
  status: 'ok',
  data,
  fetchedAt: new Date().toISOString(),
});

/**
 * How long an assembled view is shared between requests for the same entity:
 * a page open in many browsers costs one assembly per entity in that time.
 */
const RECENT_VIEW_MS = 5_000;
/** The key holds the annotations: a changed entity is never answered from before. */
const recentKey = (entity: Entity) =>
  JSON.stringify([
    stringifyEntityRef(entity),
    entity.metadata.annotations ?? {},
  ]);

const MAX_RECENT_VIEWS = 5_000;

/**
 * The entity view: the table, the images and the workloads of one entity,
 * each section on its own, so one failing upstream never fails the others.
 */
export class EntityViewService {
  private readonly source: WorkloadSource;
  private readonly recent = new SharedAnswers<EntityAwsWorkloadResponse>({
    ttlMs: RECENT_VIEW_MS,
    maxEntries: MAX_RECENT_VIEWS,
  });

  /** A section's error as readers see it; what they may not see goes to the log. */
  private sectionError(
    entity: Entity,
    e: unknown,
    annotation?: string,
  ): Section<never> {
    const { detail, ...error } = forReaders(e, annotation);
    if (detail !== undefined) {
      this.deps.logger.warn(
        `aws-workload: ${stringifyEntityRef(entity)}: ${error.name}: ${detail}`,
      );
    }
    return {
      status: 'error',
      error: isEntityStateError(e) ? { ...error, lasting: true } : error,
    };
  }

  constructor(private readonly deps: EntityViewDeps) {
    this.source = deps.source ?? new PerEntitySource(deps.kubernetes, deps.eks);
  }

  /**
   * The view, assembled at most once per entity every few seconds. The key
   * holds the annotations, so a changed entity is never answered from before.
   */
  getRecentEntityView(entity: Entity): Promise<EntityAwsWorkloadResponse> {
    return this.recent.get(recentKey(entity), () => this.getEntityView(entity));
  }

  /**
   * The view read anew from every upstream, caches bypassed for this
   * entity's reads only; the answer then serves the views after it.
   */
  recheckEntityView(entity: Entity): Promise<EntityAwsWorkloadResponse> {
    return withFreshReads(() =>
      this.recent.refresh(recentKey(entity), () => this.getEntityView(entity)),
    );
  }

  async getEntityView(entity: Entity): Promise<EntityAwsWorkloadResponse> {
    const [table, images, workloads] = await Promise.all([
      this.tableSection(entity),
      this.imagesSection(entity),
      this.workloadsSection(entity),
    ]);
    return {
      entityRef: stringifyEntityRef(entity),
      ...(this.deps.demo ? { demo: true as const } : {}),
      table,
      images: markRunning(images, workloads),
      workloads,
    };
  }

  private async tableSection(
    entity: Entity,
  ): Promise<EntityAwsWorkloadResponse['table']> {
    const arn = getDynamoDbTableArn(entity);
    if (!arn)
      return { status: 'absent', annotation: ANNOTATION_DYNAMODB_TABLE_ARN };
    try {
      this.deps.guard?.checkTable(arn);
      return ok(await this.deps.dynamoDb.describeTable(arn));
    } catch (e) {
      return this.sectionError(entity, e, ANNOTATION_DYNAMODB_TABLE_ARN);
    }
  }

  private async imagesSection(entity: Entity): Promise<Section<ImageInfo[]>> {
    const arn = getEcrRepositoryArn(entity);
    if (!arn)
      return { status: 'absent', annotation: ANNOTATION_ECR_REPOSITORY_ARN };
    try {
      this.deps.guard?.checkRepository(arn);
      return ok(await this.deps.ecr.newestImages(arn));
    } catch (e) {
      return this.sectionError(entity, e, ANNOTATION_ECR_REPOSITORY_ARN);
    }
  }

  private async workloadsSection(
    entity: Entity,
  ): Promise<Section<WorkloadInfo[]>> {
    let podLookup;
    try {
      podLookup = getKubernetesLookup(entity);
    } catch (e) {
      return this.sectionError(entity, e);
    }
    if (!podLookup)
      return { status: 'absent', annotation: ANNOTATION_KUBERNETES_ID };
    const clusters = clustersFor(this.deps.clusters, getEksClusterName(entity));
    if (clusters.length === 0) {
      const name = getEksClusterName(entity);
      return this.sectionError(
        entity,
        new NotFoundError(
          name
            ? `No cluster named ${name} in kubernetes.clusterLocatorMethods (type config): add it there, or correct the ${ANNOTATION_EKS_CLUSTER_NAME} annotation.`
            : 'No Kubernetes cluster is configured: add one to kubernetes.clusterLocatorMethods (type config) in app-config.',
        ),
      );
    }
    try {
      this.deps.guard?.checkWorkloads(clusters, podLookup);
      const perCluster = await Promise.all(
        clusters.map(c => this.clusterWorkloads(entity, c, podLookup)),
      );
      return ok(perCluster.flat());
    } catch (e) {
      return this.sectionError(entity, e);
    }
  }

  /**
   * The entity's workloads on one cluster, classified, before any IAM call:
   * what the chain checks start from.
   */
  private async classifyCluster(
    cluster: ClusterDetails,
    podLookup: KubernetesLookup,
  ): Promise<ClassifiedWorkload[]> {
    const { source } = this;
    const readout = await source.workloads(
      cluster,
      podLookup.labelSelector,
      podLookup.namespace,
    );
    const pods = readout.pods as Pod[];
    const owned = new Set<Pod>();
    const inputs = readout.workloads.map(w => {
      const mine = pods.filter(p => belongsTo(p, w));
      mine.forEach(p => owned.add(p));
      return toWorkloadInput(w as any, mine)!;
    });
    // Pods no listed workload owns (bare pods, Jobs) are workloads of their own.
    pods
      .filter(p => !owned.has(p))
      .forEach(p =>
        inputs.push(toWorkloadInput({ ...p, kind: 'Pod' } as any)!),
      );

    const saRefs = uniqueBy(
      inputs.map(i => ({
        namespace: i.metadata.namespace ?? 'default',
        name: serviceAccountNameOf(i.template.spec),
      })),
      r => `${r.namespace}/${r.name}`,
    );
    const [serviceAccounts, associations] = await Promise.all([
      source.serviceAccounts(cluster, saRefs).catch(e => {
        this.deps.logger.warn(
          `ServiceAccounts of ${cluster.name} unreadable: ${e}`,
        );
        return undefined;
      }),
      Promise.all(
        saRefs.map(r =>
          source
            .association(cluster, r.namespace, r.name)
            .then(a => [r, a] as const),
        ),
      ),
    ]);
    const podIdentityAssociations = associations.every(
      ([, a]) => a.status !== 'unknown',
    )
      ? associations.flatMap(([r, a]) =>
          a.status === 'found'
            ? [{ namespace: r.namespace, serviceAccount: r.name, ...a.value }]
            : [],
        )
      : undefined;

    return inputs.map(input => {
      const classification = classifyWorkload(input, {
        serviceAccounts,
        podIdentityAssociations,
      });
      const association = associations.find(
        ([r]) =>
          r.namespace === classification.namespace &&
          r.name === classification.serviceAccount,
      )?.[1];
      return { pods: input.pods, classification, association };
    });
  }

  private async clusterWorkloads(
    entity: Entity,
    cluster: ClusterDetails,
    podLookup: KubernetesLookup,
  ): Promise<WorkloadInfo[]> {
    const classified = await this.classifyCluster(cluster, podLookup);
    return Promise.all(
      classified.map(async ({ pods, classification, association }) => {
        const checks = await this.chainChecks(
          entity,
          cluster,
          classification,
          pods,
          association,
        );
        const { findings, ...rest } = classification;
        return {
          ...rest,
          cluster: cluster.name,
          checks: [
            ...checks,
            ...withFixArtefacts(classification, findings, {
              clusterName: eksRefOf(cluster).name,
              table: this.tableOf(entity),
            }),
          ],
          pods: pods.map(podInfo),
        };
      }),
    );
  }

  /**
   * The roles the entity's workloads run as, with the table and actions the
   * chain check asks about: what the fleet reads and simulates once per
   * role. Unreadable clusters are left out; the view reports them.
   */
  async roleUses(entity: Entity): Promise<RoleUse[]> {
    let podLookup: KubernetesLookup | undefined;
    try {
      podLookup = getKubernetesLookup(entity);
    } catch {
      // The view reports the malformed annotation.
      return [];
    }
    if (!podLookup) return [];
    const table = this.tableOf(entity);
    const guarded =
      table && this.tableAllowed(table.tableArn) ? table : undefined;
    const clusters = clustersFor(this.deps.clusters, getEksClusterName(entity));
    const classified = await Promise.all(
      clusters.map(c => this.classifyCluster(c, podLookup!).catch(() => [])),
    );
    return classified
      .flat()
      .filter(w => ['irsa', 'pod-identity'].includes(w.classification.mode))
      .map(w => w.classification.roleArn)
      .filter((arn): arn is string => Boolean(arn) && validRoleArn(arn!))
      .map(roleArn => ({ roleArn, table: guarded }));
  }

  /** Whether the portal's guard lets the table be read; the view reports a refusal. */
  private tableAllowed(tableArn: string): boolean {
    try {
      this.deps.guard?.checkTable(tableArn);
      return true;
    } catch {
      return false;
    }
  }

  private async chainChecks(
    entity: Entity,
    cluster: ClusterDetails,
    workload: WorkloadClassification,
    pods: Pod[],
    association:
      | Lookup<{ roleArn?: string; associationArn?: string }>
      | undefined,
  ): Promise<Check[]> {
    if (workload.mode !== 'irsa' && workload.mode !== 'pod-identity') return [];
    const { iam, eks } = this.deps;
    const roleArn = workload.roleArn ?? '';
    const eksRef = eksRefOf(cluster);
    // Independent lookups run together: the view's latency is the depth of
    // the longest chain (role -> policies -> policy version), not the sum.
    const [role, table, issuer, secrets] = await Promise.all([
      validRoleArn(roleArn)
        ? iam.getRole(roleArn)
        : ({
            status: 'unknown',
            reason: 'no valid role ARN',
          } as Lookup<IamRoleFacts>),
      this.tableAccess(entity, roleArn),
      workload.mode === 'irsa'
        ? lookup<string>(async () => {
            const facts = await eks.describeCluster(eksRef);
            return facts.oidcIssuer
              ? { status: 'found', value: facts.oidcIssuer }
              : { status: 'not-found' };
          })
        : undefined,
      this.secretAccess(cluster, workload, pods, roleArn),
    ]);
    if (workload.mode === 'pod-identity' || !issuer) {
      return checkPodIdentityChain({
        workload,
        pods,
        clusterName: eksRef.name,
        association: association ?? {
          status: 'unknown',
          reason: 'not looked up',
        },
        role,
        table,
        secrets,
      });
    }
    const oidcProvider = await this.oidcProviderOf(issuer, roleArn);
    return checkIrsaChain({
      workload,
      pods,
      role,
      oidcIssuer: issuer,
      oidcProvider,
      table,
      secrets,
    });
  }

  /**
   * The Secrets Manager secrets the pods mount through the Secrets Store CSI
   * driver's AWS provider: the SecretProviderClasses their volumes name,
   * read in the workload's namespace, and each secret's ARN.
   */
  private async secretAccess(
    cluster: ClusterDetails,
    workload: WorkloadClassification,
    pods: Pod[],
    roleArn: string,
  ): Promise<SecretAccess[] | undefined> {
    const { secretsManager, kubernetes } = this.deps;
    const names = secretProviderClassNames(pods);
    if (!secretsManager || names.length === 0) return undefined;
    const roleAccount = validRoleArn(roleArn)
      ? parseIamRoleArn(roleArn).accountId
      : undefined;
    const region = eksRefOf(cluster).region;
    const perClass = await Promise.all(
      names.map(async (providerClass): Promise<SecretAccess[]> => {
        const spc = await kubernetes
          .readSecretProviderClass(cluster, workload.namespace, providerClass)
          .catch(e => e as Error);
        if (spc instanceof Error || spc === null) {
          const reason =
            spc === null
              ? `there is no SecretProviderClass ${providerClass} in ${workload.namespace}`
              : `${spc.name}: ${spc.message}`;
          return [
            {
              providerClass,
              secretId: providerClass,
              secret: { status: 'unknown', reason },
            },
          ];
        }
        return Promise.all(
          secretsOfProviderClass(spc).map(async s => ({
            providerClass,
            secretId: s.secretId,
            secret: await secretsManager.describeSecret(
              s.secretId,
              s.accountId ?? roleAccount,
              s.region ?? region,
            ),
          })),
        );
      }),
    );
    return perClass.flat();
  }

  private async oidcProviderOf(
    issuer: Lookup<string>,
    roleArn: string,
  ): Promise<Lookup<OidcProviderFacts>> {
    if (issuer.status !== 'found' || !validRoleArn(roleArn)) {
      return {
        status: 'unknown',
        reason: 'the OIDC issuer or the role ARN is not known',
      };
    }
    const { accountId, partition } = parseIamRoleArn(roleArn);
    return this.deps.iam.getOidcProvider(
      oidcProviderArnForIssuer(issuer.value, accountId, partition),
      accountId,
      partition,
    );
  }

  /** The entity's table and actions, when its annotations name them well. */
  private tableOf(
    entity: Entity,
  ): { tableArn: string; actions: string[] } | undefined {
    try {
      const tableArn = getDynamoDbTableArn(entity);
      return tableArn
        ? { tableArn, actions: getDynamoDbActions(entity) }
        : undefined;
    } catch {
      // The table section reports the malformed annotation.
      return undefined;
    }
  }

  private async tableAccess(
    entity: Entity,
    roleArn: string,
  ): Promise<TableAccess | undefined> {
    const tableArn = getDynamoDbTableArn(entity);
    if (!tableArn) return undefined;
    const actions = getDynamoDbActions(entity);
    const simulated = validRoleArn(roleArn)
      ? await this.deps.iam.simulateTableAccess(roleArn, tableArn, actions)
      : undefined;
    return { tableArn, actions, simulated };
  }
}

interface ClassifiedWorkload {
  pods: Pod[];
  classification: WorkloadClassification;
  association?: Lookup<{ roleArn?: string; associationArn?: string }>;
}

function validRoleArn(roleArn: string): boolean {
  try {
    parseIamRoleArn(roleArn);
    return true;
  } catch {
    return false;
  }
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  items.forEach(i => seen.set(key(i), seen.get(key(i)) ?? i));
  return [...seen.values()];
}

/** The digest a container runs, from its status imageID (…@sha256:…). */
const digestOf = (imageId?: string) =>
  /@(sha256:[a-f0-9]{64})$/.exec(imageId ?? '')?.[1];

function podInfo(pod: Pod): PodInfo {
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata.name ?? '',
    phase: pod.status?.phase,
    startedAt: pod.status?.startTime
      ? new Date(pod.status.startTime).toISOString()
      : undefined,
    ...(statuses.length
      ? {
          readyContainers: statuses.filter(s => s.ready).length,
          containers: statuses.length,
          restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
        }
      : {}),
    images: (pod.spec?.containers ?? []).map(c => {
      const status = statuses.find(s => s.name === c.name);
      return {
        container: c.name,
        image: c.image,
        digest: digestOf(status?.imageID),
      };
    }),
  };
}

function markRunning(
  images: Section<ImageInfo[]>,
  workloads: Section<WorkloadInfo[]>,
): Section<ImageInfo[]> {
  if (images.status !== 'ok' || workloads.status !== 'ok') return images;
  const running = new Set(
    workloads.data
      .flatMap(w => w.pods.flatMap(p => p.images.map(i => i.digest)))
      .filter(Boolean),
  );
  return {
    ...images,
    data: images.data.map(i => ({ ...i, running: running.has(i.digest) })),
  };
}
