import {
  ANNOTATION_KUBERNETES_ID,
  Lookup,
  ServiceAccount,
} from '@aws-workload/plugin-aws-workload-common';
import { ClusterDetails, eksRefOf } from '../clients/ClusterConfig';
import { EksService, PodIdentityAssociationFacts } from '../clients/EksService';
import { lookup } from '../lib/lookup';
import {
  ClusterReadout,
  KubernetesService,
} from '../clients/KubernetesService';

/** Where the entity view gets the Kubernetes objects and associations from. */
export interface WorkloadSource {
  workloads(
    cluster: ClusterDetails,
    labelSelector: string,
    namespace?: string,
  ): Promise<ClusterReadout>;
  /** The named ServiceAccounts that exist. */
  serviceAccounts(
    cluster: ClusterDetails,
    refs: { namespace: string; name: string }[],
  ): Promise<ServiceAccount[]>;
  association(
    cluster: ClusterDetails,
    namespace: string,
    serviceAccount: string,
  ): Promise<Lookup<PodIdentityAssociationFacts>>;
}

/** One entity at a time: lists by its selector, reads by name. */
export class PerEntitySource implements WorkloadSource {
  private readonly kubernetes: KubernetesService;
  private readonly eks: EksService;

  constructor(options: { kubernetes: KubernetesService; eks: EksService }) {
    this.kubernetes = options.kubernetes;
    this.eks = options.eks;
  }

  workloads(
    cluster: ClusterDetails,
    labelSelector: string,
    namespace?: string,
  ) {
    return this.kubernetes.readWorkloads(cluster, labelSelector, namespace);
  }

  serviceAccounts(
    cluster: ClusterDetails,
    refs: { namespace: string; name: string }[],
  ) {
    return this.kubernetes.readServiceAccounts(cluster, refs);
  }

  association(cluster: ClusterDetails, namespace: string, name: string) {
    return this.eks.association(eksRefOf(cluster), namespace, name);
  }
}

const ID_SELECTOR = new RegExp(
  `^${ANNOTATION_KUBERNETES_ID.replace(/[.]/g, '\\.')}=([^,]+)$`,
);

/**
 * The whole fleet at once: per cluster, one list per kind of everything that
 * carries the `backstage.io/kubernetes-id` label (one more per distinct custom
 * selector), one list of ServiceAccounts and one of Pod Identity associations;
 * each entity's share is picked out in memory. The lists are shared through
 * the loader, so the number of calls does not grow with the entities.
 */
export class ClusterSnapshotSource implements WorkloadSource {
  private readonly kubernetes: KubernetesService;
  private readonly eks: EksService;

  constructor(options: { kubernetes: KubernetesService; eks: EksService }) {
    this.kubernetes = options.kubernetes;
    this.eks = options.eks;
  }

  async workloads(
    cluster: ClusterDetails,
    labelSelector: string,
    namespace?: string,
  ): Promise<ClusterReadout> {
    const id = ID_SELECTOR.exec(labelSelector)?.[1];
    const readout = await this.kubernetes.readWorkloads(
      cluster,
      id ? ANNOTATION_KUBERNETES_ID : labelSelector,
    );
    const keep = (o: { metadata?: { namespace?: string; labels?: any } }) =>
      (!namespace || o.metadata?.namespace === namespace) &&
      (!id || o.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === id);
    return {
      pods: readout.pods.filter(keep),
      workloads: readout.workloads.filter(keep),
    };
  }

  async serviceAccounts(
    cluster: ClusterDetails,
    refs: { namespace: string; name: string }[],
  ): Promise<ServiceAccount[]> {
    const all = await this.kubernetes.listServiceAccounts(cluster);
    return all.filter(sa =>
      refs.some(
        r =>
          r.namespace === sa.metadata.namespace && r.name === sa.metadata.name,
      ),
    );
  }

  association(
    cluster: ClusterDetails,
    namespace: string,
    serviceAccount: string,
  ): Promise<Lookup<PodIdentityAssociationFacts>> {
    const ref = eksRefOf(cluster);
    return lookup<PodIdentityAssociationFacts>(async () => {
      const summaries = await this.eks.listAssociations(ref);
      const summary = summaries.find(
        a => a.namespace === namespace && a.serviceAccount === serviceAccount,
      );
      if (!summary) return { status: 'not-found' } as const;
      return {
        status: 'found',
        value: await this.eks.describeAssociation(ref, summary.associationId),
      } as const;
    });
  }
}
