import {
  checkIrsaChain,
  checkPodIdentityChain,
  IamRoleFacts,
  IrsaChainInput,
  Lookup,
} from './chain';
import { classifyWorkload } from './classify';
import {
  eksDynamoServiceAccount,
  irsaInjectedEnv,
  irsaTrustPolicy,
  ISSUER,
  podIdentityInjectedEnv,
  podOf,
  ROLE_ARN,
  seedTablePolicy,
  seedWithServiceAccount,
  deployment,
  TABLE_ARN,
} from './__fixtures__/seed';
import { toWorkloadInput } from './workloads';

const found = <T>(value: T): Lookup<T> => ({ status: 'found', value });
const providerArn = `arn:aws:iam::123456789012:oidc-provider/${ISSUER.replace(
  'https://',
  '',
)}`;

function irsaInput(
  overrides: Partial<IrsaChainInput> = {},
  trust = irsaTrustPolicy(),
): IrsaChainInput {
  const pods = [
    podOf(
      seedWithServiceAccount.spec.template,
      'vote-7d9f-abcde',
      irsaInjectedEnv,
    ),
  ];
  const workload = classifyWorkload(
    toWorkloadInput(seedWithServiceAccount, pods)!,
    {
      serviceAccounts: [eksDynamoServiceAccount],
      podIdentityAssociations: [],
    },
  );
  const role: IamRoleFacts = {
    arn: ROLE_ARN,
    trustPolicy: trust,
    policies: found([seedTablePolicy]),
  };
  return {
    workload,
    pods,
    role: found(role),
    oidcIssuer: found(ISSUER),
    oidcProvider: found({ arn: providerArn, clientIds: ['sts.amazonaws.com'] }),
    table: {
      tableArn: TABLE_ARN,
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    },
    ...overrides,
  };
}

const byId = (checks: { check: string; status: string }[]) =>
  Object.fromEntries(checks.map(c => [c.check, c.status]));

