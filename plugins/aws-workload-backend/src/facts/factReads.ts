import {
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_ECR_REPOSITORY_ARN,
  ANNOTATION_EKS_CLUSTER_NAME,
  ANNOTATION_KUBERNETES_ID,
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
  SecretAccess,
  secretProviderClassNames,
  Section,
  serviceAccountNameOf,
  TableAccess,
  TableInfo,
  toWorkloadInput,
  WorkloadClassification,
} from '@aws-workload/plugin-aws-workload-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { classifyWorkloadFacts } from '../assessment/classifyWorkloadFacts';
import { isEntityStateError } from '../lib/awsErrors';
import { lookup } from '../lib/lookup';
import { secretsOfProviderClass } from '../lib/secretProviderObjects';
import {
  ClusterDetails,
  clustersFor,
  eksRefOf,
} from '../clients/ClusterConfig';
import { DynamoDbService } from '../clients/DynamoDbService';
import { EcrService } from '../clients/EcrService';
import { EksService } from '../clients/EksService';
import { IamService, RoleUse } from '../clients/IamService';
import { belongsTo, KubernetesService } from '../clients/KubernetesService';
import { SecretsManagerService } from '../clients/SecretsManagerService';
import { LookupGuard } from './LookupGuard';
import { forReaders } from '../lib/readerErrors';
import { CredentialFacts, WorkloadFacts } from './EntityFacts';
import { WorkloadSource } from './WorkloadSource';

/** The clients and settings the facts are read with. */
export interface FactReaders {
  dynamoDb: DynamoDbService;
  ecr: EcrService;
  eks: EksService;
  iam: IamService;
  kubernetes: KubernetesService;
  clusters: ClusterDetails[];
  logger: LoggerService;
  /** Where workloads come from: per entity, or a cluster snapshot. */
  source: WorkloadSource;
  /** The portal's opt-in limits on what annotations may look up. */
  guard?: LookupGuard;
  /**
   * Reads the secrets the pods mount through the Secrets Store CSI driver;
   * without it, the chain has no secrets link.
   */
  secretsManager?: SecretsManagerService;
}

type KubernetesLookup = NonNullable<ReturnType<typeof getKubernetesLookup>>;

const ok = <T>(data: T): Section<T> => ({
  status: 'ok',
  data,
  fetchedAt: new Date().toISOString(),
});

/** A section's error as readers see it; what they may not see goes to the log. */
export function sectionError(
  logger: LoggerService,
  entity: Entity,
  e: unknown,
  annotation?: string,
): Section<never> {
  const { detail, ...error } = forReaders(e, annotation);
  if (detail !== undefined) {
    logger.warn(
      `aws-workload: ${stringifyEntityRef(entity)}: ${error.name}: ${detail}`,
    );
  }
  return {
    status: 'error',
    error: isEntityStateError(e) ? { ...error, lasting: true } : error,
  };
}

export async function readTableFacts(
  readers: FactReaders,
  entity: Entity,
): Promise<Section<TableInfo>> {
  const arn = getDynamoDbTableArn(entity);
  if (!arn)
    return { status: 'absent', annotation: ANNOTATION_DYNAMODB_TABLE_ARN };
  try {
    readers.guard?.checkTable(arn);
    return ok(await readers.dynamoDb.describeTable(arn));
  } catch (e) {
    return sectionError(
      readers.logger,
      entity,
      e,
      ANNOTATION_DYNAMODB_TABLE_ARN,
    );
  }
}

export async function readImageFacts(
  readers: FactReaders,
  entity: Entity,
): Promise<Section<ImageInfo[]>> {
  const arn = getEcrRepositoryArn(entity);
  if (!arn)
    return { status: 'absent', annotation: ANNOTATION_ECR_REPOSITORY_ARN };
  try {
    readers.guard?.checkRepository(arn);
    return ok(await readers.ecr.newestImages(arn));
  } catch (e) {
    return sectionError(
      readers.logger,
      entity,
      e,
      ANNOTATION_ECR_REPOSITORY_ARN,
    );
  }
}

