import { IRSA_ROLE_ARN_ANNOTATION } from './annotations';
import {
  ArnError,
  issuerHostPath,
  oidcProviderArnForIssuer,
  parseIamRoleArn,
} from './arn';
import {
  Check,
  CheckId,
  fail,
  FixArtefact,
  pass,
  unknown,
  warn,
} from './checks';
import {
  hasIrsaEnv,
  hasPodIdentityEnv,
  WorkloadClassification,
} from './classify';
import { Pod } from './kubernetes';
import { policyAllowsSecrets, SecretAccess } from './secretAccess';
import {
  asArray,
  Decision,
  evaluate,
  PolicyDocument,
  PolicyStatement,
  statementsOf,
  tableAccessPolicy,
  wildcardMatch,
} from './policy';

/**
 * What the backend learned about one upstream fact.
 *
 * @public
 */
export type Lookup<T> =
  | { status: 'found'; value: T }
  | { status: 'not-found' }
  | { status: 'unknown'; reason: string };

/** @public */
export interface IamRoleFacts {
  arn: string;
  trustPolicy: PolicyDocument;
  /** Inline and attached identity policies; a Lookup since listing may be denied. */
  policies: Lookup<PolicyDocument[]>;
}

/** @public */
export interface OidcProviderFacts {
  arn: string;
  clientIds: string[];
}

/** @public */
export interface TableAccess {
  tableArn: string;
  actions: string[];
  /** iam:SimulatePrincipalPolicy's EvalDecision per action, where allowed to call it. */
  simulated?: Record<string, 'allowed' | 'explicitDeny' | 'implicitDeny'>;
}

/** @public */
export interface IrsaChainInput {
  workload: WorkloadClassification;
  pods: Pod[];
  role: Lookup<IamRoleFacts>;
  /** The cluster's OIDC issuer URL (EKS DescribeCluster). */
  oidcIssuer: Lookup<string>;
  oidcProvider: Lookup<OidcProviderFacts>;
  /** Absent when the entity names no table. */
  table?: TableAccess;
  /** Secrets Manager secrets the pods mount through the CSI driver. */
  secrets?: SecretAccess[];
}

/** @public */
export interface PodIdentityChainInput {
  workload: WorkloadClassification;
  pods: Pod[];
  clusterName?: string;
  association: Lookup<{ roleArn?: string; associationArn?: string }>;
  role: Lookup<IamRoleFacts>;
  table?: TableAccess;
  secrets?: SecretAccess[];
}

/** The secrets link, where the pods mount any: after the table's. */
function secretsCheck(
  role: Lookup<IamRoleFacts>,
  secrets: SecretAccess[] | undefined,
  roleArn: string,
): Check[] {
  if (!secrets || secrets.length === 0) return [];
  return [
    role.status === 'found'
      ? policyAllowsSecrets(role.value.policies, secrets, roleArn)
      : unknown('policy-allows-secret', 'The role could not be read.'),
  ];
}

const STS_AUDIENCE = 'sts.amazonaws.com';
const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

const restart = (w: WorkloadClassification) =>
  `kubectl rollout restart ${w.kind.toLowerCase()}/${w.name} -n ${w.namespace}`;

function roleExists(role: Lookup<IamRoleFacts>, roleArn: string): Check {
  if (role.status === 'found')
    return pass('role-exists', `Role ${roleArn} exists.`);
  if (role.status === 'not-found') {
    return fail(
      'role-exists',
      `Role ${roleArn} does not exist.`,
      'Create the role (apply the service infrastructure) or correct the ARN.',
    );
  }
  return unknown(
    'role-exists',
    `Could not read role ${roleArn}: ${role.reason}`,
  );
}

const allowsAction = (s: PolicyStatement, action: string) =>
  s.Effect === 'Allow' &&
  asArray(s.Action).some(a => wildcardMatch(a, action, true));

const principalValues = (s: PolicyStatement, type: string): string[] =>
  s.Principal === '*' ? ['*'] : asArray(s.Principal?.[type]);

