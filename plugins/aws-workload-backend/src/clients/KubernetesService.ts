import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1Pod,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import {
  findPodTemplate,
  Pod,
  ServiceAccount,
} from '@aws-workload/plugin-aws-workload-common';
import fs from 'node:fs/promises';
import { cacheKey, Loader, ReaderOptions } from './CachedLoader';
import { ClusterDetails, CustomResourceRef } from './ClusterConfig';
import { ClusterCredentials } from './ClusterCredentials';
import { redactObject } from './redact';
import { RequestGate } from './RequestGate';

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const PAGE_SIZE = 500;

export interface WorkloadObject {
  apiVersion?: string;
  kind: string;
  metadata: V1Pod['metadata'];
  spec?: any;
}

export interface ClusterReadout {
  workloads: WorkloadObject[];
  pods: V1Pod[];
}

export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`${what} timed out after ${ms} ms`), {
            name: 'TimeoutError',
          }),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Pages through a Kubernetes list call. */
async function listAll<T>(
  page: (
    cont?: string,
  ) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
) {
  const items: T[] = [];
  let cont: string | undefined;
  do {
    const result = await page(cont);
    items.push(...result.items);
    cont = result.metadata?._continue || undefined;
  } while (cont);
  return items;
}

/** Only what the classifier reads of a ServiceAccount: never its secrets list. */
const serviceAccountFacts = (sa: V1ServiceAccount): ServiceAccount => ({
  metadata: {
    name: sa.metadata?.name,
    namespace: sa.metadata?.namespace,
    annotations: sa.metadata?.annotations,
  },
});

/**
 * Reads pods, workloads and ServiceAccounts with @kubernetes/client-node:
 * one list per kind and cluster by the entity's label selector, one read per
 * distinct ServiceAccount; never one call per pod, never a Secret.
 */
export class KubernetesService {
  private readonly identity: ClusterCredentials;
  private readonly loader: Loader;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly gate?: RequestGate;
  private readonly gateAttempts: number;

  constructor(
    options: ReaderOptions & {
      /** Each list or read gives up after this long. */
      timeoutMs: number;
      /** The fleet's gate: calls bounded per cluster, 429s retried. */
      gate?: RequestGate;
      /** Attempts per call through the gate. */
      gateAttempts?: number;
    },
  ) {
    this.loader = options.loader;
    this.timeoutMs = options.timeoutMs;
    this.ttlMs = options.ttlMs;
    this.gate = options.gate;
    this.gateAttempts = options.gateAttempts ?? 1;
    this.identity = new ClusterCredentials({
      aws: options.clients,
      inClusterToken: () =>
        fs.readFile(IN_CLUSTER_TOKEN, 'utf8').catch(() => undefined),
    });
  }

  /** One API call through the gate: bounded per cluster, 429s retried. */
  private call<T>(cluster: ClusterDetails, fn: () => Promise<T>): Promise<T> {
    return this.gate
      ? this.gate.run(
          `k8s:${cluster.name}`,
          'kubernetes',
          fn,
          this.gateAttempts,
        )
      : fn();
  }