/** The entity's table and actions, when its annotations name them well. */
export function tableRefOf(
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

/**
 * The entity's workloads on every cluster it names, with what the classifier
 * needs, but none of their credentials yet: no IAM call is made here.
 */
export async function readWorkloadFacts(
  readers: FactReaders,
  entity: Entity,
): Promise<Section<WorkloadFacts[]>> {
  const { logger } = readers;
  let podLookup;
  try {
    podLookup = getKubernetesLookup(entity);
  } catch (e) {
    return sectionError(logger, entity, e);
  }
  if (!podLookup)
    return { status: 'absent', annotation: ANNOTATION_KUBERNETES_ID };
  const name = getEksClusterName(entity);
  const clusters = clustersFor(readers.clusters, name);
  if (clusters.length === 0) {
    return sectionError(
      logger,
      entity,
      new NotFoundError(
        name
          ? `No cluster named ${name} in kubernetes.clusterLocatorMethods (type config): add it there, or correct the ${ANNOTATION_EKS_CLUSTER_NAME} annotation.`
          : 'No Kubernetes cluster is configured: add one to kubernetes.clusterLocatorMethods (type config) in app-config.',
      ),
    );
  }
  try {
    readers.guard?.checkWorkloads(clusters, podLookup);
    const perCluster = await Promise.all(
      clusters.map(c => clusterWorkloadFacts(readers, c, podLookup)),
    );
    return ok(perCluster.flat());
  } catch (e) {
    return sectionError(logger, entity, e);
  }
}

/** The entity's workloads on one cluster, with its ServiceAccounts and associations. */
async function clusterWorkloadFacts(
  readers: FactReaders,
  cluster: ClusterDetails,
  podLookup: KubernetesLookup,
): Promise<WorkloadFacts[]> {
  const { source, logger } = readers;
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
    .forEach(p => inputs.push(toWorkloadInput({ ...p, kind: 'Pod' } as any)!));

  const saRefs = uniqueBy(
    inputs.map(i => ({
      namespace: i.metadata.namespace ?? 'default',
      name: serviceAccountNameOf(i.template.spec),
    })),
    r => `${r.namespace}/${r.name}`,
  );
  const [serviceAccounts, associations] = await Promise.all([
    source.serviceAccounts(cluster, saRefs).catch(e => {
      logger.warn(`ServiceAccounts of ${cluster.name} unreadable: ${e}`);
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
  const context = { serviceAccounts, podIdentityAssociations };
  const eksCluster = eksRefOf(cluster).name;

  return inputs.map(input => {
    const namespace = input.metadata.namespace ?? 'default';
    const serviceAccount = serviceAccountNameOf(input.template.spec);
    const association = associations.find(
      ([r]) => r.namespace === namespace && r.name === serviceAccount,
    )?.[1];
    return {
      cluster: cluster.name,
      eksCluster,
      input,
      context,
      ...(association ? { association } : {}),
    };
  });
}

/** How a workload's pods get credentials: what decides which links to read. */
const credentialPlanOf = classifyWorkloadFacts;

const runsAsRole = (c: WorkloadClassification) =>
  c.mode === 'irsa' || c.mode === 'pod-identity';

/**
 * The roles the workloads run as, with the table and actions the chain check
 * asks about: what the fleet reads and simulates once per role.
 */
export function roleUsesOf(
  readers: FactReaders,
  entity: Entity,
  workloads: Section<WorkloadFacts[]>,
): RoleUse[] {
  if (workloads.status !== 'ok') return [];
  const table = tableRefOf(entity);
  const guarded =
    table && tableAllowed(readers, table.tableArn) ? table : undefined;
  return workloads.data
    .map(credentialPlanOf)
    .filter(runsAsRole)
    .map(c => c.roleArn)
    .filter((arn): arn is string => Boolean(arn) && validRoleArn(arn!))
    .map(roleArn => ({ roleArn, table: guarded }));
}

/** Whether the portal's guard lets the table be read; the view reports a refusal. */
function tableAllowed(readers: FactReaders, tableArn: string): boolean {
  try {
    readers.guard?.checkTable(tableArn);
    return true;
  } catch {
    return false;
  }
}

/** The workloads with the credentials of those that run as a role. */
export async function withCredentialFacts(
  readers: FactReaders,
  entity: Entity,
  workloads: Section<WorkloadFacts[]>,
): Promise<Section<WorkloadFacts[]>> {
  if (workloads.status !== 'ok') return workloads;
  try {
    const data = await Promise.all(
      workloads.data.map(async w => {
        const credentials = await readCredentialFacts(readers, entity, w);
        return credentials ? { ...w, credentials } : w;
      }),
    );
    return { ...workloads, data };
  } catch (e) {
    return sectionError(readers.logger, entity, e);
  }
}

/**
 * The links of a workload's credential chain, as read. Independent lookups
 * run together: the latency is the depth of the longest chain (role ->
 * policies -> policy version), not the sum.
 */
async function readCredentialFacts(
  readers: FactReaders,
  entity: Entity,
  workload: WorkloadFacts,
): Promise<CredentialFacts | undefined> {
  const plan = credentialPlanOf(workload);
  if (!runsAsRole(plan)) return undefined;
  const { iam, eks } = readers;
  const cluster = readers.clusters.find(c => c.name === workload.cluster)!;
  const roleArn = plan.roleArn ?? '';
  const [role, table, oidcIssuer, secrets] = await Promise.all([
    validRoleArn(roleArn)
      ? iam.getRole(roleArn)
      : ({
          status: 'unknown',
          reason: 'no valid role ARN',
        } as Lookup<IamRoleFacts>),
    tableAccess(readers, entity, roleArn),
    plan.mode === 'irsa'
      ? lookup<string>(async () => {
          const facts = await eks.describeCluster(eksRefOf(cluster));
          return facts.oidcIssuer
            ? { status: 'found', value: facts.oidcIssuer }
            : { status: 'not-found' };
        })
      : undefined,
    secretAccess(
      readers,
      cluster,
      plan.namespace,
      workload.input.pods,
      roleArn,
    ),
  ]);
  return {
    role,
    ...(table ? { table } : {}),
    ...(oidcIssuer
      ? {
          oidcIssuer,
          oidcProvider: await oidcProviderOf(readers, oidcIssuer, roleArn),
        }
      : {}),
    ...(secrets ? { secrets } : {}),
  };
}

/**
 * The Secrets Manager secrets the pods mount through the Secrets Store CSI
 * driver's AWS provider: the SecretProviderClasses their volumes name, read
 * in the workload's namespace, and each secret's ARN.
 */
async function secretAccess(
  readers: FactReaders,
  cluster: ClusterDetails,
  namespace: string,
  pods: Pod[],
  roleArn: string,
): Promise<SecretAccess[] | undefined> {
  const { secretsManager, kubernetes } = readers;
  const names = secretProviderClassNames(pods);
  if (!secretsManager || names.length === 0) return undefined;
  const roleAccount = validRoleArn(roleArn)
    ? parseIamRoleArn(roleArn).accountId
    : undefined;
  const region = eksRefOf(cluster).region;
  const perClass = await Promise.all(
    names.map(async (providerClass): Promise<SecretAccess[]> => {
      const spc = await kubernetes
        .readSecretProviderClass(cluster, namespace, providerClass)
        .catch(e => e as Error);
      if (spc instanceof Error || spc === null) {
        const reason =
          spc === null
            ? `there is no SecretProviderClass ${providerClass} in ${namespace}`
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

async function oidcProviderOf(
  readers: FactReaders,
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
  return readers.iam.getOidcProvider(
    oidcProviderArnForIssuer(issuer.value, accountId, partition),
    accountId,
    partition,
  );
}

async function tableAccess(
  readers: FactReaders,
  entity: Entity,
  roleArn: string,
): Promise<TableAccess | undefined> {
  const tableArn = getDynamoDbTableArn(entity);
  if (!tableArn) return undefined;
  const actions = getDynamoDbActions(entity);
  const simulated = validRoleArn(roleArn)
    ? await readers.iam.simulateTableAccess(roleArn, tableArn, actions)
    : undefined;
  return { tableArn, actions, simulated };
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
