import {
  classifyWorkload,
  ClassifyContext,
  fargateSelects,
  WorkloadClassification,
} from './classify';
import { maskAccessKeyId } from './staticKeys';
import {
  defaultServiceAccount,
  deployment,
  EXAMPLE_ACCESS_KEY_ID,
  EXAMPLE_SECRET_ACCESS_KEY,
  eksDynamoServiceAccount,
  irsaInjectedEnv,
  podIdentityInjectedEnv,
  podOf,
  ROLE_ARN,
  seedNoCredentials,
  seedStaticKeys,
  seedWithServiceAccount,
} from './__fixtures__/seed';
import { toWorkloadInput } from './workloads';

const everythingKnown: ClassifyContext = {
  serviceAccounts: [defaultServiceAccount, eksDynamoServiceAccount],
  keySources: [],
  podIdentityAssociations: [],
};

function classify(
  object: any,
  context: ClassifyContext = everythingKnown,
  pods: any[] = [],
): WorkloadClassification {
  const input = toWorkloadInput(object, pods);
  if (!input) throw new Error(`not a workload: ${object.kind}`);
  return classifyWorkload(input, context);
}

const statuses = (c: WorkloadClassification) =>
  c.findings.map(f => `${f.check}:${f.status}`);

describe('classifyWorkload: the seed walkthrough', () => {
  it('gives the node role to the deployment without credentials', () => {
    const result = classify(seedNoCredentials);
    expect(result.mode).toBe('node-role');
    expect(result.serviceAccount).toBe('default');
    expect(statuses(result)).toEqual(['node-role-fallback:warn']);
  });

  it('flags the deployment with keys in its environment, masking the key', () => {
    const result = classify(seedStaticKeys);
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys).toEqual([
      {
        container: 'vote',
        via: 'value',
        variable: 'AWS_ACCESS_KEY_ID',
        secretVariable: 'AWS_SECRET_ACCESS_KEY',
        accessKeyId: '****MPLE',
      },
    ]);
    expect(statuses(result)).toEqual(['static-keys-present:fail']);
    expect(JSON.stringify(result)).not.toContain(EXAMPLE_ACCESS_KEY_ID);
    expect(JSON.stringify(result)).not.toContain(EXAMPLE_SECRET_ACCESS_KEY);
  });

  it('gives IRSA to the deployment whose ServiceAccount names a role', () => {
    const result = classify(seedWithServiceAccount);
    expect(result).toMatchObject({
      mode: 'irsa',
      serviceAccount: 'eks-dynamo',
      roleArn: ROLE_ARN,
      findings: [],
    });
  });
});