  private async kubeConfig(cluster: ClusterDetails): Promise<KubeConfig> {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          caFile: cluster.caFile,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [
        { name: 'aws-workload', token: await this.identity.token(cluster) },
      ],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: 'aws-workload' },
      ],
      currentContext: cluster.name,
    });
    return kc;
  }

  private timed<T>(cluster: ClusterDetails, what: string, call: Promise<T>) {
    return withTimeout(
      call,
      this.timeoutMs,
      `Kubernetes ${what} on cluster ${cluster.name}`,
    );
  }

  /** Pods and workloads that match the selector, in one namespace or all, env values redacted. */
  readWorkloads(
    cluster: ClusterDetails,
    labelSelector: string,
    namespace?: string,
  ): Promise<ClusterReadout> {
    return this.loader.load(
      cacheKey('k8s:workloads', cluster.name, namespace ?? null, labelSelector),
      this.ttlMs,
      () => this.listWorkloads(cluster, labelSelector, namespace),
    );
  }

  private async listWorkloads(
    cluster: ClusterDetails,
    labelSelector: string,
    namespace?: string,
  ): Promise<ClusterReadout> {
    const kc = await this.kubeConfig(cluster);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const list = <T>(
      what: string,
      namespaced: (p: any) => Promise<any>,
      all: (p: any) => Promise<any>,
    ) =>
      this.timed(
        cluster,
        `list ${what}`,
        listAll<T>(cont => {
          const params = { labelSelector, limit: PAGE_SIZE, _continue: cont };
          return this.call(cluster, () =>
            namespace ? namespaced({ ...params, namespace }) : all(params),
          );
        }),
      );
    const [pods, deployments, statefulSets, daemonSets, cronJobs] =
      await Promise.all([
        list<V1Pod>(
          'pods',
          p => core.listNamespacedPod(p),
          p => core.listPodForAllNamespaces(p),
        ),
        list<any>(
          'deployments',
          p => apps.listNamespacedDeployment(p),
          p => apps.listDeploymentForAllNamespaces(p),
        ),
        list<any>(
          'statefulsets',
          p => apps.listNamespacedStatefulSet(p),
          p => apps.listStatefulSetForAllNamespaces(p),
        ),
        list<any>(
          'daemonsets',
          p => apps.listNamespacedDaemonSet(p),
          p => apps.listDaemonSetForAllNamespaces(p),
        ),
        list<any>(
          'cronjobs',
          p => batch.listNamespacedCronJob(p),
          p => batch.listCronJobForAllNamespaces(p),
        ),
      ]);
    const custom = await Promise.all(
      (cluster.customResources ?? []).map(resource =>
        this.listCustomWorkloads(kc, resource, list),
      ),
    );
    const kinded = (kind: string, items: any[]) =>
      items.map(i => redactObject({ ...i, kind }));
    return {
      pods: pods.map(p => redactObject({ ...p, kind: 'Pod' })),
      workloads: [
        ...kinded('Deployment', deployments),
        ...kinded('StatefulSet', statefulSets),
        ...kinded('DaemonSet', daemonSets),
        ...kinded('CronJob', cronJobs),
        ...custom.flat().map(i => redactObject(i)),
      ],
    };
  }

  /**
   * The objects of a custom resource the portal fetches that carry a pod
   * spec, found by shape as the offline inspector finds them. A resource
   * whose CRD is not installed on this cluster lists as nothing.
   */
  private async listCustomWorkloads(
    kc: KubeConfig,
    resource: CustomResourceRef,
    list: <T>(
      what: string,
      namespaced: (p: any) => Promise<any>,
      all: (p: any) => Promise<any>,
    ) => Promise<T[]>,
  ): Promise<WorkloadObject[]> {
    const api = kc.makeApiClient(CustomObjectsApi);
    const { group, apiVersion: version, plural } = resource;
    try {
      const items = await list<any>(
        `${plural}.${group}`,
        p => api.listNamespacedCustomObject({ group, version, plural, ...p }),
        p => api.listClusterCustomObject({ group, version, plural, ...p }),
      );
      return items.filter(i => i?.kind && findPodTemplate(i));
    } catch (e) {
      if ((e as { code?: number }).code === 404) return [];
      throw e;
    }
  }

  /**
   * A SecretProviderClass of the Secrets Store CSI driver: its provider and
   * parameters; null where there is none (or the CRD is not installed).
   */
  readSecretProviderClass(
    cluster: ClusterDetails,
    namespace: string,
    name: string,
  ): Promise<SecretProviderClassFacts | null> {
    return this.loader.load(
      cacheKey('k8s:spc', cluster.name, namespace, name),
      this.ttlMs,
      async () => {
        const api = (await this.kubeConfig(cluster)).makeApiClient(
          CustomObjectsApi,
        );
        try {
          const spc: any = await this.timed(
            cluster,
            `read secretproviderclass ${namespace}/${name}`,
            this.call(cluster, () =>
              api.getNamespacedCustomObject({
                group: 'secrets-store.csi.x-k8s.io',
                version: 'v1',
                namespace,
                plural: 'secretproviderclasses',
                name,
              }),
            ),
          );
          return {
            provider: String(spc?.spec?.provider ?? ''),
            parameters: Object.fromEntries(
              Object.entries(spc?.spec?.parameters ?? {}).map(([k, v]) => [
                k,
                String(v),
              ]),
            ),
          };
        } catch (e) {
          if ((e as { code?: number }).code === 404) return null;
          throw e;
        }
      },
    );
  }

  /** Every ServiceAccount of the cluster, in pages: one list for a whole fleet. */
  listServiceAccounts(cluster: ClusterDetails): Promise<ServiceAccount[]> {
    return this.loader.load(
      cacheKey('k8s:sa-all', cluster.name),
      this.ttlMs,
      async () => {
        const core = (await this.kubeConfig(cluster)).makeApiClient(CoreV1Api);
        const items = await this.timed(
          cluster,
          'list serviceaccounts',
          listAll<V1ServiceAccount>(cont =>
            this.call(cluster, () =>
              core.listServiceAccountForAllNamespaces({
                limit: PAGE_SIZE,
                _continue: cont,
              }),
            ),
          ),
        );
        return items.map(serviceAccountFacts);
      },
    );
  }

  /** The named ServiceAccounts; one that does not exist is left out. */
  async readServiceAccounts(
    cluster: ClusterDetails,
    refs: { namespace: string; name: string }[],
  ): Promise<ServiceAccount[]> {
    const kc = await this.kubeConfig(cluster);
    const core = kc.makeApiClient(CoreV1Api);
    const found = await Promise.all(
      refs.map(ref =>
        // null, not undefined, so that "no such ServiceAccount" is cached too.
        this.loader.load(
          cacheKey('k8s:sa', cluster.name, ref.namespace, ref.name),
          this.ttlMs,
          () =>
            this.timed(
              cluster,
              `read serviceaccount ${ref.namespace}/${ref.name}`,
              this.call(cluster, () => core.readNamespacedServiceAccount(ref)),
            )
              .then((sa: V1ServiceAccount): ServiceAccount | null =>
                serviceAccountFacts(sa),
              )
              .catch(e => {
                if ((e as { code?: number }).code === 404) return null;
                throw e;
              }),
        ),
      ),
    );
    return found.filter((sa): sa is ServiceAccount => sa !== null);
  }
}

