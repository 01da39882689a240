import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  EKSServiceException,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, REGION } from '../__fixtures__/aws';
import { testAwsClients } from '../__testUtils__/awsClients';
import { CachedLoader } from './CachedLoader';
import { EksService } from './EksService';
import { memoryCache } from '../__testUtils__/memoryCache';

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());
afterAll(() => eks.restore());

const CLUSTER = { name: 'prod-eu', region: REGION, accountId: ACCOUNT };
const ASSOCIATION_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:podidentityassociation/prod-eu/a-abcdefghijklmnop1`;

function service() {
  const clients = testAwsClients();
  const loader = new CachedLoader({
    cache: memoryCache(),
    logger: mockServices.logger.mock(),
  });
  return new EksService({ clients, loader, ttlMs: 60_000 });
}

/** DescribeCluster's answer, as the EKS API reference shows it. */
const describedCluster = {
  cluster: {
    name: 'prod-eu',
    arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-eu`,
    version: '1.33',
    endpoint:
      'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-3.eks.amazonaws.com',
    certificateAuthority: { data: 'LS0tLS1CRUdJTi...' },
    identity: {
      oidc: {
        issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
      },
    },
    status: 'ACTIVE' as const,
  },
};

describe('EksService', () => {
  it("reads a cluster's endpoint, authority, OIDC issuer, ARN and version", async () => {
    eks
      .on(DescribeClusterCommand, { name: 'prod-eu' })
      .resolves(describedCluster);
    expect(await service().describeCluster(CLUSTER)).toEqual({
      endpoint: describedCluster.cluster.endpoint,
      certificateAuthority: 'LS0tLS1CRUdJTi...',
      oidcIssuer: describedCluster.cluster.identity.oidc.issuer,
      arn: describedCluster.cluster.arn,
      version: '1.33',
    });
  });

  it("finds a ServiceAccount's association with a filtered list, then its role", async () => {
    eks
      .on(ListPodIdentityAssociationsCommand, {
        clusterName: 'prod-eu',
        namespace: 'vote',
        serviceAccount: 'vote',
      })
      .resolves({
        associations: [
          {
            clusterName: 'prod-eu',
            namespace: 'vote',
            serviceAccount: 'vote',
            associationArn: ASSOCIATION_ARN,
            associationId: 'a-abcdefghijklmnop1',
          },
        ],
      });
    eks
      .on(DescribePodIdentityAssociationCommand, {
        clusterName: 'prod-eu',
        associationId: 'a-abcdefghijklmnop1',
      })
      .resolves({
        association: {
          clusterName: 'prod-eu',
          namespace: 'vote',
          serviceAccount: 'vote',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/vote`,
          associationArn: ASSOCIATION_ARN,
          associationId: 'a-abcdefghijklmnop1',
        },
      });
    const eksService = service();
    expect(await eksService.association(CLUSTER, 'vote', 'vote')).toEqual({
      status: 'found',
      value: {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/vote`,
        associationArn: ASSOCIATION_ARN,
        associationId: 'a-abcdefghijklmnop1',
      },
    });
    // Another ServiceAccount has none.
    eks
      .on(ListPodIdentityAssociationsCommand, { serviceAccount: 'other' })
      .resolves({
        associations: [],
      });
    expect(await eksService.association(CLUSTER, 'vote', 'other')).toEqual({
      status: 'not-found',
    });
  });

  it('says unknown, with the reason, where EKS refuses the lookup', async () => {
    eks.on(ListPodIdentityAssociationsCommand).rejects(
      new EKSServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'not authorized to perform eks:ListPodIdentityAssociations',
      }),
    );
    expect(await service().association(CLUSTER, 'vote', 'vote')).toEqual({
      status: 'unknown',
      reason:
        'AccessDeniedException: not authorized to perform eks:ListPodIdentityAssociations',
    });
  });

  it("lists a cluster's associations page by page, once", async () => {
    eks
      .on(ListPodIdentityAssociationsCommand, { nextToken: undefined })
      .resolves({
        associations: [
          { namespace: 'a', serviceAccount: 'a', associationId: 'a-1' },
          // An entry without its ServiceAccount is not one to match pods by.
          { namespace: 'b', associationId: 'a-2' },
        ],
        nextToken: 'page-2',
      })
      .on(ListPodIdentityAssociationsCommand, { nextToken: 'page-2' })
      .resolves({
        associations: [
          { namespace: 'c', serviceAccount: 'c', associationId: 'a-3' },
        ],
      });
    const eksService = service();
    const all = await eksService.listAssociations(CLUSTER);
    expect(all).toEqual([
      { associationId: 'a-1', namespace: 'a', serviceAccount: 'a' },
      { associationId: 'a-3', namespace: 'c', serviceAccount: 'c' },
    ]);
    await eksService.listAssociations(CLUSTER);
    expect(eks.commandCalls(ListPodIdentityAssociationsCommand)).toHaveLength(
      2,
    );
    expect(
      eks.commandCalls(ListPodIdentityAssociationsCommand)[0].args[0].input,
    ).toMatchObject({ clusterName: 'prod-eu', maxResults: 100 });
  });
});