/** Values of a condition key under the given operators, with the operator. */
function conditionValues(s: PolicyStatement, key: string, operators: string[]) {
  const found: { operator: string; values: string[] }[] = [];
  for (const [operator, block] of Object.entries(s.Condition ?? {})) {
    if (!operators.includes(operator)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === key.toLowerCase()) {
        found.push({
          operator,
          values: asArray(v as string | string[]).map(String),
        });
      }
    }
  }
  return found;
}

function conditionMatches(
  s: PolicyStatement,
  key: string,
  expected: string,
): 'match' | 'mismatch' | 'absent' {
  const equals = conditionValues(s, key, [
    'StringEquals',
    'ForAnyValue:StringEquals',
  ]);
  const like = conditionValues(s, key, [
    'StringLike',
    'ForAnyValue:StringLike',
  ]);
  if (equals.length === 0 && like.length === 0) return 'absent';
  // Every operator present must hold, as IAM ANDs condition blocks.
  const ok =
    equals.every(c => c.values.includes(expected)) &&
    like.every(c => c.values.some(v => wildcardMatch(v, expected)));
  return ok ? 'match' : 'mismatch';
}

function trustChecks(
  input: IrsaChainInput,
  roleArnAccount: string,
  partition: 'aws' | 'aws-cn' | 'aws-us-gov',
): Check[] {
  const ids: CheckId[] = [
    'trust-federated-principal',
    'trust-sub',
    'trust-aud',
  ];
  if (input.role.status !== 'found') {
    return ids.map(id =>
      unknown(
        id,
        'The trust policy could not be read because the role could not be.',
      ),
    );
  }
  if (input.oidcIssuer.status !== 'found') {
    const reason =
      input.oidcIssuer.status === 'unknown'
        ? input.oidcIssuer.reason
        : 'the cluster has none';
    return ids.map(id =>
      unknown(id, `The cluster's OIDC issuer is not known: ${reason}`),
    );
  }
  const issuer = issuerHostPath(input.oidcIssuer.value);
  const providerArn = oidcProviderArnForIssuer(
    input.oidcIssuer.value,
    roleArnAccount,
    partition,
  );
  const statements = statementsOf(input.role.value.trustPolicy).filter(
    s =>
      allowsAction(s, WEB_IDENTITY) &&
      principalValues(s, 'Federated').includes(providerArn),
  );
  const fixTrust = `Trust ${providerArn} for ${WEB_IDENTITY} with StringEquals ${issuer}:sub = system:serviceaccount:${input.workload.namespace}:${input.workload.serviceAccount} and ${issuer}:aud = ${STS_AUDIENCE}.`;
  const withArtefacts = (check: Check): Check =>
    check.status === 'fail' || check.status === 'warn'
      ? {
          ...check,
          artefacts: trustFixArtefacts(
            input.role.status === 'found' ? input.role.value : undefined,
            {
              providerArn,
              issuer,
              subject: `system:serviceaccount:${input.workload.namespace}:${input.workload.serviceAccount}`,
            },
          ),
        }
      : check;
  if (statements.length === 0) {
    const named = statementsOf(input.role.value.trustPolicy)
      .flatMap(s => principalValues(s, 'Federated'))
      .join(', ');
    return [
      fail(
        'trust-federated-principal',
        `The trust policy does not allow ${WEB_IDENTITY} to this cluster's OIDC provider ${providerArn}${
          named ? ` (it names ${named})` : ''
        }.`,
        fixTrust,
      ),
      fail(
        'trust-sub',
        'No trust statement for this cluster, so no ServiceAccount can assume the role.',
        fixTrust,
      ),
      fail(
        'trust-aud',
        'No trust statement for this cluster to carry the audience condition.',
        fixTrust,
      ),
    ].map(withArtefacts);
  }
  const subject = `system:serviceaccount:${input.workload.namespace}:${input.workload.serviceAccount}`;
  const subs = statements.map(s =>
    conditionMatches(s, `${issuer}:sub`, subject),
  );
  const auds = statements.map(s =>
    conditionMatches(s, `${issuer}:aud`, STS_AUDIENCE),
  );
  return [
    pass(
      'trust-federated-principal',
      `The trust policy allows ${WEB_IDENTITY} to ${providerArn}.`,
    ),
    pickCheck(subs, {
      match: () => pass('trust-sub', `The sub condition admits ${subject}.`),
      mismatch: () =>
        fail(
          'trust-sub',
          `The sub condition does not admit ${subject}: it names ${describeCondition(
            statements,
            `${issuer}:sub`,
          )}.`,
          fixTrust,
        ),
      absent: () =>
        warn(
          'trust-sub',
          'The trust policy has no sub condition: every ServiceAccount in the cluster can assume this role.',
          `Add StringEquals ${issuer}:sub = ${subject}.`,
        ),
    }),
    pickCheck(auds, {
      match: () => pass('trust-aud', `The aud condition is ${STS_AUDIENCE}.`),
      mismatch: () =>
        fail(
          'trust-aud',
          `The aud condition is ${describeCondition(
            statements,
            `${issuer}:aud`,
          )}, not ${STS_AUDIENCE}.`,
          `Set StringEquals ${issuer}:aud = ${STS_AUDIENCE}.`,
        ),
      absent: () =>
        warn(
          'trust-aud',
          'The trust policy has no aud condition.',
          `Add StringEquals ${issuer}:aud = ${STS_AUDIENCE}.`,
        ),
    }),
  ].map(withArtefacts);
}

