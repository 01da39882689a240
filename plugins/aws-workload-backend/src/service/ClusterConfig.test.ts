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
      accountId: '210987654321',
    });
  });
});
