import { roleArnFormatCheck, trustsPods } from './chain';
import { Check, CheckId, fail, pass, warn } from './checks';
import { WorkloadClassification } from './classify';
import { PolicyDocument } from './policy';

/**
 * An IAM role defined among the offline inputs (Terraform, CloudFormation,
 * ACK, eksctl), keyed by the string a ServiceAccount or association uses for
 * it: a literal ARN, or a reference resolved at deploy time.
 *
 * @public
 */
export interface OfflineRole {
  /** Where it is defined, for the reader: `aws_iam_role.service (infra/main.tf)`. */
  source: string;
  /** The ARN is computed when the IaC is applied, so its format is not checked. */
  deployTime: boolean;
  /** The trust policy, where it could be read. */
  trustPolicy?: PolicyDocument;
}

/** @public */
export interface OfflineChainResult {
  checks: Check[];
  /** Checks of the mode's chain that need AWS (or a live cluster) to run. */
  skipped: CheckId[];
}

/**
 * `${VAR}`, `{{ .Values.x }}`, `$(VAR)` and `<account>`: a template's
 * placeholder, not a value.
 */
const PLACEHOLDER =
  /\$\{[^}]*\}|\{\{.*?\}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|<[^<>]+>/;

/** @public */
export const isTemplatePlaceholder = (value: string) => PLACEHOLDER.test(value);

function roleArnFormat(
  roleArn: string,
  role: OfflineRole | undefined,
): Check | undefined {
  if (role?.deployTime) return undefined;
  if (isTemplatePlaceholder(roleArn)) {
    return warn(
      'role-arn-format',
      `The role ARN "${roleArn}" holds a template placeholder: this file is a template, not what the cluster gets.`,
      'Inspect the rendered output (helm template, kustomize build, envsubst) instead of the template.',
    );
  }
  return roleArnFormatCheck(roleArn);
}

function irsaOffline(
  w: WorkloadClassification,
  roles: Map<string, OfflineRole>,
): OfflineChainResult {
  const roleArn = w.roleArn ?? '';
  const format = roleArnFormat(roleArn, roles.get(roleArn));
  const skipped: CheckId[] = [
    ...(format ? [] : (['role-arn-format'] as CheckId[])),
    'role-exists',
    'trust-federated-principal',
    'trust-sub',
    'trust-aud',
    'oidc-provider-registered',
    'pod-env-injected',
    'policy-allows-table',
  ];
  return { checks: format ? [format] : [], skipped };
}

function podIdentityOffline(
  w: WorkloadClassification,
  roles: Map<string, OfflineRole>,
): OfflineChainResult {
  const skipped: CheckId[] = [
    'role-exists',
    'pod-env-injected',
    'policy-allows-table',
  ];
  if (!w.roleArn) {
    return {
      checks: [
        fail(
          'association-exists',
          `The association for ${w.namespace}/${w.serviceAccount} among the inputs names no role.`,
          'Give the association a role ARN.',
        ),
      ],
      skipped: [...skipped, 'trust-pods-principal'],
    };
  }
  const checks = [
    pass(
      'association-exists',
      `An association among the inputs binds ${w.namespace}/${w.serviceAccount} to ${w.roleArn}.`,
    ),
  ];
  const role = roles.get(w.roleArn);
  if (!role?.trustPolicy) {
    return { checks, skipped: [...skipped, 'trust-pods-principal'] };
  }
  // The console and CLI artefacts are for a live role; offline the fix goes
  // into the file that defines it.
  const { artefacts: _artefacts, ...trust } = trustsPods({
    status: 'found',
    value: {
      arn: w.roleArn,
      trustPolicy: role.trustPolicy,
      policies: { status: 'unknown', reason: 'offline' },
    },
  });
  checks.push(
    trust.status === 'fail'
      ? { ...trust, message: `${trust.message} (${role.source})` }
      : trust,
  );
  return { checks, skipped };
}

/**
 * The links of a workload's chain that need no AWS call, run on what the
 * inputs hold; the rest are listed as skipped. Static-key and node-role
 * findings come from the classification itself.
 *
 * @public
 */
export function checkChainOffline(
  workload: WorkloadClassification,
  roles: Map<string, OfflineRole> = new Map(),
): OfflineChainResult {
  switch (workload.mode) {
    case 'irsa':
      return irsaOffline(workload, roles);
    case 'pod-identity':
      return podIdentityOffline(workload, roles);
    default:
      return { checks: [], skipped: [] };
  }
}