describe('classifyWorkload: precedence of the SDK chain', () => {
  it('lets environment keys win over IRSA, as the SDK does', () => {
    const both = deployment('both', {
      serviceAccountName: 'eks-dynamo',
      containers: seedStaticKeys.spec.template.spec.containers,
    });
    const pod = podOf(both.spec.template, 'both-1', irsaInjectedEnv);
    const result = classify(both, everythingKnown, [pod]);
    expect(result.mode).toBe('static-keys');
    expect(result.roleArn).toBe(ROLE_ARN);
  });

  it('lets IRSA win over a Pod Identity association', () => {
    const result = classify(seedWithServiceAccount, {
      ...everythingKnown,
      podIdentityAssociations: [
        {
          namespace: 'vote',
          serviceAccount: 'eks-dynamo',
          roleArn: 'arn:aws:iam::123456789012:role/other',
        },
      ],
    });
    expect(result.mode).toBe('irsa');
  });

  it('gives Pod Identity from an association of the namespace and ServiceAccount', () => {
    const result = classify(
      deployment('pi', { serviceAccountName: 'vote-sa' }),
      {
        ...everythingKnown,
        podIdentityAssociations: [
          {
            namespace: 'vote',
            serviceAccount: 'vote-sa',
            roleArn: ROLE_ARN,
            associationArn:
              'arn:aws:eks:eu-west-3:123456789012:podidentityassociation/vote-demo/a-1',
          },
          {
            namespace: 'other',
            serviceAccount: 'vote-sa',
            roleArn: 'arn:aws:iam::123456789012:role/x',
          },
        ],
      },
    );
    expect(result).toMatchObject({ mode: 'pod-identity', roleArn: ROLE_ARN });
  });

  it('does not match an association of another namespace', () => {
    const result = classify(
      deployment('pi', { serviceAccountName: 'vote-sa' }),
      {
        ...everythingKnown,
        podIdentityAssociations: [
          { namespace: 'other', serviceAccount: 'vote-sa', roleArn: ROLE_ARN },
        ],
      },
    );
    expect(result.mode).toBe('node-role');
  });

  it.each([
    ['IPv4', 'http://169.254.170.23/v1/credentials'],
    ['IPv6', 'http://[fd00:ec2::23]/v1/credentials'],
  ])(
    'recognises Pod Identity from the injected %s agent address when associations are unknown',
    (_, uri) => {
      const template = deployment('pi', { serviceAccountName: 'vote-sa' });
      const env = podIdentityInjectedEnv.map(e =>
        e.name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
          ? { ...e, value: uri }
          : e,
      );
      const result = classify(template, { serviceAccounts: [] }, [
        podOf(template.spec.template, 'pi-1', env),
      ]);
      expect(result.mode).toBe('pod-identity');
    },
  );

  it('does not take an arbitrary container credentials URI for Pod Identity', () => {
    const template = deployment('ecs-like');
    const pod = podOf(template.spec.template, 'x-1', [
      {
        name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
        value: 'http://10.0.0.5/creds',
      },
    ]);
    expect(classify(template, everythingKnown, [pod]).mode).toBe('node-role');
  });

  it('recognises IRSA from the injected environment of a pod when ServiceAccounts could not be read', () => {
    const pod = podOf(
      seedWithServiceAccount.spec.template,
      'vote-1',
      irsaInjectedEnv,
    );
    const result = classify(seedWithServiceAccount, {}, [pod]);
    expect(result).toMatchObject({ mode: 'irsa', roleArn: ROLE_ARN });
  });
});

