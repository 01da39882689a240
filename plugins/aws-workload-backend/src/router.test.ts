import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  GetPolicyVersionCommand,
  GetRoleCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  CacheService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FakeKubernetesApi } from '@aws-workload/plugin-aws-workload-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import dynalite from 'dynalite';
import { awsWorkloadPlugin } from './plugin';
import * as aws from './__fixtures__/aws';
import { testConfig } from './__fixtures__/config';
import { iamAccessDenied } from './__testUtils__/awsClients';
import * as k8s from './__fixtures__/kubernetes';
import { malformedCases } from './__fixtures__/malformedAnnotations';
import {
  FakeAwsAccount,
  voteServiceObjects,
} from './__testUtils__/FakeAwsAccount';

/**
 * The account: the vote service's IRSA role and its table policy, the
 * cluster and its OIDC provider; each repository holds the same three
 * images, answered two a page. DynamoDB runs for real, on dynalite.
 */
const IMAGES = [
  aws.image('a1', ['3f9c2aa'], '2026-11-10T10:00:00Z'),
  aws.image('b2', ['3f9c2ab'], '2026-11-20T09:00:00Z', 1),
  aws.image('c3', [], '2026-10-01T00:00:00Z'),
];
const voteAccount = voteServiceObjects(
  ['vote-irsa'],
  ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
);
const awsStubs = new FakeAwsAccount({
  objects: () => ({
    ...voteAccount,
    repositories: ['vote-irsa', 'vote-static-keys', 'vote-secret'].map(
      name => ({ name, images: IMAGES }),
    ),
  }),
  maxPageSize: 2,
}).install(['ecr', 'eks', 'iam']);
const ecr = awsStubs.ecr!;
const eks = awsStubs.eks!;
const iam = awsStubs.iam!;
const secretsManager = mockClient(SecretsManagerClient);

const ALLOWED_USER = 'user:default/vote-dev';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'vote-team', lifecycle: 'production' },
  };
}

const voteAnnotations = (name: string) => ({
  'aws.amazon.com/dynamodb-table-arn': aws.tableArn(name),
  'aws.amazon.com/amazon-ecr-arn': aws.repositoryArn(name),
  'backstage.io/kubernetes-id': name,
  'backstage.io/kubernetes-namespace': name,
  'aws.amazon.com/eks-cluster-name': aws.CLUSTER,
  'aws.amazon.com/dynamodb-actions': 'GetItem,UpdateItem',
});

const irsaDeployment = k8s.deployment('vote-irsa', 'vote-irsa', {
  serviceAccountName: 'vote-irsa',
});
const staticDeployment = k8s.deployment(
  'vote-static-keys',
  'vote-static-keys',
  {
    env: [
      { name: 'AWS_ACCESS_KEY_ID', value: k8s.ACCESS_KEY_ID },
      { name: 'AWS_SECRET_ACCESS_KEY', value: k8s.SECRET_ACCESS_KEY },
    ],
  },
);
/** Secrets where redaction once did not look: a debug container, the last-applied copy, managedFields. */
const PLANTED = {
  ephemeral: 'planted-in-ephemeral-container-0001',
  lastApplied: 'planted-in-last-applied-config-0002',
  managedFields: 'planted-in-managed-fields-0003',
};
function withPlantedSecrets(pod: any) {
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: {
        ...pod.metadata.annotations,
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          spec: {
            containers: [
              {
                name: 'vote',
                env: [{ name: 'DB', value: PLANTED.lastApplied }],
              },
            ],
          },
        }),
      },
      managedFields: [
        { manager: 'custom-client', fieldsV1: { note: PLANTED.managedFields } },
      ],
    },
    spec: {
      ...pod.spec,
      ephemeralContainers: [
        {
          name: 'debugger',
          image: 'busybox',
          env: [{ name: 'DB_PASSWORD', value: PLANTED.ephemeral }],
        },
      ],
    },
  };
}

/** Everything the plugin writes to its cache, as the store holds it. */
const cacheStore = new Map<string, unknown>();
const recordingCache = createServiceFactory({
  service: coreServices.cache,
  deps: {},
  factory: () => {
    const cache: CacheService = {
      get: async key => cacheStore.get(key) as any,
      set: async (key, value) => {
        cacheStore.set(key, JSON.parse(JSON.stringify(value)));
      },
      delete: async key => {
        cacheStore.delete(key);
      },
      withOptions: () => cache,
    };
    return cache;
  },
});

