import { Check, fail, pass, unknown, warn } from './checks';
import type { Lookup } from './chain';
import type { Pod } from './kubernetes';
import { evaluate, PolicyDocument } from './policy';

/** The Secrets Store CSI driver's name in a pod's `csi` volume. */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';

/**
 * The SecretProviderClasses the pods mount through the Secrets Store CSI
 * driver, each named once.
 *
 * @public
 */
export function secretProviderClassNames(pods: Pod[]): string[] {
  const names = pods.flatMap(pod =>
    (pod.spec?.volumes ?? [])
      .filter(v => v.csi?.driver === SECRETS_STORE_CSI_DRIVER)
      .map(v => v.csi?.volumeAttributes?.secretProviderClass)
      .filter((name): name is string => Boolean(name)),
  );
  return [...new Set(names)].sort();
}

/**
 * A Secrets Manager secret a workload mounts through the Secrets Store CSI
 * driver's AWS provider, as the backend found it.
 *
 * @public
 */
export interface SecretAccess {
  /** The SecretProviderClass that names it. */
  providerClass: string;
  /** The name or ARN the SecretProviderClass gives. */
  secretId: string;
  /** secretsmanager:DescribeSecret: the secret's ARN and its KMS key, if any. */
  secret: Lookup<{ arn: string; kmsKeyId?: string }>;
}

/**
 * What the CSI driver's AWS provider calls with the pod's identity.
 *
 * @public
 */
export const SECRET_READ_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:DescribeSecret',
];

const ID = 'policy-allows-secret';

/** One secret's verdict: a check of its own, merged below. */
function secretCheck(
  policies: Lookup<PolicyDocument[]>,
  access: SecretAccess,
  roleArn: string,
): Check {
  const where = `${access.secretId} (SecretProviderClass ${access.providerClass})`;
  if (access.secret.status === 'not-found') {
    return fail(
      ID,
      `The secret ${where} does not exist in Secrets Manager: the pods cannot start while the CSI driver cannot mount it.`,
      `aws secretsmanager create-secret --name ${access.secretId} --secret-string <value>`,
    );
  }
  if (access.secret.status === 'unknown') {
    return unknown(
      ID,
      `Could not read the secret ${where}: ${access.secret.reason}`,
    );
  }
  if (policies.status !== 'found') {
    return unknown(ID, `Could not read the policies of ${roleArn}.`);
  }
  const { arn } = access.secret.value;
  const refused = SECRET_READ_ACTIONS.filter(action =>
    ['denied', 'implicit-deny'].includes(evaluate(policies.value, action, arn)),
  );
  if (refused.length > 0) {
    return fail(
      ID,
      `Role ${roleArn} is not allowed ${refused.join(
        ', ',
      )} on ${arn}: the CSI driver mounts nothing and the pods do not start.`,
      `Allow ${refused.join(', ')} on ${arn} in the role's policy.`,
    );
  }
  if (
    SECRET_READ_ACTIONS.some(
      action => evaluate(policies.value, action, arn) === 'conditional',
    )
  ) {
    return warn(
      ID,
      `Reading ${arn} is allowed only under conditions that depend on the request.`,
      'Check the conditions of the role policy that names the secret.',
    );
  }
  return pass(ID, `Role ${roleArn} may read ${arn}.`);
}

const RANK = { fail: 0, unknown: 1, warn: 2, pass: 3 } as const;

/**
 * Whether the role may read every Secrets Manager secret its pods mount:
 * one check, the worst of the secrets', naming each that is not readable.
 *
 * @public
 */
export function policyAllowsSecrets(
  policies: Lookup<PolicyDocument[]>,
  secrets: SecretAccess[],
  roleArn: string,
): Check {
  const checks = secrets.map(s => secretCheck(policies, s, roleArn));
  const worst = checks.reduce((a, b) =>
    RANK[b.status] < RANK[a.status] ? b : a,
  );
  if (worst.status === 'pass') {
    return pass(
      ID,
      checks.length === 1
        ? checks[0].message
        : `Role ${roleArn} may read all ${checks.length} mounted secrets.`,
    );
  }
  const others = checks.filter(c => c !== worst && c.status !== 'pass');
  return {
    ...worst,
    message: [worst.message, ...others.map(c => c.message)].join(' '),
    fix: [worst.fix, ...others.map(c => c.fix)].filter(Boolean).join(' '),
  };
}