describe('classifyWorkload: every way static keys reach a container', () => {
  const withContainer = (container: any, extra: any = {}) =>
    deployment('keys', {
      containers: [{ name: 'app', ...container }],
      ...extra,
    });

  it.each([
    [
      'secretKeyRef',
      {
        env: [
          {
            name: 'AWS_ACCESS_KEY_ID',
            valueFrom: { secretKeyRef: { name: 'aws', key: 'id' } },
          },
          {
            name: 'AWS_SECRET_ACCESS_KEY',
            valueFrom: { secretKeyRef: { name: 'aws', key: 'secret' } },
          },
        ],
      },
      { via: 'secretKeyRef', source: 'aws' },
    ],
    [
      'configMapKeyRef',
      {
        env: [
          {
            name: 'AWS_ACCESS_KEY_ID',
            valueFrom: { configMapKeyRef: { name: 'cfg', key: 'id' } },
          },
          {
            name: 'AWS_SECRET_ACCESS_KEY',
            valueFrom: { configMapKeyRef: { name: 'cfg', key: 'secret' } },
          },
        ],
      },
      { via: 'configMapKeyRef', source: 'cfg' },
    ],
    [
      'a mix of value and secretKeyRef',
      {
        env: [
          { name: 'AWS_ACCESS_KEY_ID', value: EXAMPLE_ACCESS_KEY_ID },
          {
            name: 'AWS_SECRET_ACCESS_KEY',
            valueFrom: { secretKeyRef: { name: 'aws', key: 'secret' } },
          },
        ],
      },
      { via: 'value', accessKeyId: '****MPLE' },
    ],
  ])('through %s', (_, container, use) => {
    const result = classify(withContainer(container));
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys).toEqual([
      {
        container: 'app',
        variable: 'AWS_ACCESS_KEY_ID',
        secretVariable: 'AWS_SECRET_ACCESS_KEY',
        ...use,
      },
    ]);
  });

  it('through envFrom of a Secret that holds both keys', () => {
    const result = classify(
      withContainer({ envFrom: [{ secretRef: { name: 'aws-creds' } }] }),
      {
        ...everythingKnown,
        keySources: [
          {
            kind: 'Secret',
            namespace: 'vote',
            name: 'aws-creds',
            keys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
          },
        ],
      },
    );
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys).toEqual([
      {
        container: 'app',
        via: 'envFrom',
        variable: 'AWS_ACCESS_KEY_ID',
        source: 'Secret aws-creds',
      },
    ]);
  });

  it('through envFrom of a ConfigMap with a prefix that completes the names', () => {
    const result = classify(
      withContainer({
        envFrom: [{ prefix: 'AWS_', configMapRef: { name: 'cfg' } }],
      }),
      {
        ...everythingKnown,
        keySources: [
          {
            kind: 'ConfigMap',
            namespace: 'vote',
            name: 'cfg',
            keys: ['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY'],
          },
        ],
      },
    );
    expect(result.staticKeys).toEqual([
      {
        container: 'app',
        via: 'envFrom',
        variable: 'AWS_ACCESS_KEY_ID',
        source: 'ConfigMap cfg',
      },
    ]);
  });

  it('in an init container', () => {
    const result = classify(
      withContainer(
        {},
        {
          initContainers: seedStaticKeys.spec.template.spec.containers.map(
            c => ({ ...c, name: 'migrate' }),
          ),
        },
      ),
    );
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys[0].container).toBe('migrate');
  });

  it('through a Secret mounted at ~/.aws', () => {
    const result = classify(
      withContainer(
        {
          volumeMounts: [
            { name: 'aws', mountPath: '/home/node/.aws', readOnly: true },
          ],
        },
        {
          volumes: [{ name: 'aws', secret: { secretName: 'aws-credentials' } }],
        },
      ),
    );
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys).toEqual([
      {
        container: 'app',
        via: 'credentials-file',
        source: 'Secret aws-credentials',
      },
    ]);
  });

  it('through a Secret file that AWS_SHARED_CREDENTIALS_FILE points to', () => {
    const result = classify(
      withContainer(
        {
          env: [
            { name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/etc/aws/creds' },
          ],
          volumeMounts: [{ name: 'creds', mountPath: '/etc/aws' }],
        },
        { volumes: [{ name: 'creds', secret: { secretName: 'creds' } }] },
      ),
    );
    expect(result.mode).toBe('static-keys');
  });

  it('not through a Secret mounted elsewhere', () => {
    const result = classify(
      withContainer(
        { volumeMounts: [{ name: 'tls', mountPath: '/etc/tls' }] },
        { volumes: [{ name: 'tls', secret: { secretName: 'tls' } }] },
      ),
    );
    expect(result.mode).toBe('node-role');
  });

  it('warns about one key of the pair alone, without making it a mode', () => {
    const result = classify(
      withContainer({
        env: [{ name: 'AWS_ACCESS_KEY_ID', value: EXAMPLE_ACCESS_KEY_ID }],
      }),
    );
    expect(result.mode).toBe('node-role');
    expect(statuses(result)).toEqual([
      'partial-keys:warn',
      'node-role-fallback:warn',
    ]);
  });

  it('ignores empty values', () => {
    const result = classify(
      withContainer({
        env: [
          { name: 'AWS_ACCESS_KEY_ID', value: '' },
          { name: 'AWS_SECRET_ACCESS_KEY', value: '' },
        ],
      }),
    );
    expect(result.mode).toBe('node-role');
  });

  it('warns about an envFrom whose keys cannot be known', () => {
    const result = classify(
      withContainer({ envFrom: [{ secretRef: { name: 'mystery' } }] }),
      {
        ...everythingKnown,
        keySources: undefined,
      },
    );
    expect(result.mode).toBe('node-role');
    expect(statuses(result)).toContain('envfrom-unknown:warn');
  });

  it('keys that appear only in a running pod (patched after the template) still count', () => {
    const pod = podOf(seedNoCredentials.spec.template, 'vote-1', [
      { name: 'AWS_ACCESS_KEY_ID', value: EXAMPLE_ACCESS_KEY_ID },
      { name: 'AWS_SECRET_ACCESS_KEY', value: EXAMPLE_SECRET_ACCESS_KEY },
    ]);
    expect(classify(seedNoCredentials, everythingKnown, [pod]).mode).toBe(
      'static-keys',
    );
  });

  it('in an ephemeral (debug) container of a running pod', () => {
    const pod = podOf(seedNoCredentials.spec.template, 'vote-1', []);
    pod.spec!.ephemeralContainers = [
      {
        name: 'debugger',
        image: 'busybox',
        env: [
          { name: 'AWS_ACCESS_KEY_ID', value: EXAMPLE_ACCESS_KEY_ID },
          { name: 'AWS_SECRET_ACCESS_KEY', value: EXAMPLE_SECRET_ACCESS_KEY },
        ],
      },
    ];
    const result = classify(seedNoCredentials, everythingKnown, [pod]);
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys.map(k => k.container)).toEqual(['debugger']);
  });
});