/** Knative labels each pod with the Service it serves. */
const KNATIVE_SERVICE_LABEL = 'serving.knative.dev/service';

/**
 * Whether a pod belongs to a workload: by owner, through its ReplicaSet or
 * Job (Deployments, Argo Rollouts, CronJobs), or by Knative's label.
 */
export function belongsTo(pod: Pod, workload: WorkloadObject): boolean {
  if (pod.metadata.namespace !== workload.metadata?.namespace) return false;
  const name = workload.metadata?.name ?? '';
  if (String(workload.apiVersion ?? '').startsWith('serving.knative.dev/')) {
    return pod.metadata.labels?.[KNATIVE_SERVICE_LABEL] === name;
  }
  return (pod.metadata.ownerReferences ?? []).some(owner => {
    switch (workload.kind) {
      case 'Deployment':
      case 'Rollout':
        return owner.kind === 'ReplicaSet' && owner.name.startsWith(`${name}-`);
      case 'CronJob':
        return owner.kind === 'Job' && owner.name.startsWith(`${name}-`);
      default:
        return owner.kind === workload.kind && owner.name === name;
    }
  });
}

/** What the backend reads of a SecretProviderClass: nothing secret. */
export interface SecretProviderClassFacts {
  provider: string;
  parameters: Record<string, string>;
}