/**
 * The role's trust policy with this ServiceAccount admitted through the
 * cluster's provider: the provider's first web-identity statement gets the
 * subject among its StringEquals sub values and the STS audience (a
 * StringLike on either key that would still refuse them is dropped), or a
 * statement is added; every other statement is kept as it was.
 */
export function correctedTrustPolicy(
  policy: PolicyDocument,
  target: { providerArn: string; issuer: string; subject: string },
): PolicyDocument {
  const { providerArn, issuer, subject } = target;
  const statements: PolicyStatement[] = JSON.parse(
    JSON.stringify(statementsOf(policy)),
  );
  const sub = `${issuer}:sub`;
  const aud = `${issuer}:aud`;
  const index = statements.findIndex(
    s =>
      allowsAction(s, WEB_IDENTITY) &&
      principalValues(s, 'Federated').includes(providerArn),
  );
  if (index < 0) {
    statements.push({
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: WEB_IDENTITY,
      Condition: { StringEquals: { [sub]: subject, [aud]: STS_AUDIENCE } },
    });
  } else {
    const statement = statements[index];
    const condition = (statement.Condition ??= {});
    const equals = (condition.StringEquals ??= {});
    const subjects = asArray(equals[sub] as string | string[] | undefined);
    const admitted = subjects.includes(subject)
      ? subjects
      : [...subjects, subject];
    equals[sub] = admitted.length === 1 ? admitted[0] : admitted;
    equals[aud] = STS_AUDIENCE;
    const like = condition.StringLike;
    if (like) {
      for (const key of [sub, aud]) {
        const patterns = asArray(like[key] as string | string[] | undefined);
        const expected = key === sub ? subject : STS_AUDIENCE;
        if (
          patterns.length &&
          !patterns.some(p => wildcardMatch(p, expected))
        ) {
          delete like[key];
        }
      }
      if (Object.keys(like).length === 0) delete condition.StringLike;
    }
  }
  return { Version: policy.Version ?? '2012-10-17', Statement: statements };
}

/** The role's name: the ARN's last path segment (roles may have paths). */
const roleNameOf = (roleArn: string) => roleArn.split('/').pop() ?? roleArn;

/** A trust policy to apply and the command that applies it to the role. */
function trustPolicyArtefacts(
  roleArn: string,
  policy: PolicyDocument,
): FixArtefact[] {
  return [
    {
      label: 'Corrected trust policy (trust-policy.json)',
      language: 'json',
      content: JSON.stringify(policy, null, 2),
    },
    {
      label: 'Apply it',
      language: 'shell',
      content: `aws iam update-assume-role-policy --role-name ${roleNameOf(
        roleArn,
      )} --policy-document file://trust-policy.json`,
    },
  ];
}

function trustFixArtefacts(
  role: IamRoleFacts | undefined,
  target: { providerArn: string; issuer: string; subject: string },
): FixArtefact[] | undefined {
  return role
    ? trustPolicyArtefacts(
        role.arn,
        correctedTrustPolicy(role.trustPolicy, target),
      )
    : undefined;
}

/**
 * An inline policy that allows exactly the refused actions on the table,
 * and the command that puts it on the role.
 */
