import { policyAllowsSecrets, secretProviderClassNames } from './secretAccess';

const ROLE = 'arn:aws:iam::123456789012:role/vote-service';
const secretArn = (name: string) =>
  `arn:aws:secretsmanager:eu-west-3:123456789012:secret:${name}-AbCdEf`;
const allowing = (resource: string) => ({
  status: 'found' as const,
  value: [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow' as const,
          Action: [
            'secretsmanager:GetSecretValue',
            'secretsmanager:DescribeSecret',
          ],
          Resource: resource,
        },
      ],
    },
  ],
});
const found = (name: string) => ({
  providerClass: 'vote-secrets',
  secretId: name,
  secret: { status: 'found' as const, value: { arn: secretArn(name) } },
});

describe('policyAllowsSecrets', () => {
  it('passes when the role may read every mounted secret', () => {
    expect(
      policyAllowsSecrets(
        allowing(
          'arn:aws:secretsmanager:eu-west-3:123456789012:secret:vote-app-??????',
        ),
        [found('vote-app')],
        ROLE,
      ),
    ).toMatchObject({ check: 'policy-allows-secret', status: 'pass' });
  });

  it('fails on the one it may not read, naming it, and keeps the others out of the verdict', () => {
    const check = policyAllowsSecrets(
      allowing(secretArn('vote-app')),
      [found('vote-app'), found('other')],
      ROLE,
    );
    expect(check.status).toBe('fail');
    expect(check.message).toContain(secretArn('other'));
    expect(check.message).not.toContain(secretArn('vote-app'));
    expect(check.fix).toBe(
      `Allow secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${secretArn(
        'other',
      )} in the role's policy.`,
    );
  });

  it('fails with the command that creates a secret that is not there, and says unknown for one it could not read', () => {
    const missing = policyAllowsSecrets(
      allowing('*'),
      [
        {
          providerClass: 'vote-secrets',
          secretId: 'vote-app',
          secret: { status: 'not-found' },
        },
      ],
      ROLE,
    );
    expect(missing).toMatchObject({
      status: 'fail',
      fix: 'aws secretsmanager create-secret --name vote-app --secret-string <value>',
    });
    const unread = policyAllowsSecrets(
      allowing('*'),
      [
        {
          providerClass: 'vote-secrets',
          secretId: 'vote-app',
          secret: { status: 'unknown', reason: 'AccessDeniedException' },
        },
      ],
      ROLE,
    );
    expect(unread.status).toBe('unknown');
    expect(unread.message).toContain('AccessDeniedException');
  });
});

describe('secretProviderClassNames', () => {
  it('names each SecretProviderClass the pods mount through the Secrets Store CSI driver, once', () => {
    const pod = (classes: string[]) => ({
      metadata: { name: 'p', namespace: 'vote' },
      spec: {
        containers: [{ name: 'vote' }],
        volumes: [
          { name: 'tmp' },
          ...classes.map(c => ({
            name: c,
            csi: {
              driver: 'secrets-store.csi.k8s.io',
              volumeAttributes: { secretProviderClass: c },
            },
          })),
          {
            name: 'other-csi',
            csi: {
              driver: 'ebs.csi.aws.com',
              volumeAttributes: { secretProviderClass: 'not-this' },
            },
          },
        ],
      },
    });
    expect(
      secretProviderClassNames([pod(['b', 'a']), pod(['a'])] as any),
    ).toEqual(['a', 'b']);
    expect(secretProviderClassNames([pod([])] as any)).toEqual([]);
  });
});
