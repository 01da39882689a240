import { WorkloadClassification } from './classify';
import { PolicyDocument } from './policy';
import {
  checkChainOffline,
  isTemplatePlaceholder,
  OfflineRole,
} from './offline';

const workload = (
  over: Partial<WorkloadClassification>,
): WorkloadClassification => ({
  kind: 'Deployment',
  namespace: 'vote',
  name: 'vote',
  mode: 'irsa',
  serviceAccount: 'vote',
  fargate: false,
  staticKeys: [],
  findings: [],
  ...over,
});
const checks = (r: { checks: { check: string; status: string }[] }) =>
  r.checks.map(c => `${c.check}:${c.status}`);
const podsTrust = (actions: string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: actions,
    },
  ],
});

describe('checkChainOffline', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/vote', 'role-arn-format:pass'],
    ['arn:aws:iam::12345:role/vote', 'role-arn-format:fail'],
    ['arn:aws:iam::${ACCOUNT}:role/vote', 'role-arn-format:warn'],
    ['{{ .Values.roleArn }}', 'role-arn-format:warn'],
  ])('checks the IRSA role ARN %s', (roleArn, expected) => {
    const result = checkChainOffline(workload({ roleArn }));
    expect(checks(result)).toEqual([expected]);
    expect(result.skipped).toContain('trust-sub');
  });

  it('does not check the format of a role resolved at deploy, and says so', () => {
    const roles = new Map<string, OfflineRole>([
      [
        'aws_iam_role.app.arn',
        { source: 'aws_iam_role.app (main.tf)', deployTime: true },
      ],
    ]);
    const result = checkChainOffline(
      workload({ roleArn: 'aws_iam_role.app.arn' }),
      roles,
    );
    expect(result.checks).toEqual([]);
    expect(result.skipped).toContain('role-arn-format');
  });

  it("checks a Pod Identity role's trust where the role is among the inputs", () => {
    const roleArn = 'aws_iam_role.app.arn';
    const role = (actions: string[]): Map<string, OfflineRole> =>
      new Map([
        [
          roleArn,
          {
            source: 'aws_iam_role.app (main.tf)',
            deployTime: true,
            trustPolicy: podsTrust(actions),
          },
        ],
      ]);
    const w = workload({ mode: 'pod-identity', roleArn });
    expect(
      checks(checkChainOffline(w, role(['sts:AssumeRole', 'sts:TagSession']))),
    ).toEqual(['association-exists:pass', 'trust-pods-principal:pass']);
    const bad = checkChainOffline(w, role(['sts:AssumeRole']));
    expect(checks(bad)).toEqual([
      'association-exists:pass',
      'trust-pods-principal:fail',
    ]);
    expect(bad.checks[1].message).toContain('aws_iam_role.app (main.tf)');
    expect(bad.checks[1].artefacts).toBeUndefined();
    expect(checkChainOffline(w).skipped).toContain('trust-pods-principal');
  });

  it('fails an association that names no role', () => {
    expect(
      checks(checkChainOffline(workload({ mode: 'pod-identity' }))),
    ).toEqual(['association-exists:fail']);
  });

  it('recognises template placeholders and nothing else', () => {
    expect(
      ['${X}', '{{ .Values.x }}', '$(ROLE)', '<account>'].every(
        isTemplatePlaceholder,
      ),
    ).toBe(true);
    expect(isTemplatePlaceholder('arn:aws:iam::123456789012:role/app')).toBe(
      false,
    );
  });
});