function tableAccessArtefacts(
  roleArn: string,
  tableArn: string,
  actions: string[],
): FixArtefact[] {
  const tableName = tableArn.split('/').pop() ?? 'table';
  const policy = tableAccessPolicy(tableArn, actions);
  return [
    {
      label: 'Policy statement to add (table-policy.json)',
      language: 'json',
      content: JSON.stringify(policy, null, 2),
    },
    {
      label: 'Apply it as an inline policy',
      language: 'shell',
      content: `aws iam put-role-policy --role-name ${roleNameOf(
        roleArn,
      )} --policy-name ${tableName}-access --policy-document file://table-policy.json`,
    },
  ];
}

type ConditionOutcome = 'match' | 'mismatch' | 'absent';

/** One matching statement is enough; a mismatch beats a missing condition. */
function pickCheck(
  outcomes: ConditionOutcome[],
  build: Record<ConditionOutcome, () => Check>,
): Check {
  if (outcomes.includes('match')) return build.match();
  return outcomes.includes('mismatch') ? build.mismatch() : build.absent();
}

function describeCondition(statements: PolicyStatement[], key: string): string {
  const values = statements.flatMap(s =>
    conditionValues(s, key, [
      'StringEquals',
      'StringLike',
      'ForAnyValue:StringEquals',
      'ForAnyValue:StringLike',
    ]).flatMap(c => c.values),
  );
  return values.length ? values.join(', ') : 'nothing';
}

function oidcProviderCheck(
  input: IrsaChainInput,
  account: string,
  partition: 'aws' | 'aws-cn' | 'aws-us-gov',
): Check {
  const id = 'oidc-provider-registered';
  if (input.oidcIssuer.status !== 'found') {
    return unknown(id, "The cluster's OIDC issuer is not known.");
  }
  const expected = oidcProviderArnForIssuer(
    input.oidcIssuer.value,
    account,
    partition,
  );
  const fix = `Register the cluster's issuer in IAM with client id ${STS_AUDIENCE} (eksctl utils associate-iam-oidc-provider, or the template's Terraform).`;
  switch (input.oidcProvider.status) {
    case 'unknown':
      return unknown(
        id,
        `Could not read ${expected}: ${input.oidcProvider.reason}`,
      );
    case 'not-found':
      return fail(
        id,
        `The OIDC provider ${expected} is not registered in IAM.`,
        fix,
      );
    default:
      return input.oidcProvider.value.clientIds.includes(STS_AUDIENCE)
        ? pass(
            id,
            `The OIDC provider is registered with client id ${STS_AUDIENCE}.`,
          )
        : fail(
            id,
            `The OIDC provider is registered without client id ${STS_AUDIENCE} (it has ${
              input.oidcProvider.value.clientIds.join(', ') || 'none'
            }).`,
            `Add ${STS_AUDIENCE} to the provider's client ids (aws iam add-client-id-to-open-id-connect-provider).`,
          );
  }
}

const podName = (p: Pod) => p.metadata.name ?? '?';

function envInjectedCheck(
  workload: WorkloadClassification,
  pods: Pod[],
  injected: (pod: Pod) => boolean,
  what: string,
): Check {
  if (pods.length === 0) {
    return warn(
      'pod-env-injected',
      `No running pod to check for the ${what} environment.`,
      'Check again once a pod runs.',
    );
  }
  const missing = pods.filter(p => !injected(p));
  if (missing.length === 0) {
    return pass(
      'pod-env-injected',
      `Every running pod (${pods.length}) has the ${what} environment.`,
    );
  }
  return {
    ...fail(
      'pod-env-injected',
      `Pod${missing.length > 1 ? 's' : ''} ${missing
        .map(podName)
        .join(
          ', ',
        )} started without the ${what} environment (started before the binding existed, or the webhook or agent did not run).`,
      `Restart the pods: ${restart(workload)}`,
    ),
    artefacts: [
      {
        label: 'Restart the pods',
        language: 'shell',
        content: restart(workload),
      },
    ],
  };
}