describe('classifyWorkload: node role', () => {
  it('fails on Fargate, where there are no credentials at all', () => {
    const pod = podOf(seedNoCredentials.spec.template, 'vote-1');
    pod.metadata.labels = {
      ...pod.metadata.labels,
      'eks.amazonaws.com/fargate-profile': 'fp-default',
    };
    const result = classify(seedNoCredentials, everythingKnown, [pod]);
    expect(result).toMatchObject({ mode: 'node-role', fargate: true });
    expect(result.findings[0]).toMatchObject({
      check: 'node-role-fallback',
      status: 'fail',
    });
    expect(result.findings[0].message).toMatch(/no AWS credentials at all/);
  });

  it('says unknown, not warn, when associations could not be listed', () => {
    const result = classify(seedNoCredentials, {
      ...everythingKnown,
      podIdentityAssociations: undefined,
    });
    expect(result.mode).toBe('node-role');
    expect(statuses(result)).toEqual(['node-role-fallback:unknown']);
  });
});

describe('classifyWorkload: workload kinds', () => {
  const template = seedWithServiceAccount.spec.template;
  it.each([
    ['StatefulSet', { spec: { template } }],
    ['DaemonSet', { spec: { template } }],
    ['Job', { spec: { template } }],
    [
      'CronJob',
      { spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } },
    ],
    ['Pod', { spec: template.spec }],
  ])('classifies a %s from its pod template', (kind, body) => {
    const result = classify({
      apiVersion: 'v1',
      kind,
      metadata: { name: 'x', namespace: 'vote' },
      ...body,
    });
    expect(result).toMatchObject({
      kind,
      mode: 'irsa',
      serviceAccount: 'eks-dynamo',
    });
  });

  it('rejects objects that are not workloads', () => {
    expect(
      toWorkloadInput({ kind: 'Service', metadata: { name: 's' }, spec: {} }),
    ).toBeUndefined();
  });
});

describe('maskAccessKeyId', () => {
  it('keeps only the last four characters', () => {
    expect(maskAccessKeyId(EXAMPLE_ACCESS_KEY_ID)).toBe('****MPLE');
    expect(maskAccessKeyId('abc')).toBe('****');
  });
});