describe('checkIrsaChain', () => {
  it('passes every link of the seed IRSA setup', () => {
    const checks = checkIrsaChain(irsaInput());
    expect(byId(checks)).toEqual({
      'role-arn-format': 'pass',
      'role-exists': 'pass',
      'trust-federated-principal': 'pass',
      'trust-sub': 'pass',
      'trust-aud': 'pass',
      'oidc-provider-registered': 'pass',
      'pod-env-injected': 'pass',
      'policy-allows-table': 'pass',
    });
    expect(checks.every(c => c.status !== 'pass' || c.fix === '')).toBe(true);
  });

  it('fails trust-sub when the trust policy names another ServiceAccount, with a fix', () => {
    const checks = checkIrsaChain(
      irsaInput({}, irsaTrustPolicy('system:serviceaccount:vote:wrong-sa')),
    );
    const sub = checks.find(c => c.check === 'trust-sub')!;
    expect(sub.status).toBe('fail');
    expect(sub.message).toContain('system:serviceaccount:vote:wrong-sa');
    expect(sub.fix).toContain('system:serviceaccount:vote:eks-dynamo');
  });

  describe('the trust fix as an artefact', () => {
    const trustTrio = (checks: { check: string; status: string }[]) => {
      const ids = byId(checks);
      return [
        ids['trust-federated-principal'],
        ids['trust-sub'],
        ids['trust-aud'],
      ];
    };
    const applied = (input: IrsaChainInput) => {
      const sub = checkIrsaChain(input).find(c => c.check === 'trust-sub')!;
      const [policy, command] = sub.artefacts!;
      expect(policy.language).toBe('json');
      expect(command.content).toBe(
        'aws iam update-assume-role-policy --role-name eks-dynamo-service-account-role --policy-document file://trust-policy.json',
      );
      return JSON.parse(policy.content);
    };

    it('a wrong ServiceAccount: the corrected policy passes the chain and keeps the other subject', () => {
      const broken = irsaTrustPolicy('system:serviceaccount:vote:wrong-sa');
      (broken.Statement as any[]).push({
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      });
      const corrected = applied(irsaInput({}, broken));
      expect(trustTrio(checkIrsaChain(irsaInput({}, corrected)))).toEqual([
        'pass',
        'pass',
        'pass',
      ]);
      const issuer = ISSUER.replace('https://', '');
      expect(
        corrected.Statement[0].Condition.StringEquals[`${issuer}:sub`],
      ).toEqual([
        'system:serviceaccount:vote:wrong-sa',
        'system:serviceaccount:vote:eks-dynamo',
      ]);
      expect(corrected.Statement[1]).toEqual(broken.Statement[1]);
    });

    it('another cluster only: a statement for this cluster is added beside it', () => {
      const input = irsaInput({
        oidcIssuer: found('https://oidc.eks.eu-west-3.amazonaws.com/id/OTHER'),
      });
      const corrected = applied(input);
      expect(corrected.Statement).toHaveLength(2);
      expect(
        trustTrio(
          checkIrsaChain({
            ...input,
            role: found({
              ...(input.role as any).value,
              trustPolicy: corrected,
            }),
          }),
        ),
      ).toEqual(['pass', 'pass', 'pass']);
    });

    it('a StringLike that refuses the subject and a wrong audience are both repaired', () => {
      const trust = irsaTrustPolicy();
      const issuer = ISSUER.replace('https://', '');
      (trust.Statement[0] as any).Condition = {
        StringLike: { [`${issuer}:sub`]: 'system:serviceaccount:other:*' },
        StringEquals: { [`${issuer}:aud`]: 'sts.example.com' },
      };
      const corrected = applied(irsaInput({}, trust));
      expect(trustTrio(checkIrsaChain(irsaInput({}, corrected)))).toEqual([
        'pass',
        'pass',
        'pass',
      ]);
    });

    it('a refused table action: the policy to add makes the check pass', () => {
      const input = irsaInput({
        table: {
          tableArn: TABLE_ARN,
          actions: ['dynamodb:GetItem', 'dynamodb:DeleteTable'],
        },
      });
      const check = checkIrsaChain(input).find(
        c => c.check === 'policy-allows-table',
      )!;
      expect(check.status).toBe('fail');
      const statement = JSON.parse(check.artefacts![0].content);
      expect(statement.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:DeleteTable'],
          Resource: TABLE_ARN,
        },
      ]);
      const role = (input.role as any).value;
      const repaired = checkIrsaChain({
        ...input,
        role: found({
          ...role,
          policies: found([...role.policies.value, statement]),
        }),
      });
      expect(byId(repaired)['policy-allows-table']).toBe('pass');
    });

    it('carries no artefact on a passing trust', () => {
      const sub = checkIrsaChain(irsaInput()).find(
        c => c.check === 'trust-sub',
      )!;
      expect(sub.artefacts).toBeUndefined();
    });
  });

  it('accepts a StringLike sub with wildcards', () => {
    const trust = irsaTrustPolicy();
    const stmt = trust.Statement[0] as any;
    const issuer = ISSUER.replace('https://', '');
    stmt.Condition = {
      StringLike: { [`${issuer}:sub`]: 'system:serviceaccount:vote:*' },
      StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
    };
    expect(byId(checkIrsaChain(irsaInput({}, trust)))['trust-sub']).toBe(
      'pass',
    );
  });

  it('warns when there is no sub condition at all', () => {
    const trust = irsaTrustPolicy();
    const issuer = ISSUER.replace('https://', '');
    (trust.Statement[0] as any).Condition = {
      StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
    };
    expect(byId(checkIrsaChain(irsaInput({}, trust)))['trust-sub']).toBe(
      'warn',
    );
  });

  it('fails the federated principal when the trust names another cluster', () => {
    const checks = checkIrsaChain(
      irsaInput({
        oidcIssuer: found('https://oidc.eks.eu-west-3.amazonaws.com/id/OTHER'),
      }),
    );
    expect(byId(checks)['trust-federated-principal']).toBe('fail');
  });

  it('fails role-arn-format and stops there for a malformed annotation', () => {
    const input = irsaInput();
    const checks = checkIrsaChain({
      ...input,
      workload: { ...input.workload, roleArn: 'arn:aws:iam::123:user/bob' },
    });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      check: 'role-arn-format',
      status: 'fail',
    });
  });

  it('says unknown for what it could not read, never pass or fail', () => {
    const checks = checkIrsaChain(
      irsaInput({
        role: { status: 'unknown', reason: 'AccessDenied on iam:GetRole' },
      }),
    );
    const ids = byId(checks);
    expect(ids['role-exists']).toBe('unknown');
    expect(ids['trust-sub']).toBe('unknown');
    expect(ids['policy-allows-table']).toBe('unknown');
  });

  it('fails when the role does not exist', () => {
    expect(
      byId(checkIrsaChain(irsaInput({ role: { status: 'not-found' } })))[
        'role-exists'
      ],
    ).toBe('fail');
  });

  it('fails when the OIDC provider is missing or lacks the sts audience', () => {
    expect(
      byId(
        checkIrsaChain(irsaInput({ oidcProvider: { status: 'not-found' } })),
      )['oidc-provider-registered'],
    ).toBe('fail');
    expect(
      byId(
        checkIrsaChain(
          irsaInput({
            oidcProvider: found({ arn: providerArn, clientIds: ['other'] }),
          }),
        ),
      )['oidc-provider-registered'],
    ).toBe('fail');
  });

  it('fails pod-env-injected for a pod started before the annotation, naming a restart', () => {
    const input = irsaInput();
    const stale = podOf(seedWithServiceAccount.spec.template, 'vote-old');
    const check = checkIrsaChain({
      ...input,
      pods: [...input.pods, stale],
    }).find(c => c.check === 'pod-env-injected')!;
    expect(check.status).toBe('fail');
    expect(check.message).toContain('vote-old');
    expect(check.fix).toBe(
      'Restart the pods: kubectl rollout restart deployment/vote -n vote',
    );
    // The same line to copy.
    expect(check.artefacts).toEqual([
      {
        label: 'Restart the pods',
        language: 'shell',
        content: 'kubectl rollout restart deployment/vote -n vote',
      },
    ]);
  });

  it('fails pod-env-injected for a pod that runs with an older role', () => {
    const input = irsaInput();
    const env = irsaInjectedEnv.map(e =>
      e.name === 'AWS_ROLE_ARN'
        ? { ...e, value: 'arn:aws:iam::123456789012:role/old' }
        : e,
    );
    const old = podOf(seedWithServiceAccount.spec.template, 'vote-prev', env);
    expect(
      byId(checkIrsaChain({ ...input, pods: [old] }))['pod-env-injected'],
    ).toBe('fail');
  });

  it('fails the policy check for an action the policy lacks', () => {
    const input = irsaInput({
      table: {
        tableArn: TABLE_ARN,
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      },
    });
    const check = checkIrsaChain(input).find(
      c => c.check === 'policy-allows-table',
    )!;
    expect(check.status).toBe('fail');
    expect(check.message).toContain('dynamodb:BatchGetItem');
    expect(check.message).not.toContain('dynamodb:GetItem,');
  });

  it('warns when the policy allows the actions on every table', () => {
    const broad = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow' as const, Action: 'dynamodb:*', Resource: '*' },
      ],
    };
    const input = irsaInput();
    const role = { ...(input.role as any).value, policies: found([broad]) };
    expect(
      byId(checkIrsaChain({ ...input, role: found(role) }))[
        'policy-allows-table'
      ],
    ).toBe('warn');
  });

  it('lets a simulation answer win over the local evaluation', () => {
    const input = irsaInput({
      table: {
        tableArn: TABLE_ARN,
        actions: ['dynamodb:GetItem'],
        simulated: { 'dynamodb:GetItem': 'explicitDeny' },
      },
    });
    expect(byId(checkIrsaChain(input))['policy-allows-table']).toBe('fail');
  });
});

