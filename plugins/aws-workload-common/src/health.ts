import {
  Check,
  CheckId,
  CheckStatus,
  CREDENTIAL_MODE_LABELS,
  CredentialMode,
} from './checks';

/**
 * Each check as people read it: what holds when the link is healthy. The id
 * stays the check's name in the API, the CLI and search.
 *
 * @public
 */
export const CHECK_TITLES: Record<CheckId, string> = {
  'role-arn-format': 'The role ARN is well formed',
  'role-exists': 'The role exists',
  'trust-federated-principal': "Trust policy names the cluster's OIDC provider",
  'trust-sub': 'Trust policy names this ServiceAccount',
  'trust-aud': 'Trust policy expects the STS audience',
  'oidc-provider-registered':
    "The cluster's OIDC provider is registered in IAM",
  'pod-env-injected': 'Pods received the credential variables',
  'policy-allows-table': "The role's policy allows the table",
  'policy-allows-secret': "The role's policy allows the mounted secrets",
  'association-exists': 'A Pod Identity association binds the ServiceAccount',
  'trust-pods-principal': 'Trust policy allows EKS Pod Identity',
  'static-keys-present': 'No static AWS keys in the pods',
  'partial-keys': 'No half of an AWS key pair',
  'envfrom-unknown': 'Variables from envFrom can be read',
  'node-role-fallback': "Pods do not fall back to the node's role",
  'metadata-proxy-role': 'No role through a metadata proxy (kube2iam, kiam)',
};

/**
 * The title of a check id, or the id itself for one this version does not
 * know (a newer backend's).
 *
 * @public
 */
export function checkTitle(check: string): string {
  return (CHECK_TITLES as Record<string, string>)[check] ?? check;
}

/**
 * A check status in words, for the checklist and for assistive technology.
 *
 * @public
 */
export const CHECK_STATUS_LABELS: Record<CheckStatus, string> = {
  fail: 'Failing',
  warn: 'Warning',
  unknown: 'Not verified',
  pass: 'Passed',
};

/**
 * The health of one credential chain, from its checks: failing wins over
 * warnings, warnings over checks that could not be verified.
 *
 * @public
 */
export interface ChainHealth {
  /** The worst status among the checks, in words for a chip's colour. */
  status: 'failing' | 'warning' | 'unknown' | 'healthy';
  /** Checks with status `fail`. */
  failing: number;
  /** Checks with status `warn`. */
  warnings: number;
  /** Checks the backend could not verify (status `unknown`). */
  unknown: number;
  /** Checks with status `pass`. */
  passed: number;
  /** "1 check failing", "2 warnings", "3 not verified" or "healthy". */
  summary: string;
}

const counted = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

/**
 * The health of a chain from its checks (see {@link ChainHealth}).
 *
 * @public
 */
export function chainHealth(
  checks: readonly Pick<Check, 'status'>[],
): ChainHealth {
  const count = (status: CheckStatus) =>
    checks.filter(c => c.status === status).length;
  const failing = count('fail');
  const warnings = count('warn');
  const unknown = count('unknown');
  const passed = count('pass');
  const base = { failing, warnings, unknown, passed };
  if (failing > 0) {
    return {
      ...base,
      status: 'failing',
      summary: `${counted(failing, 'check', 'checks')} failing`,
    };
  }
  if (warnings > 0) {
    return {
      ...base,
      status: 'warning',
      summary: counted(warnings, 'warning', 'warnings'),
    };
  }
  if (unknown > 0) {
    return { ...base, status: 'unknown', summary: `${unknown} not verified` };
  }
  return { ...base, status: 'healthy', summary: 'healthy' };
}

/**
 * What a mode chip says: the mode and the health of its chain, for example
 * "IRSA · 1 check failing" or "Pod Identity · healthy".
 *
 * @public
 */
export function modeHealthLabel(
  mode: CredentialMode,
  health: ChainHealth,
): string {
  return `${CREDENTIAL_MODE_LABELS[mode]} · ${health.summary}`;
}

/**
 * The checks in the order people need them: failing, then warnings, then
 * not verified, then passed (each group in the chain's own order).
 *
 * @public
 */
export function checksByUrgency<T extends Pick<Check, 'status'>>(
  checks: readonly T[],
): T[] {
  const rank: Record<CheckStatus, number> = {
    fail: 0,
    warn: 1,
    unknown: 2,
    pass: 3,
  };
  return checks
    .map((check, i) => ({ check, i }))
    .sort((a, b) => rank[a.check.status] - rank[b.check.status] || a.i - b.i)
    .map(({ check }) => check);
}