function irsaEnvInjected(input: IrsaChainInput): Check {
  const roleArn = input.workload.roleArn;
  const injected = (pod: Pod) =>
    hasIrsaEnv(pod) &&
    (!roleArn ||
      [
        ...(pod.spec?.initContainers ?? []),
        ...(pod.spec?.containers ?? []),
      ].every(
        c =>
          !c.env?.some(e => e.name === 'AWS_ROLE_ARN' && e.value !== roleArn),
      ));
  return envInjectedCheck(
    input.workload,
    input.pods,
    injected,
    `IRSA (AWS_ROLE_ARN = ${roleArn}, AWS_WEB_IDENTITY_TOKEN_FILE)`,
  );
}

/** A table ARN in the same account that no least-privilege policy names. */
const otherTable = (tableArn: string) =>
  tableArn.replace(/table\/.*$/, 'table/__another-table-of-this-account__');

const SIMULATED_DECISIONS: Record<string, Decision> = {
  allowed: 'allowed',
  explicitDeny: 'denied',
  implicitDeny: 'implicit-deny',
};

/** Does the role's identity policy allow the table actions, and only there? */
export function policyAllowsTable(
  policies: Lookup<PolicyDocument[]>,
  table: TableAccess,
  roleArn: string,
): Check {
  const id = 'policy-allows-table';
  const decide = (action: string): Decision => {
    const simulated = table.simulated?.[action];
    if (simulated) return SIMULATED_DECISIONS[simulated];
    return policies.status === 'found'
      ? evaluate(policies.value, action, table.tableArn)
      : 'implicit-deny';
  };
  if (policies.status !== 'found' && !table.simulated) {
    return unknown(
      id,
      `Could not read the policies of ${roleArn}${
        policies.status === 'unknown' ? `: ${policies.reason}` : ''
      }.`,
    );
  }
  const decisions = table.actions.map(a => [a, decide(a)] as const);
  const refused = decisions
    .filter(([, d]) => d === 'denied' || d === 'implicit-deny')
    .map(([a]) => a);
  const conditional = decisions
    .filter(([, d]) => d === 'conditional')
    .map(([a]) => a);
  if (refused.length > 0) {
    return {
      ...fail(
        id,
        `Role ${roleArn} is not allowed ${refused.join(', ')} on ${
          table.tableArn
        }.`,
        `Allow ${refused.join(', ')} on ${
          table.tableArn
        } in the role's policy.`,
      ),
      // An explicit Deny elsewhere wins over any Allow: then the artefact
      // alone is not enough, and the sentence says what to allow.
      artefacts: tableAccessArtefacts(roleArn, table.tableArn, refused),
    };
  }
  if (conditional.length > 0) {
    return warn(
      id,
      `${conditional.join(', ')} on the table ${
        conditional.length > 1 ? 'are' : 'is'
      } allowed only under conditions that depend on the request.`,
      'Check the conditions, or let the backend call iam:SimulatePrincipalPolicy.',
    );
  }
  const elsewhere = otherTable(table.tableArn);
  const broad =
    policies.status === 'found' &&
    table.actions.some(
      a => evaluate(policies.value, a, elsewhere) !== 'implicit-deny',
    );
  return broad
    ? warn(
        id,
        `The role is allowed the table actions on other tables too, not only ${table.tableArn}.`,
        `Scope the policy's Resource to ${table.tableArn}.`,
      )
    : pass(
        id,
        `Role ${roleArn} is allowed ${table.actions.join(', ')} on ${
          table.tableArn
        } only.`,
      );
}

/**
 * The first link of IRSA's chain, which needs no AWS call.
 */
export function roleArnFormatCheck(roleArn: string): Check {
  try {
    parseIamRoleArn(roleArn);
  } catch (e) {
    return fail(
      'role-arn-format',
      `The ServiceAccount's ${IRSA_ROLE_ARN_ANNOTATION} is not a role ARN (${
        (e as ArnError).message
      }).`,
      `Set ${IRSA_ROLE_ARN_ANNOTATION} to arn:aws:iam::<account>:role/<name>.`,
    );
  }
  return pass('role-arn-format', `${roleArn} is a well-formed role ARN.`);
}

/**
 * The IRSA chain, link by link.
 *
 * @public
 */