describe('checkPodIdentityChain', () => {
  const template = deployment('vote-pi', { serviceAccountName: 'vote-sa' });
  const podTrust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ],
  };
  const setup = (
    trust = podTrust,
    association: Lookup<{ roleArn?: string }> = found({ roleArn: ROLE_ARN }),
  ) => {
    const pods = [
      podOf(template.spec.template, 'vote-pi-1', podIdentityInjectedEnv),
    ];
    const workload = classifyWorkload(toWorkloadInput(template, pods)!, {
      serviceAccounts: [],
      podIdentityAssociations: [
        { namespace: 'vote', serviceAccount: 'vote-sa', roleArn: ROLE_ARN },
      ],
    });
    return checkPodIdentityChain({
      workload,
      pods,
      clusterName: 'vote-demo',
      association,
      role: found({
        arn: ROLE_ARN,
        trustPolicy: trust,
        policies: found([seedTablePolicy]),
      }),
      table: { tableArn: TABLE_ARN, actions: ['dynamodb:GetItem'] },
    });
  };

  it('passes a complete Pod Identity setup', () => {
    expect(byId(setup())).toEqual({
      'association-exists': 'pass',
      'role-exists': 'pass',
      'trust-pods-principal': 'pass',
      'pod-env-injected': 'pass',
      'policy-allows-table': 'pass',
    });
  });

  it('fails the trust check without sts:TagSession', () => {
    const trust = {
      ...podTrust,
      Statement: [{ ...podTrust.Statement[0], Action: ['sts:AssumeRole'] }],
    };
    expect(byId(setup(trust))['trust-pods-principal']).toBe('fail');
  });

  it('gives the corrected trust policy, which passes, keeping the other statements', () => {
    const irsaStatement = irsaTrustPolicy().Statement[0] as any;
    const trust = {
      ...podTrust,
      Statement: [
        irsaStatement,
        { ...podTrust.Statement[0], Action: ['sts:AssumeRole'] },
      ],
    };
    const check = setup(trust as any).find(
      c => c.check === 'trust-pods-principal',
    )!;
    const corrected = JSON.parse(check.artefacts![0].content);
    expect(corrected.Statement[0]).toEqual(irsaStatement);
    expect(byId(setup(corrected))['trust-pods-principal']).toBe('pass');
    expect(check.artefacts![1].content).toBe(
      'aws iam update-assume-role-policy --role-name eks-dynamo-service-account-role --policy-document file://trust-policy.json',
    );
  });

  it('fails without an association, with the command that creates one', () => {
    const checks = setup(podTrust, { status: 'not-found' });
    const check = checks.find(c => c.check === 'association-exists')!;
    expect(check.status).toBe('fail');
    expect(check.fix).toContain(
      '--cluster-name vote-demo --namespace vote --service-account vote-sa',
    );
  });
});