const clusterObjects: Record<
  string,
  { pods: any[]; deployments: any[]; serviceAccounts: any[] }
> = {
  'vote-irsa': {
    deployments: [irsaDeployment],
    pods: [k8s.podOf(irsaDeployment, 'x7k2p', k8s.irsaEnv('vote-irsa'))],
    serviceAccounts: [
      k8s.serviceAccount('vote-irsa', 'vote-irsa', 'vote-irsa'),
    ],
  },
  'vote-static-keys': {
    deployments: [staticDeployment],
    pods: [withPlantedSecrets(k8s.podOf(staticDeployment, 'q9w8e'))],
    serviceAccounts: [k8s.serviceAccount('default', 'vote-static-keys')],
  },
};

const entities = [
  component('vote-irsa', voteAnnotations('vote-irsa')),
  component('vote-static-keys', voteAnnotations('vote-static-keys')),
  component('plain', {}),
  component('bad-annotations', {
    'aws.amazon.com/dynamodb-table-arn': 'arn:aws:s3:::not-a-table',
    'aws.amazon.com/amazon-ecr-arn':
      'arn:aws:ecr:mars-1:123456789012:repository/x',
    'backstage.io/kubernetes-id': 'nothing',
    'aws.amazon.com/eks-cluster-name': 'no-such-cluster',
  }),
  component('secret-service', voteAnnotations('vote-irsa')),
  // Two entities with one selector: one names no namespace (every
  // namespace), the other names "*", which must not read as the same lookup.
  component('victim', {
    'backstage.io/kubernetes-id': 'vote-irsa',
    'aws.amazon.com/eks-cluster-name': aws.CLUSTER,
  }),
  component('star-namespace', {
    'backstage.io/kubernetes-id': 'vote-irsa',
    'backstage.io/kubernetes-namespace': '*',
    'aws.amazon.com/eks-cluster-name': aws.CLUSTER,
  }),
  component('bad-selector', {
    'backstage.io/kubernetes-label-selector': 'app=vote;rm -rf',
    'aws.amazon.com/eks-cluster-name': aws.CLUSTER,
  }),
  ...malformedCases.map(([, annotations], i) =>
    component(`malformed-${i}`, annotations),
  ),
];

/** The cluster's API server over every namespace's objects. */
const kubeApi = new FakeKubernetesApi({
  objects: () => ({
    pods: Object.values(clusterObjects).flatMap(o => o.pods),
    deployments: Object.values(clusterObjects).flatMap(o => o.deployments),
    serviceaccounts: Object.values(clusterObjects).flatMap(
      o => o.serviceAccounts,
    ),
  }),
});
const kubeHandlers = [
  http.get(`${aws.CLUSTER_URL}/*`, ({ request: req }) => kubeApi.handle(req)),
];

// The test backend and dynalite listen on loopback: let those through.
const loopback = http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () =>
  passthrough(),
);
const server = setupServer(loopback, ...kubeHandlers);
registerMswTestHooks(server);

