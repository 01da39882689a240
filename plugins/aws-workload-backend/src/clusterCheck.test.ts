import { EksClusterCheck } from '@aws-workload/plugin-aws-workload-common';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { awsWorkloadPlugin } from './plugin';
import * as aws from './__fixtures__/aws';
import { testConfig } from './__fixtures__/config';
import {
  FakeAwsAccount,
  FakeOidcProvider,
} from './__testUtils__/FakeAwsAccount';

/** The fixtures' cluster; whether IAM holds its OIDC provider is up to each test. */
let oidcProviders: FakeOidcProvider[] = [];
const stubs = new FakeAwsAccount({
  objects: () => ({
    clusters: [
      { name: aws.CLUSTER, endpoint: aws.CLUSTER_URL, issuer: aws.ISSUER },
    ],
    oidcProviders,
  }),
}).install(['eks', 'iam']);
const eks = stubs.eks!;

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: testConfig({ fleet: { enabled: false } }),
      }),
    ],
  });
  return server;
}

const check = (
  server: Awaited<ReturnType<typeof startBackend>>,
  query: Record<string, string>,
  authorization = mockCredentials.user.header(),
) =>
  request(server)
    .get('/api/aws-workload/clusters/check')
    .query(query)
    .set('Authorization', authorization);

const FIELDS = {
  accountId: aws.ACCOUNT,
  region: aws.REGION,
  clusterName: aws.CLUSTER,
};

describe('GET /clusters/check (the create-service wizard’s cluster field)', () => {
  beforeEach(() => {
    stubs.reset();
    oidcProviders = [];
  });

  it('finds the cluster with the portal’s credentials, and says whether IRSA’s provider is registered', async () => {
    oidcProviders = [
      { url: aws.ISSUER_HOST, clientIds: ['sts.amazonaws.com'] },
    ];
    const server = await startBackend();
    const res = await check(server, FIELDS);
    expect(res.status).toBe(200);
    expect(res.body as EksClusterCheck).toEqual({
      ...FIELDS,
      kubernetesVersion: aws.describeCluster.cluster.version,
      oidcIssuer: aws.ISSUER,
      oidcProvider: 'registered',
    });
  });

  it('says not-registered when IAM has no provider for the issuer', async () => {
    const res = await check(await startBackend(), FIELDS);
    expect(res.status).toBe(200);
    expect(res.body.oidcProvider).toBe('not-registered');
  });

  it('answers 404 in words for a cluster that is not there', async () => {
    const res = await check(await startBackend(), {
      ...FIELDS,
      clusterName: 'no-such-cluster',
    });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      `There is no EKS cluster named no-such-cluster in account ${aws.ACCOUNT}, region ${aws.REGION}. Check the name, the account and the region (the portal looked with its own AWS credentials).`,
    );
  });

  it('says the portal has no credentials for an account it was not given', async () => {
    const res = await check(await startBackend(), {
      ...FIELDS,
      accountId: '999999999999',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^The portal has no AWS credentials for account 999999999999/,
    );
    expect(eks.calls()).toHaveLength(0);
  });

  it.each([
    [{ accountId: '1234' }, /^accountId must be the 12 digits/],
    [{ region: 'Paris' }, /^region must be an AWS region code/],
    [{ clusterName: '-bad' }, /^clusterName must be 1 to 100/],
  ])(
    'refuses %j with a 400 naming the field, calling nothing',
    async (bad, message) => {
      const res = await check(await startBackend(), { ...FIELDS, ...bad });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(eks.calls()).toHaveLength(0);
    },
  );

  it('is for signed-in users only', async () => {
    const server = await startBackend();
    expect(
      (await check(server, FIELDS, mockCredentials.none.header())).status,
    ).toBe(401);
    expect(
      (await check(server, FIELDS, mockCredentials.service.header())).status,
    ).toBe(403);
  });
});
