/**
 * Credential modes, in the API's spelling (design contract).
 *
 * @public
 */
export type CredentialMode =
  | 'irsa'
  | 'pod-identity'
  | 'static-keys'
  | 'node-role';

/** @public */
export const CREDENTIAL_MODES: readonly CredentialMode[] = [
  'irsa',
  'pod-identity',
  'static-keys',
  'node-role',
];

/**
 * How people read the modes; the API keeps the strings above.
 *
 * @public
 */
export const CREDENTIAL_MODE_LABELS: Record<CredentialMode, string> = {
  irsa: 'IRSA',
  'pod-identity': 'Pod Identity',
  'static-keys': 'Static keys',
  'node-role': 'Node role',
};

/** @public */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unknown';

/** @public */
export type IrsaCheckId =
  | 'role-arn-format'
  | 'role-exists'
  | 'trust-federated-principal'
  | 'trust-sub'
  | 'trust-aud'
  | 'oidc-provider-registered'
  | 'pod-env-injected'
  | 'policy-allows-table'
  | 'policy-allows-secret';

/** @public */
export type PodIdentityCheckId =
  | 'association-exists'
  | 'role-exists'
  | 'trust-pods-principal'
  | 'pod-env-injected'
  | 'policy-allows-table'
  | 'policy-allows-secret';

/** @public */
export type StaticKeysCheckId =
  | 'static-keys-present'
  | 'partial-keys'
  | 'envfrom-unknown';

/** @public */
export type NodeRoleCheckId = 'node-role-fallback' | 'metadata-proxy-role';

/** @public */
export type CheckId =
  | IrsaCheckId
  | PodIdentityCheckId
  | StaticKeysCheckId
  | NodeRoleCheckId;

/**
 * One link of a credential chain: what was found and how to fix it.
 *
 * @public
 */
export interface Check {
  check: CheckId;
  status: CheckStatus;
  message: string;
  /** One line; empty when there is nothing to fix. */
  fix: string;
  /**
   * What to apply, with the entity's own values: a corrected policy, a
   * command. Absent where the fix sentence is all there is.
   */
  artefacts?: FixArtefact[];
}

/**
 * One thing to copy and apply for a fix.
 *
 * @public
 */
export interface FixArtefact {
  /** What it is, for the reader: "Corrected trust policy". */
  label: string;
  /** `json` for a document, `shell` for a command line. */
  language: 'json' | 'shell';
  content: string;
}

export const pass = (check: CheckId, message: string): Check => ({
  check,
  status: 'pass',
  message,
  fix: '',
});
export const fail = (check: CheckId, message: string, fix: string): Check => ({
  check,
  status: 'fail',
  message,
  fix,
});
export const warn = (check: CheckId, message: string, fix: string): Check => ({
  check,
  status: 'warn',
  message,
  fix,
});
export const unknown = (check: CheckId, message: string, fix = ''): Check => ({
  check,
  status: 'unknown',
  message,
  fix,
});
