/**
 * The identity shown to each cluster, through the real KubernetesService,
 * @kubernetes/client-node and the SDK's assume-role provider (STS and the
 * API server answered by msw, with STS's own XML).
 */
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AwsClientFactory } from './AwsClientFactory';
import { CachedLoader } from './CachedLoader';
import { ClusterDetails } from './ClusterConfig';
import { UnsupportedClusterAuthError } from './ClusterCredentials';
import { KubernetesService } from './KubernetesService';

const EKS_URL = 'https://EKS0000.gr7.eu-west-3.eks.amazonaws.com';
const OTHER_URL = 'https://aks-cluster.example.test';
const seen: { url: string; authorization: string | null }[] = [];
const emptyList = ({ request }: { request: Request }) => {
  seen.push({
    url: request.url,
    authorization: request.headers.get('authorization'),
  });
  return HttpResponse.json({ kind: 'List', metadata: {}, items: [] });
};
const SESSION = {
  AccessKeyId: 'ASIASESSIONKEY000001',
  SecretAccessKey: 'session-secret-not-in-any-cache',
  SessionToken: 'session-token-not-in-any-cache',
  Expiration: new Date(Date.now() + 60 * 60_000),
};
/** STS AssumeRole calls, as form bodies, with the host they went to. */
const assumeRoleCalls: { host: string; params: URLSearchParams }[] = [];
const server = setupServer(
  http.get(`${EKS_URL}/*`, emptyList),
  http.get(`${OTHER_URL}/*`, emptyList),
  http.post(
    /^https:\/\/sts\.[a-z0-9-]+\.amazonaws\.com\/$/,
    async ({ request }) => {
      const params = new URLSearchParams(await request.text());
      assumeRoleCalls.push({ host: new URL(request.url).host, params });
      return new HttpResponse(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF23:backstage-aws-workload</AssumedRoleId>
      <Arn>arn:aws:sts::210987654321:assumed-role/backstage-reader/backstage-aws-workload</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${SESSION.AccessKeyId}</AccessKeyId>
      <SecretAccessKey>${SESSION.SecretAccessKey}</SecretAccessKey>
      <SessionToken>${SESSION.SessionToken}</SessionToken>
      <Expiration>${SESSION.Expiration.toISOString()}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`,
        { status: 200, headers: { 'content-type': 'text/xml' } },
      );
    },
  ),
);
registerMswTestHooks(server);

function services() {
  const stored: unknown[] = [];
  const cache = mockServices.cache.mock();
  cache.get.mockResolvedValue(undefined);
  cache.set.mockImplementation(async (_key, value) => {
    stored.push(value);
  });
  const aws = new AwsClientFactory(
    {
      async getCredentialProvider() {
        return {
          sdkCredentialProvider: async () => ({
            accessKeyId: 'AKIABASEACCOUNT00001',
            secretAccessKey: 'base-secret',
          }),
        };
      },
    },
    { timeoutMs: 2000, maxAttempts: 1, endpoints: {} },
  );
  const kubernetes = new KubernetesService({
    clients: aws,
    loader: new CachedLoader({
      cache: cache,
      logger: mockServices.logger.mock(),
    }),
    timeoutMs: 2000,
    ttlMs: 30_000,
  });
  return { kubernetes, stored };
}

const eksCluster: ClusterDetails = {
  name: 'prod',
  url: EKS_URL,
  authProvider: 'aws',
  skipTLSVerify: false,
  awsClusterId: 'prod-eks',
  assumeRole: 'arn:aws:iam::210987654321:role/backstage-reader',
  externalId: 'portal-42',
};

const decodeToken = (authorization: string | null) => {
  const token = authorization!.replace(/^Bearer k8s-aws-v1\./, '');
  return new URL(Buffer.from(token, 'base64url').toString('utf8'));
};

beforeEach(() => {
  seen.length = 0;
  assumeRoleCalls.length = 0;
});

describe('the identity the backend shows a cluster', () => {
  it('assumes the configured role with its external id once, and signs with the session for the cluster region', async () => {
    const { kubernetes } = services();
    await kubernetes.readWorkloads(eksCluster, 'app=vote');
    await kubernetes.readWorkloads(eksCluster, 'app=other');

    expect(assumeRoleCalls).toHaveLength(1);
    expect(assumeRoleCalls[0].host).toBe('sts.eu-west-3.amazonaws.com');
    expect(Object.fromEntries(assumeRoleCalls[0].params)).toMatchObject({
      Action: 'AssumeRole',
      RoleArn: 'arn:aws:iam::210987654321:role/backstage-reader',
      ExternalId: 'portal-42',
    });
    expect(seen.length).toBeGreaterThan(0);
    for (const { authorization } of seen) {
      const url = decodeToken(authorization);
      expect(url.host).toBe('sts.eu-west-3.amazonaws.com');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(
        /^ASIASESSIONKEY000001\/\d{8}\/eu-west-3\/sts\/aws4_request$/,
      );
      expect(url.searchParams.get('X-Amz-Security-Token')).toBe(
        SESSION.SessionToken,
      );
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain(
        'x-k8s-aws-id',
      );
    }
  });

  it('signs with the base credentials where no role is configured', async () => {
    const { kubernetes } = services();
    await kubernetes.readWorkloads(
      { ...eksCluster, assumeRole: undefined, externalId: undefined },
      'app=vote',
    );
    expect(assumeRoleCalls).toHaveLength(0);
    expect(
      decodeToken(seen[0].authorization).searchParams.get('X-Amz-Credential'),
    ).toMatch(/^AKIABASEACCOUNT00001\//);
  });

  it.each(['google', 'oidc', 'aks', 'azure', 'googleServiceAccount'])(
    'sends nothing to a cluster whose auth provider is %s, and says why',
    async authProvider => {
      const { kubernetes } = services();
      const cluster: ClusterDetails = {
        name: 'elsewhere',
        url: OTHER_URL,
        authProvider,
        skipTLSVerify: false,
        serviceAccountToken: 'must-not-be-sent',
      };
      await expect(
        kubernetes.readWorkloads(cluster, 'app=vote'),
      ).rejects.toThrow(UnsupportedClusterAuthError);
      await expect(
        kubernetes.readWorkloads(cluster, 'app=vote2'),
      ).rejects.toThrow(
        new RegExp(`^Cluster elsewhere uses the ${authProvider} auth provider`),
      );
      expect(seen).toEqual([]);
    },
  );

  it('keeps the token and the assumed credentials out of the shared cache', async () => {
    const { kubernetes, stored } = services();
    await kubernetes.readWorkloads(eksCluster, 'app=vote');
    expect(stored.length).toBeGreaterThan(0);
    const text = JSON.stringify(stored);
    expect(text).not.toContain('k8s-aws-v1.');
    expect(text).not.toContain(SESSION.SecretAccessKey);
    expect(text).not.toContain(SESSION.SessionToken);
    expect(text).not.toContain(SESSION.AccessKeyId);
  });
});