describe('classifyWorkload: what the inspector taught it, on a live cluster too', () => {
  const app = (container: any, spec: any = {}) =>
    deployment('app', { containers: [{ name: 'app', ...container }], ...spec });
  const optionalRefs = {
    env: [
      {
        name: 'AWS_ACCESS_KEY_ID',
        valueFrom: { secretKeyRef: { name: 'aws', key: 'id', optional: true } },
      },
      {
        name: 'AWS_SECRET_ACCESS_KEY',
        valueFrom: {
          secretKeyRef: { name: 'aws', key: 'secret', optional: true },
        },
      },
    ],
  };

  it('reads the legacy Java and Ruby key names as a pair', () => {
    const result = classify(
      app({
        env: [
          { name: 'AWS_ACCESS_KEY', value: EXAMPLE_ACCESS_KEY_ID },
          {
            name: 'AMAZON_SECRET_ACCESS_KEY',
            value: EXAMPLE_SECRET_ACCESS_KEY,
          },
        ],
      }),
    );
    expect(result.mode).toBe('static-keys');
    expect(result.staticKeys[0]).toMatchObject({ variable: 'AWS_ACCESS_KEY' });
    expect(JSON.stringify(result)).not.toContain(EXAMPLE_SECRET_ACCESS_KEY);
  });

  it('reads an optional reference to a Secret a live cluster does not have as absent, and offline as a warning', () => {
    const live = classify(app(optionalRefs));
    expect(live.mode).toBe('node-role');
    expect(statuses(live)).toEqual(['node-role-fallback:warn']);
    const offline = classify(app(optionalRefs), {
      ...everythingKnown,
      openWorld: true,
    });
    expect(offline.mode).toBe('node-role');
    expect(statuses(offline)).toEqual([
      'static-keys-present:warn',
      'node-role-fallback:warn',
    ]);
  });

  it('says unknown offline, not node role, for a ServiceAccount that is not among the inputs', () => {
    const object = app({}, { serviceAccountName: 'orders' });
    expect(statuses(classify(object))).toEqual(['node-role-fallback:warn']);
    const offline = classify(object, { ...everythingKnown, openWorld: true });
    expect(offline.findings[0]).toMatchObject({
      check: 'node-role-fallback',
      status: 'unknown',
    });
    expect(offline.findings[0].message).toContain('ServiceAccount vote/orders');
  });

  it('reports kube2iam as a metadata proxy role, not the plain node role', () => {
    const object = app({});
    (object.spec.template.metadata as any).annotations = {
      'iam.amazonaws.com/role': 'reports',
    };
    const result = classify(object);
    expect(result.mode).toBe('node-role');
    expect(statuses(result)).toEqual(['metadata-proxy-role:warn']);
  });

  it('fails Pod Identity on Fargate, known from a profile selector', () => {
    const object = app({}, { serviceAccountName: 'eks-dynamo' });
    const context = {
      ...everythingKnown,
      serviceAccounts: [],
      podIdentityAssociations: [
        { namespace: 'vote', serviceAccount: 'eks-dynamo', roleArn: ROLE_ARN },
      ],
    };
    expect(statuses(classify(object, context))).toEqual([]);
    const onFargate = classify(object, {
      ...context,
      fargateSelectors: [{ namespace: 'vote' }],
    });
    expect(onFargate).toMatchObject({ mode: 'pod-identity', fargate: true });
    expect(statuses(onFargate)).toEqual(['pod-env-injected:fail']);
  });
});

describe('fargateSelects', () => {
  it('reads the wildcards Fargate selectors allow, in namespaces and label values', () => {
    expect(fargateSelects({ namespace: 'vote-*' }, 'vote-prod', {})).toBe(true);
    expect(fargateSelects({ namespace: 'vote-?' }, 'vote-12', {})).toBe(false);
    expect(fargateSelects({ namespace: 'vote.*' }, 'vote-a', {})).toBe(false);
    expect(
      fargateSelects({ namespace: 'vote', labels: { tier: 'web*' } }, 'vote', {
        tier: 'web-1',
      }),
    ).toBe(true);
    expect(
      fargateSelects(
        { namespace: 'vote', labels: { tier: 'web' } },
        'vote',
        {},
      ),
    ).toBe(false);
  });
});