describe('GET /api/aws-workload/entity/:kind/:namespace/:name', () => {
  let dynamoServer: ReturnType<typeof dynalite>;
  let dynamoEndpoint: string;
  let backendServer: any;
  const logLines: string[] = [];

  beforeAll(async () => {
    dynamoServer = dynalite({ createTableMs: 0 });
    await new Promise<void>(r => dynamoServer.listen(0, '127.0.0.1', r));
    dynamoEndpoint = `http://127.0.0.1:${
      (dynamoServer.address() as AddressInfo).port
    }`;
    const client = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: aws.REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (const name of ['vote-irsa', 'vote-static-keys']) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
  });

  afterAll(async () => {
    await new Promise(r => dynamoServer.close(r));
  });

  beforeEach(() => {
    awsStubs.reset();
    kubeApi.requests.length = 0;
    logLines.length = 0;
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(iamAccessDenied('iam:SimulatePrincipalPolicy'));
  });

  async function startBackend() {
    // A fresh store per backend, as each test's backend had its own cache.
    cacheStore.clear();
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async (ref: any, options: any) => {
        const principal = options?.credentials?.principal;
        if (principal?.userEntityRef !== ALLOWED_USER) return undefined;
        return entities.find(e => stringifyEntityRef(e) === ref);
      },
    });
    const logger = mockServices.rootLogger.mock();
    const capture = (level: string) => (msg: string, meta?: unknown) =>
      logLines.push(`${level} ${msg} ${JSON.stringify(meta ?? {})}`);
    logger.child.mockReturnValue(logger);
    for (const level of ['info', 'warn', 'error', 'debug'] as const)
      logger[level].mockImplementation(capture(level));
    const { server: httpServer } = await startTestBackend({
      features: [
        awsWorkloadPlugin,
        catalog.factory,
        logger.factory,
        recordingCache,
        mockServices.rootConfig.factory({
          data: testConfig({
            endpoints: { dynamodb: dynamoEndpoint },
            upstreamTimeoutMs: 2000,
            callAttempts: 2,
          }),
        }),
      ],
    });
    backendServer = httpServer;
    return httpServer;
  }

  const get = (name: string, user = ALLOWED_USER) =>
    request(backendServer)
      .get(`/api/aws-workload/entity/component/default/${name}`)
      .set('Authorization', mockCredentials.user.header(user));

  const upstreamCalls = () =>
    ecr.calls().length +
    eks.calls().length +
    iam.calls().length +
    kubeApi.requests.length;

  it('answers 404 and calls nothing upstream for an entity the caller cannot see', async () => {
    await startBackend();
    const res = await get('vote-irsa', 'user:default/someone-else');
    expect(res.status).toBe(404);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects malformed path parameters with a 400 that names the field', async () => {
    await startBackend();
    const res = await request(backendServer)
      .get('/api/aws-workload/entity/component/default/bad%20name')
      .set('Authorization', mockCredentials.user.header(ALLOWED_USER));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^name must be/);
  });

  it('returns the table, the images and an IRSA workload whose whole chain passes', async () => {
    await startBackend();
    const res = await get('vote-irsa');
    expect(res.status).toBe(200);
    const body = res.body as EntityAwsWorkloadResponse;
    expect(body.entityRef).toBe('component:default/vote-irsa');

    expect(body.table).toMatchObject({
      status: 'ok',
      data: {
        tableName: 'vote-irsa',
        status: 'ACTIVE',
        billingMode: 'PAY_PER_REQUEST',
        keySchema: [
          { attributeName: 'name', keyType: 'HASH', attributeType: 'S' },
        ],
        itemCount: 0,
      },
    });
    expect((body.table as any).data.itemCountNote).toMatch(/six hours/);

    expect(body.images.status).toBe('ok');
    const images = (body.images as any).data;
    expect(images.map((i: any) => i.tags)).toEqual([
      ['3f9c2ab'],
      ['3f9c2aa'],
      [],
    ]);
    expect(images.map((i: any) => i.running)).toEqual([true, false, false]);
    expect(images[0].findings).toEqual({ CRITICAL: 1, HIGH: 2 });

    expect(body.workloads.status).toBe('ok');
    const [workload] = (body.workloads as any).data;
    expect(workload).toMatchObject({
      cluster: aws.CLUSTER,
      kind: 'Deployment',
      name: 'vote-irsa',
      mode: 'irsa',
      serviceAccount: 'vote-irsa',
      roleArn: aws.roleArn('vote-irsa'),
    });
    // Each pod as the workloads section lists it: phase, readiness,
    // restarts, start time and the digest it runs.
    expect(workload.pods).toEqual([
      {
        name: expect.stringContaining('vote-irsa'),
        phase: 'Running',
        startedAt: '2026-11-20T10:00:00.000Z',
        readyContainers: 1,
        containers: 1,
        restarts: 0,
        images: [
          expect.objectContaining({
            container: 'vote',
            digest: expect.stringMatching(/^sha256:/),
          }),
        ],
      },
    ]);
    expect(
      Object.fromEntries(workload.checks.map((c: any) => [c.check, c.status])),
    ).toEqual({
      'role-arn-format': 'pass',
      'role-exists': 'pass',
      'trust-federated-principal': 'pass',
      'trust-sub': 'pass',
      'trust-aud': 'pass',
      'oidc-provider-registered': 'pass',
      'pod-env-injected': 'pass',
      'policy-allows-table': 'pass',
    });
    expect(
      kubeApi.requests.every(
        r => r.authorization === 'Bearer cluster-reader-token',
      ),
    ).toBe(true);
  });

  it('shares one upstream call between concurrent views and answers warm views from the cache', async () => {
    await startBackend();
    await Promise.all([get('vote-irsa'), get('vote-irsa'), get('vote-irsa')]);
    const cold = upstreamCalls();
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(2);
    await get('vote-irsa');
    expect(upstreamCalls()).toBe(cold);
  });

  it('re-checks one entity: every upstream read anew, the new answer served after it, one re-check per caller at a time', async () => {
    await startBackend();
    const recheck = (name: string, user = ALLOWED_USER) =>
      request(backendServer)
        .post(`/api/aws-workload/entity/component/default/${name}/recheck`)
        .set('Authorization', mockCredentials.user.header(user));
    const trustOf = (res: request.Response) =>
      res.body.workloads.data[0].checks.find(
        (c: any) => c.check === 'trust-sub',
      ).status;
    expect(trustOf(await get('vote-irsa'))).toBe('pass');
    const rolesRead = iam.commandCalls(GetRoleCommand).length;

    // The trust policy is fixed or broken in IAM meanwhile: the cached view
    // does not see it, a re-check does, and the view after it too.
    iam
      .on(GetRoleCommand, { RoleName: 'vote-irsa' })
      .resolves(
        aws.getRole('vote-irsa', aws.irsaTrust('vote-irsa', 'other')) as any,
      );
    expect(trustOf(await get('vote-irsa'))).toBe('pass');
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(rolesRead);
    const fresh = await recheck('vote-irsa');
    expect(fresh.status).toBe(200);
    expect(trustOf(fresh)).toBe('fail');
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(rolesRead + 1);
    expect(trustOf(await get('vote-irsa'))).toBe('fail');

    // The same caller again at once: refused, with when to come back.
    const again = await recheck('vote-irsa');
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(again.body.error.message).toMatch(/re-checked moments ago/);
    // Entities the caller cannot see are not found, and cost nothing.
    const calls = upstreamCalls();
    expect((await recheck('vote-irsa', 'user:default/stranger')).status).toBe(
      404,
    );
    expect(upstreamCalls()).toBe(calls);
  });

  it('classifies static keys without ever returning or logging the secret', async () => {
    await startBackend();
    const res = await get('vote-static-keys');
    expect(res.status).toBe(200);
    const [workload] = res.body.workloads.data;
    expect(workload.mode).toBe('static-keys');
    expect(workload.staticKeys).toEqual([
      {
        container: 'vote',
        via: 'value',
        variable: 'AWS_ACCESS_KEY_ID',
        secretVariable: 'AWS_SECRET_ACCESS_KEY',
        accessKeyId: '****LE99',
      },
    ]);
    expect(workload.checks.map((c: any) => `${c.check}:${c.status}`)).toEqual([
      'static-keys-present:fail',
    ]);
    // Its fix, with the entity's own values: remove the keys, bind a role.
    const fix = workload.checks[0].artefacts
      .map((a: any) => a.content)
      .join('\n');
    expect(fix).toContain(
      `kubectl set env deployment/${workload.name} -n vote-static-keys -c vote AWS_ACCESS_KEY_ID- AWS_SECRET_ACCESS_KEY-`,
    );
    expect(fix).toContain(
      `aws eks create-pod-identity-association --cluster-name ${aws.CLUSTER} --namespace vote-static-keys --service-account default`,
    );
    expect(fix).toContain(aws.tableArn('vote-static-keys'));
    // Every entity's answer, and every log line, is free of the secrets.
    const others = await Promise.all(entities.map(e => get(e.metadata.name)));
    const everything =
      [res, ...others].map(r => JSON.stringify(r.body)).join('\n') +
      logLines.join('\n');
    expect(everything).not.toContain(k8s.SECRET_ACCESS_KEY);
    expect(everything).not.toContain(k8s.ACCESS_KEY_ID);
    // Nor is the cache store, and neither holds the planted secrets.
    const stored = JSON.stringify([...cacheStore.entries()]);
    expect(stored).toContain('vote-static-keys');
    for (const text of [everything, stored]) {
      expect(text).not.toContain(k8s.SECRET_ACCESS_KEY);
      expect(text).not.toContain(k8s.ACCESS_KEY_ID);
      for (const secret of Object.values(PLANTED)) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('refuses a namespace of "*" before any call, so it cannot blank the lookup of every entity that names no namespace', async () => {
    kubeApi.requests.length = 0;
    const star = await get('star-namespace');
    expect(star.status).toBe(200);
    expect(star.body.workloads).toEqual({
      status: 'error',
      error: {
        name: 'InputError',
        lasting: true,
        message: expect.stringMatching(
          /^backstage\.io\/kubernetes-namespace: must be a namespace name/,
        ),
      },
    });
    expect(kubeApi.requests).toEqual([]);
    const victim = await get('victim');
    expect(victim.body.workloads.status).toBe('ok');
    expect(
      victim.body.workloads.data.map((w: { name: string }) => w.name),
    ).toEqual(['vote-irsa']);
  });

  it('refuses a label selector that is not Kubernetes selector syntax before any call', async () => {
    kubeApi.requests.length = 0;
    const res = await get('bad-selector');
    expect(res.body.workloads).toMatchObject({
      status: 'error',
      error: {
        name: 'InputError',
        message: expect.stringMatching(
          /^backstage\.io\/kubernetes-label-selector: must be a Kubernetes label selector/,
        ),
      },
    });
    expect(kubeApi.requests).toEqual([]);
  });

  it('marks every section absent for an entity without annotations', async () => {
    await startBackend();
    const res = await get('plain');
    expect(res.body).toMatchObject({
      table: {
        status: 'absent',
        annotation: 'aws.amazon.com/dynamodb-table-arn',
      },
      images: { status: 'absent', annotation: 'aws.amazon.com/amazon-ecr-arn' },
      workloads: { status: 'absent', annotation: 'backstage.io/kubernetes-id' },
    });
  });

  it('turns bad annotations into section errors, not a 500', async () => {
    await startBackend();
    const res = await get('bad-annotations');
    expect(res.status).toBe(200);
    expect(res.body.table).toEqual({
      status: 'error',
      error: {
        name: 'InputError',
        lasting: true,
        message: expect.stringMatching(
          /^Annotation aws.amazon.com\/dynamodb-table-arn: .*"dynamodb"/,
        ),
      },
    });
    expect(res.body.images.error.message).toMatch(/unknown region "mars-1"/);
    expect(res.body.workloads.error.message).toMatch(
      /No cluster named no-such-cluster/,
    );
    expect(upstreamCalls()).toBe(0);
  });

  it('keeps the other sections when one upstream fails', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
      }),
    );
    await startBackend();
    const res = await get('vote-irsa');
    expect(res.status).toBe(200);
    expect(res.body.images).toEqual({
      status: 'error',
      error: {
        name: 'ThrottlingException',
        message:
          'AWS throttled the call after its retries; a later view tries again.',
      },
    });
    expect(res.body.table.status).toBe('ok');
    expect(res.body.workloads.status).toBe('ok');
  });

  it('says unknown, not fail, for the links it could not read', async () => {
    iam.on(GetRoleCommand).rejects(iamAccessDenied('iam:GetRole'));
    await startBackend();
    const res = await get('vote-irsa');
    const checks = Object.fromEntries(
      res.body.workloads.data[0].checks.map((c: any) => [c.check, c.status]),
    );
    expect(checks['role-exists']).toBe('unknown');
    expect(checks['trust-sub']).toBe('unknown');
    expect(checks['pod-env-injected']).toBe('pass');
  });

  it(`answers each of ${malformedCases.length} malformed annotations with a section error, never a 500`, async () => {
    await startBackend();
    for (const [description, , section, message] of malformedCases) {
      const i = malformedCases.findIndex(c => c[0] === description);
      const res = await get(`malformed-${i}`);
      expect({ description, status: res.status }).toEqual({
        description,
        status: 200,
      });
      expect({ description, section: res.body[section].status }).toEqual({
        description,
        section: 'error',
      });
      expect(res.body[section].error.message).toMatch(message);
      expect(JSON.stringify(res.body).length).toBeLessThan(5_000);
    }
    expect(upstreamCalls()).toBe(0);
  });

  it('fails role-arn-format for a ServiceAccount whose annotation is not a role ARN', async () => {
    clusterObjects['vote-irsa'].serviceAccounts = [
      {
        ...k8s.serviceAccount('vote-irsa', 'vote-irsa'),
        metadata: {
          name: 'vote-irsa',
          namespace: 'vote-irsa',
          annotations: {
            'eks.amazonaws.com/role-arn':
              'arn:aws:iam::123456789012:user/admin',
          },
        },
      },
    ];
    try {
      await startBackend();
      const res = await get('vote-irsa');
      expect(res.status).toBe(200);
      expect(res.body.workloads.data[0].checks[0]).toMatchObject({
        check: 'role-arn-format',
        status: 'fail',
      });
      expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0);
    } finally {
      clusterObjects['vote-irsa'].serviceAccounts = [
        k8s.serviceAccount('vote-irsa', 'vote-irsa', 'vote-irsa'),
      ];
    }
  });

  describe('the secrets the pods mount through the Secrets Store CSI driver', () => {
    const secretArn =
      'arn:aws:secretsmanager:eu-west-3:123456789012:secret:vote-secret-app-AbCdEf';
    const withCsiVolume = (() => {
      const dep = k8s.deployment('vote-secret', 'vote-secret', {
        serviceAccountName: 'vote-secret',
      });
      (dep.spec.template.spec as any).volumes = [
        {
          name: 'app-secrets',
          csi: {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: { secretProviderClass: 'vote-secret-secrets' },
          },
        },
      ];
      return dep;
    })();
    const providerClass = {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'vote-secret-secrets', namespace: 'vote-secret' },
      spec: {
        provider: 'aws',
        parameters: {
          region: 'eu-west-3',
          objects:
            '- objectName: "vote-secret-app"\n  objectType: "secretsmanager"\n  objectAlias: "admin-token"\n',
        },
      },
    };
    const policyWithSecret = (resource: string) =>
      aws.policyVersion([
        {
          Effect: 'Allow',
          Action: [
            'secretsmanager:GetSecretValue',
            'secretsmanager:DescribeSecret',
          ],
          Resource: resource,
        },
      ]);

    beforeEach(() => {
      secretsManager.reset();
      clusterObjects['vote-secret'] = {
        deployments: [withCsiVolume],
        pods: [k8s.podOf(withCsiVolume, 's3c7t', k8s.irsaEnv('vote-irsa'))],
        serviceAccounts: [
          k8s.serviceAccount('vote-secret', 'vote-secret', 'vote-irsa'),
        ],
      };
      entities.push(component('vote-secret', voteAnnotations('vote-secret')));
      server.use(
        http.get(
          `${aws.CLUSTER_URL}/apis/secrets-store.csi.x-k8s.io/v1/namespaces/vote-secret/secretproviderclasses/vote-secret-secrets`,
          () => HttpResponse.json(providerClass),
        ),
      );
    });
    afterEach(() => {
      delete clusterObjects['vote-secret'];
      entities.splice(
        entities.findIndex(e => e.metadata.name === 'vote-secret'),
        1,
      );
    });

    const secretCheck = (body: any) =>
      body.workloads.data[0].checks.find(
        (c: any) => c.check === 'policy-allows-secret',
      );

    it('fails when the role may not read the secret, with the statement to add', async () => {
      secretsManager
        .on(DescribeSecretCommand, { SecretId: 'vote-secret-app' })
        .resolves({ ARN: secretArn, Name: 'vote-secret-app' });
      await startBackend();
      const res = await get('vote-secret');
      expect(res.status).toBe(200);
      expect(secretCheck(res.body)).toMatchObject({
        status: 'fail',
        fix: `Allow secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${secretArn} in the role's policy.`,
      });
      // Metadata only: the plugin never asks for a secret's value.
      expect(
        secretsManager.calls().map(c => c.args[0].constructor.name),
      ).toEqual(['DescribeSecretCommand']);
    });

    it('passes when the role’s policy names the secret (by its name and six characters)', async () => {
      secretsManager
        .on(DescribeSecretCommand)
        .resolves({ ARN: secretArn, Name: 'vote-secret-app' });
      iam
        .on(GetPolicyVersionCommand)
        .resolves(
          policyWithSecret(
            'arn:aws:secretsmanager:eu-west-3:123456789012:secret:vote-secret-app-??????',
          ) as any,
        );
      await startBackend();
      const res = await get('vote-secret');
      expect(secretCheck(res.body)).toMatchObject({ status: 'pass' });
    });

    it('fails, saying how to create it, when the secret does not exist', async () => {
      secretsManager.on(DescribeSecretCommand).rejects(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: { httpStatusCode: 400 },
        }),
      );
      await startBackend();
      const res = await get('vote-secret');
      expect(secretCheck(res.body)).toMatchObject({
        status: 'fail',
        fix: 'aws secretsmanager create-secret --name vote-secret-app --secret-string <value>',
      });
    });
  });
});