export function checkIrsaChain(input: IrsaChainInput): Check[] {
  const roleArn = input.workload.roleArn ?? '';
  const format = roleArnFormatCheck(roleArn);
  if (format.status !== 'pass') return [format];
  const parsed = parseIamRoleArn(roleArn);
  const checks = [
    format,
    roleExists(input.role, roleArn),
    ...trustChecks(input, parsed.accountId, parsed.partition),
    oidcProviderCheck(input, parsed.accountId, parsed.partition),
    irsaEnvInjected(input),
  ];
  if (input.table) {
    checks.push(
      input.role.status === 'found'
        ? policyAllowsTable(input.role.value.policies, input.table, roleArn)
        : unknown('policy-allows-table', 'The role could not be read.'),
    );
  }
  return [...checks, ...secretsCheck(input.role, input.secrets, roleArn)];
}

function associationCheck(input: PodIdentityChainInput): Check {
  const id = 'association-exists';
  const { namespace, serviceAccount } = input.workload;
  const fix = `aws eks create-pod-identity-association --cluster-name ${
    input.clusterName ?? '<cluster>'
  } --namespace ${namespace} --service-account ${serviceAccount} --role-arn <role-arn>`;
  switch (input.association.status) {
    case 'unknown':
      return unknown(
        id,
        `Could not list Pod Identity associations: ${input.association.reason}`,
      );
    case 'not-found':
      return fail(
        id,
        `No Pod Identity association names ${namespace}/${serviceAccount}.`,
        fix,
      );
    default:
      return input.association.value.roleArn
        ? pass(
            id,
            `An association binds ${namespace}/${serviceAccount} to ${input.association.value.roleArn}.`,
          )
        : fail(id, 'The association names no role.', fix);
  }
}

/** Whether the role's trust policy lets EKS Pod Identity assume it. */
export function trustsPods(role: Lookup<IamRoleFacts>): Check {
  const id = 'trust-pods-principal';
  if (role.status !== 'found')
    return unknown(id, 'The trust policy could not be read.');
  const statements = statementsOf(role.value.trustPolicy).filter(
    s =>
      s.Effect === 'Allow' &&
      principalValues(s, 'Service').includes('pods.eks.amazonaws.com'),
  );
  const both = statements.some(
    s => allowsAction(s, 'sts:AssumeRole') && allowsAction(s, 'sts:TagSession'),
  );
  if (both)
    return pass(
      id,
      'The trust policy allows pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession.',
    );
  return {
    ...fail(
      id,
      statements.length
        ? 'The trust policy names pods.eks.amazonaws.com without both sts:AssumeRole and sts:TagSession.'
        : 'The trust policy does not name the service principal pods.eks.amazonaws.com.',
      'Trust Service pods.eks.amazonaws.com with Action [sts:AssumeRole, sts:TagSession].',
    ),
    artefacts: trustPolicyArtefacts(
      role.value.arn,
      withPodIdentityTrust(role.value.trustPolicy),
    ),
  };
}

/**
 * The trust policy with EKS Pod Identity's statement: the statements naming
 * pods.eks.amazonaws.com become one that allows both actions it needs.
 */
export function withPodIdentityTrust(policy: PolicyDocument): PolicyDocument {
  const others = statementsOf(policy).filter(
    s => !principalValues(s, 'Service').includes('pods.eks.amazonaws.com'),
  );
  return {
    Version: policy.Version ?? '2012-10-17',
    Statement: [
      ...others,
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ],
  };
}

/**
 * The Pod Identity chain, link by link.
 *
 * @public
 */
export function checkPodIdentityChain(input: PodIdentityChainInput): Check[] {
  const roleArn =
    (input.association.status === 'found' && input.association.value.roleArn) ||
    input.workload.roleArn ||
    '';
  const checks = [associationCheck(input)];
  if (roleArn) {
    checks.push(roleExists(input.role, roleArn), trustsPods(input.role));
  }
  checks.push(
    envInjectedCheck(
      input.workload,
      input.pods,
      hasPodIdentityEnv,
      'Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
    ),
  );
  if (input.table && roleArn) {
    checks.push(
      input.role.status === 'found'
        ? policyAllowsTable(input.role.value.policies, input.table, roleArn)
        : unknown('policy-allows-table', 'The role could not be read.'),
    );
  }
  if (roleArn) checks.push(...secretsCheck(input.role, input.secrets, roleArn));
  return checks;
}
