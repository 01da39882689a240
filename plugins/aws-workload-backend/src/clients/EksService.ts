import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { Lookup } from '@aws-workload/plugin-aws-workload-common';
import { cacheKey, ReaderOptions } from './CachedLoader';
import { lookup } from '../lib/lookup';

export interface EksClusterRef {
  /** The EKS name of the cluster. */
  name: string;
  region: string;
  /** The account, where known (from the role the portal assumes); else the main account. */
  accountId?: string;
}

export interface EksClusterFacts {
  endpoint?: string;
  certificateAuthority?: string;
  oidcIssuer?: string;
  arn?: string;
  version?: string;
}

export interface PodIdentityAssociationFacts {
  roleArn?: string;
  associationArn?: string;
  associationId?: string;
}

export interface PodIdentityAssociationSummary {
  associationId: string;
  namespace: string;
  serviceAccount: string;
}

export class EksService {
  constructor(private readonly options: ReaderOptions) {}

  /** The EKS client of the cluster's account and region. */
  private client(cluster: EksClusterRef) {
    return this.options.clients.client(
      'eks',
      cluster.accountId,
      cluster.region,
    );
  }

  describeCluster(cluster: EksClusterRef): Promise<EksClusterFacts> {
    return this.options.loader.load(
      cacheKey('eks:cluster', cluster.accountId, cluster.region, cluster.name),
      this.options.ttlMs,
      async () => {
        const client = await this.client(cluster);
        const { cluster: c } = await client.send(
          new DescribeClusterCommand({ name: cluster.name }),
        );
        return {
          endpoint: c?.endpoint,
          certificateAuthority: c?.certificateAuthority?.data,
          oidcIssuer: c?.identity?.oidc?.issuer,
          arn: c?.arn,
          version: c?.version,
        };
      },
    );
  }

  /** The association for one namespace and ServiceAccount, filtered server-side. */
  association(
    cluster: EksClusterRef,
    namespace: string,
    serviceAccount: string,
  ): Promise<Lookup<PodIdentityAssociationFacts>> {
    return lookup(() =>
      this.options.loader.load<Lookup<PodIdentityAssociationFacts>>(
        cacheKey(
          'eks:pia',
          cluster.accountId,
          cluster.region,
          cluster.name,
          namespace,
          serviceAccount,
        ),
        this.options.ttlMs,
        async () => {
          const client = await this.client(cluster);
          const { associations } = await client.send(
            new ListPodIdentityAssociationsCommand({
              clusterName: cluster.name,
              namespace,
              serviceAccount,
            }),
          );
          const summary = associations?.[0];
          if (!summary?.associationId) return { status: 'not-found' } as const;
          return {
            status: 'found',
            value: await this.describeAssociation(
              cluster,
              summary.associationId,
            ),
          } as const;
        },
      ),
    );
  }

  /** Every association of the cluster, in pages: one list for a whole fleet. */
  listAssociations(
    cluster: EksClusterRef,
  ): Promise<PodIdentityAssociationSummary[]> {
    return this.options.loader.load(
      cacheKey('eks:pia-all', cluster.accountId, cluster.region, cluster.name),
      this.options.ttlMs,
      async () => {
        const client = await this.client(cluster);
        const summaries: PodIdentityAssociationSummary[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new ListPodIdentityAssociationsCommand({
              clusterName: cluster.name,
              maxResults: 100,
              nextToken,
            }),
          );
          for (const a of page.associations ?? []) {
            if (a.associationId && a.namespace && a.serviceAccount) {
              summaries.push({
                associationId: a.associationId,
                namespace: a.namespace,
                serviceAccount: a.serviceAccount,
              });
            }
          }
          nextToken = page.nextToken;
        } while (nextToken);
        return summaries;
      },
    );
  }

  /** One association, by id; the list does not carry the role. */
  describeAssociation(
    cluster: EksClusterRef,
    associationId: string,
  ): Promise<PodIdentityAssociationFacts> {
    return this.options.loader.load(
      cacheKey(
        'eks:pia-id',
        cluster.accountId,
        cluster.region,
        cluster.name,
        associationId,
      ),
      this.options.ttlMs,
      async () => {
        const client = await this.client(cluster);
        const { association } = await client.send(
          new DescribePodIdentityAssociationCommand({
            clusterName: cluster.name,
            associationId,
          }),
        );
        return {
          roleArn: association?.roleArn,
          associationArn: association?.associationArn,
          associationId: association?.associationId,
        };
      },
    );
  }
}
