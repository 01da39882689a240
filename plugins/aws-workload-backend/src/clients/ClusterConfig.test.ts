import { ConfigReader } from '@backstage/config';
import { clustersFor, eksRefOf, readClusters } from './ClusterConfig';

const config = new ConfigReader({
  kubernetes: {
    clusterLocatorMethods: [
      { type: 'catalog' },
      {
        type: 'config',
        clusters: [
          {
            name: 'prod',
            url: 'https://ABC.gr7.eu-west-3.eks.amazonaws.com',
            authProvider: 'aws',
            authMetadata: {
              'kubernetes.io/x-k8s-aws-id': 'prod-eks',
              'kubernetes.io/aws-assume-role':
                'arn:aws:iam::210987654321:role/backstage-reader',
            },
          },
          {
            name: 'local',
            url: 'https://127.0.0.1:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
            skipTLSVerify: true,
          },
        ],
      },
    ],
  },
});

describe('ClusterConfig', () => {
  it("reads the Kubernetes plugin's config clusters, auth metadata included", () => {
    const clusters = readClusters(config);
    expect(clusters.map(c => c.name)).toEqual(['prod', 'local']);
    expect(clusters[0]).toMatchObject({
      authProvider: 'aws',
      awsClusterId: 'prod-eks',
      assumeRole: 'arn:aws:iam::210987654321:role/backstage-reader',
    });
    expect(clusters[1]).toMatchObject({
      authProvider: 'serviceAccount',
      skipTLSVerify: true,
    });
  });

  it('matches an entity by config name or by EKS name, or takes every cluster', () => {
    const clusters = readClusters(config);
    expect(clustersFor(clusters, 'prod-eks').map(c => c.name)).toEqual([
      'prod',
    ]);
    expect(clustersFor(clusters, 'local').map(c => c.name)).toEqual(['local']);
    expect(clustersFor(clusters, undefined)).toHaveLength(2);
    expect(clustersFor(clusters, 'nope')).toEqual([]);
  });

  it('derives the EKS name, region and account', () => {
    expect(eksRefOf(readClusters(config)[0])).toEqual({
      name: 'prod-eks',
      region: 'eu-west-3',
      partition: 'aws',
      accountId: '210987654321',
    });
  });
});

const oneCluster = (cluster: object) =>
  new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [{ type: 'config', clusters: [cluster] }],
    },
  });

describe('ClusterConfig, read as the Kubernetes plugin reads it', () => {
  it('takes the top-level assumeRole, externalId and serviceAccountToken forms', () => {
    const [cluster] = readClusters(
      oneCluster({
        name: 'top',
        url: 'https://ABC.gr7.cn-north-1.eks.amazonaws.com.cn',
        authProvider: 'aws',
        assumeRole: 'arn:aws-cn:iam::210987654321:role/reader',
        externalId: 'ext-1',
        caFile: '/etc/ca.pem',
      }),
    );
    expect(cluster).toMatchObject({
      authProvider: 'aws',
      assumeRole: 'arn:aws-cn:iam::210987654321:role/reader',
      externalId: 'ext-1',
      caFile: '/etc/ca.pem',
    });
    expect(eksRefOf(cluster)).toEqual({
      name: 'top',
      region: 'cn-north-1',
      partition: 'aws-cn',
      accountId: '210987654321',
    });
  });

  it('lets authMetadata name the auth provider and win over the top-level forms', () => {
    const [cluster] = readClusters(
      oneCluster({
        name: 'meta',
        url: 'https://ABC.gr7.us-gov-west-1.eks.amazonaws.com',
        assumeRole: 'arn:aws-us-gov:iam::111111111111:role/top',
        authMetadata: {
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/aws-assume-role':
            'arn:aws-us-gov:iam::222222222222:role/meta',
          'kubernetes.io/aws-account-id': '333333333333',
        },
      }),
    );
    expect(cluster).toMatchObject({
      authProvider: 'aws',
      assumeRole: 'arn:aws-us-gov:iam::222222222222:role/meta',
      awsAccountId: '333333333333',
    });
    expect(eksRefOf(cluster)).toMatchObject({
      region: 'us-gov-west-1',
      partition: 'aws-us-gov',
      accountId: '333333333333',
    });
  });

  it('refuses a cluster with no auth provider, as ConfigClusterLocator does', () => {
    expect(() =>
      readClusters(oneCluster({ name: 'bare', url: 'https://10.0.0.1' })),
    ).toThrow(/cluster 'bare' has no auth provider configured/);
  });

  it('refuses two clusters of one name', () => {
    const config2 = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'x', url: 'https://a', authProvider: 'aws' },
              { name: 'x', url: 'https://b', authProvider: 'aws' },
            ],
          },
        ],
      },
    });
    expect(() => readClusters(config2)).toThrow(/Duplicate cluster name 'x'/);
  });
});
