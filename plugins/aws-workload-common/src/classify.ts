import { IRSA_ROLE_ARN_ANNOTATION } from './annotations';
import { Check, CredentialMode, fail, unknown, warn } from './checks';
import {
  ObjectMeta,
  Pod,
  PodIdentityAssociation,
  PodSpec,
  PodTemplateSpec,
  KeySource,
  ServiceAccount,
} from './kubernetes';
import {
  containersOf,
  envValue,
  scanPodSpec,
  StaticKeyUse,
} from './staticKeys';

/** The Pod Identity Agent's link-local addresses (IPv4 and IPv6). */
const POD_IDENTITY_HOSTS = ['169.254.170.23', '[fd00:ec2::23]'];

/**
 * kube2iam and kiam: the role their metadata proxy hands the pod.
 *
 * @public
 */
export const METADATA_PROXY_ROLE_ANNOTATION = 'iam.amazonaws.com/role';

/** IRSA's optional ServiceAccount annotations, read by the EKS webhook. */
const IRSA_AUDIENCE = 'eks.amazonaws.com/audience';
const IRSA_REGIONAL_STS = 'eks.amazonaws.com/sts-regional-endpoints';
const IRSA_TOKEN_EXPIRATION = 'eks.amazonaws.com/token-expiration';
/** The webhook's bounds for token-expiration, in seconds. */
const TOKEN_EXPIRATION_RANGE = [600, 86400];

/**
 * A workload (or a bare Pod) reduced to what the classifier reads.
 *
 * @public
 */
export interface WorkloadInput {
  kind: string;
  metadata: ObjectMeta;
  template: PodTemplateSpec;
  /** The workload's pods; empty when it is scaled to zero or not running. */
  pods: Pod[];
}

/**
 * Which pods a Fargate profile runs: a namespace and, optionally, labels
 * the pod must all carry.
 *
 * @public
 */
export interface FargateSelector {
  namespace: string;
  labels?: Record<string, string>;
}

/**
 * What else is known in the workload's namespace. `undefined` means "could
 * not look" (no permission, upstream down), which is never read as "none".
 *
 * @public
 */
export interface ClassifyContext {
  serviceAccounts?: ServiceAccount[];
  keySources?: KeySource[];
  podIdentityAssociations?: PodIdentityAssociation[];
  /**
   * The lists hold only what was given (the offline inspector's inputs): an
   * object that is not among them may still exist, so its absence is
   * reported as unknown rather than read as "none".
   */
  openWorld?: boolean;
  /** Fargate profiles' selectors, where they are known. */
  fargateSelectors?: FargateSelector[];
  /** Every pod runs on Fargate (the inspector's `--fargate`). */
  allOnFargate?: boolean;
}

/** @public */
export interface WorkloadClassification {
  kind: string;
  namespace: string;
  name: string;
  mode: CredentialMode;
  serviceAccount: string;
  /** The IAM role: from the ServiceAccount (IRSA) or the association (Pod Identity). */
  roleArn?: string;
  associationArn?: string;
  fargate: boolean;
  staticKeys: StaticKeyUse[];
  /**
   * static-keys-present, partial-keys, envfrom-unknown, node-role-fallback,
   * metadata-proxy-role, and the IRSA annotations' pod-env-injected.
   */
  findings: Check[];
}

/** @public */
export function serviceAccountNameOf(spec: PodSpec | undefined): string {
  return spec?.serviceAccountName || spec?.serviceAccount || 'default';
}

const hasEnv = (spec: PodSpec | undefined, name: string) =>
  containersOf(spec).some(c => c.env?.some(e => e.name === name && e.value));

export function hasIrsaEnv(pod: Pod): boolean {
  return (
    hasEnv(pod.spec, 'AWS_ROLE_ARN') &&
    hasEnv(pod.spec, 'AWS_WEB_IDENTITY_TOKEN_FILE')
  );
}

export function hasPodIdentityEnv(pod: Pod): boolean {
  return containersOf(pod.spec).some(c => {
    const uri = envValue(c, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
    return (
      uri !== undefined &&
      POD_IDENTITY_HOSTS.some(host => uri.startsWith(`http://${host}/`))
    );
  });
}

/** A Fargate selector value: `*` is any run of characters, `?` one. */
const globMatches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/**
 * Whether a Fargate profile's selector takes pods of this namespace with
 * these labels (both may use the `*` and `?` wildcards).
 *
 * @public
 */
export function fargateSelects(
  selector: FargateSelector,
  namespace: string,
  labels: Record<string, string> | undefined,
): boolean {
  return (
    globMatches(selector.namespace, namespace) &&
    Object.entries(selector.labels ?? {}).every(
      ([k, v]) => labels?.[k] !== undefined && globMatches(v, labels[k]),
    )
  );
}

/** Fargate pods have no instance role and no Pod Identity Agent. */
export function isFargate(
  pods: Pod[],
  template: PodTemplateSpec,
  context: Pick<ClassifyContext, 'fargateSelectors' | 'allOnFargate'> & {
    namespace?: string;
  } = {},
): boolean {
  const onFargate = (meta?: ObjectMeta, spec?: PodSpec) =>
    Boolean(meta?.labels?.['eks.amazonaws.com/fargate-profile']) ||
    spec?.schedulerName === 'fargate-scheduler' ||
    Boolean(spec?.nodeName?.startsWith('fargate-'));
  const selected = (context.fargateSelectors ?? []).some(s =>
    fargateSelects(
      s,
      context.namespace ?? 'default',
      template.metadata?.labels,
    ),
  );
  return (
    Boolean(context.allOnFargate) ||
    selected ||
    pods.some(p => onFargate(p.metadata, p.spec)) ||
    onFargate(template.metadata, template.spec)
  );
}

function dedupe(checks: Check[]): Check[] {
  const seen = new Set<string>();
  return checks.filter(c => {
    const key = `${c.check}|${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface NodeRoleSituation {
  fargate: boolean;
  namespace: string;
  serviceAccount: string;
  context: ClassifyContext;
  /** The ServiceAccount object, when it is among what was read. */
  found: boolean;
}

function nodeRoleFinding(s: NodeRoleSituation): Check {
  const { context, serviceAccount } = s;
  const shown = `ServiceAccount ${s.namespace}/${serviceAccount}`;
  if (
    context.serviceAccounts === undefined ||
    context.podIdentityAssociations === undefined
  ) {
    return unknown(
      'node-role-fallback',
      `No IRSA or Pod Identity seen for ServiceAccount ${serviceAccount}, but ${
        context.serviceAccounts === undefined
          ? 'its ServiceAccount'
          : 'the Pod Identity associations'
      } could not be read.`,
    );
  }
  // Every namespace has a `default` ServiceAccount; others must be given.
  if (context.openWorld && !s.found && serviceAccount !== 'default') {
    return unknown(
      'node-role-fallback',
      `${shown} is not among the inputs, so whether it names an IAM role (IRSA) is unknown; no Pod Identity association for it is among them either.`,
      `Inspect ${shown} together with the workload.`,
    );
  }
  const fix = `Bind ServiceAccount ${serviceAccount} to an IAM role: annotate it with ${IRSA_ROLE_ARN_ANNOTATION} (IRSA) or create an EKS Pod Identity association.`;
  return s.fargate
    ? fail(
        'node-role-fallback',
        'The pods run on Fargate, which has no node role and no Pod Identity Agent: they get no AWS credentials at all.',
        fix,
      )
    : warn(
        'node-role-fallback',
        "No credentials are configured, so the SDK uses the node's instance role: every pod on the node shares it, and calls it does not allow are denied.",
        fix,
      );
}

/** kube2iam / kiam: the SDK asks the instance metadata, which a proxy answers. */
function metadataProxyFinding(role: string, serviceAccount: string): Check {
  return warn(
    'metadata-proxy-role',
    `The pods ask for role ${role} through ${METADATA_PROXY_ROLE_ANNOTATION} (kube2iam or kiam): a proxy on the node answers the instance metadata calls, so the credentials depend on that proxy and on the node role being allowed to assume ${role}.`,
    `Move ServiceAccount ${serviceAccount} to IRSA or EKS Pod Identity with that role, then remove the annotation.`,
  );
}

/** IRSA's optional annotations, as the EKS Pod Identity webhook reads them. */
function irsaAnnotationFindings(sa: ServiceAccount | undefined): Check[] {
  const annotations = sa?.metadata.annotations ?? {};
  const name = sa?.metadata.name ?? '';
  const findings: Check[] = [];
  const regional = annotations[IRSA_REGIONAL_STS];
  if (regional !== undefined && !['true', 'false'].includes(regional)) {
    findings.push(
      warn(
        'pod-env-injected',
        `ServiceAccount ${name} has ${IRSA_REGIONAL_STS}: "${regional}", which the webhook ignores (it takes "true" or "false").`,
        `Set ${IRSA_REGIONAL_STS} to "true".`,
      ),
    );
  }
  const expiration = annotations[IRSA_TOKEN_EXPIRATION];
  if (expiration !== undefined) {
    const seconds = Number(expiration);
    const [min, max] = TOKEN_EXPIRATION_RANGE;
    if (!/^\d+$/.test(expiration.trim()) || seconds < min || seconds > max) {
      findings.push(
        warn(
          'pod-env-injected',
          `ServiceAccount ${name} has ${IRSA_TOKEN_EXPIRATION}: "${expiration}"; the webhook takes whole seconds from ${min} to ${max} and uses its default otherwise.`,
          `Set ${IRSA_TOKEN_EXPIRATION} to a number of seconds from ${min} to ${max}.`,
        ),
      );
    }
  }
  const audience = annotations[IRSA_AUDIENCE];
  if (audience !== undefined && audience.trim() !== 'sts.amazonaws.com') {
    findings.push(
      warn(
        'trust-aud',
        `ServiceAccount ${name} asks for tokens with audience "${audience}": the role's trust policy must allow that aud, and the cluster's OIDC provider must list it as a client ID.`,
        `Add "${audience}" to the trust policy's :aud condition and to the OIDC provider's client IDs, or remove ${IRSA_AUDIENCE}.`,
      ),
    );
  }
  return findings;
}

/**
 * The credential mode of one workload, following the AWS SDK's default
 * chain: environment keys, shared credentials file, web identity (IRSA),
 * container credentials (Pod Identity), then the instance (node) role.
 *
 * @public
 */
export function classifyWorkload(
  workload: WorkloadInput,
  context: ClassifyContext = {},
): WorkloadClassification {
  const namespace = workload.metadata.namespace ?? 'default';
  const specs = [workload.template.spec, ...workload.pods.map(p => p.spec)];
  const serviceAccount = serviceAccountNameOf(workload.template.spec);
  const fargate = isFargate(workload.pods, workload.template, {
    ...context,
    namespace,
  });

  const keyContext = {
    namespace,
    owner: { kind: workload.kind, name: workload.metadata.name ?? '' },
    keySources: context.keySources,
    openWorld: context.openWorld,
  };
  const scans = specs.map(s => scanPodSpec(s, keyContext));
  const staticKeys = dedupeUses(scans.flatMap(s => s.uses));
  const findings = dedupe(scans.flatMap(s => s.findings));
  const base = {
    kind: workload.kind,
    namespace,
    name: workload.metadata.name ?? '',
    serviceAccount,
    fargate,
    staticKeys,
    findings,
  };

  const sa = context.serviceAccounts?.find(
    s =>
      s.metadata.name === serviceAccount &&
      (s.metadata.namespace ?? 'default') === namespace,
  );
  const irsaRole = sa?.metadata.annotations?.[IRSA_ROLE_ARN_ANNOTATION]?.trim();
  const association = context.podIdentityAssociations?.find(
    a => a.namespace === namespace && a.serviceAccount === serviceAccount,
  );

  if (staticKeys.length > 0) {
    return {
      ...base,
      mode: 'static-keys',
      roleArn: irsaRole || association?.roleArn,
    };
  }
  if (irsaRole || workload.pods.some(hasIrsaEnv)) {
    return {
      ...base,
      mode: 'irsa',
      roleArn: irsaRole || podRoleArn(workload.pods),
      findings: [...findings, ...irsaAnnotationFindings(sa)],
    };
  }
  if (association || workload.pods.some(hasPodIdentityEnv)) {
    return {
      ...base,
      mode: 'pod-identity',
      roleArn: association?.roleArn,
      associationArn: association?.associationArn,
      findings: fargate
        ? [
            ...findings,
            fail(
              'pod-env-injected',
              'The pods run on Fargate, where EKS Pod Identity is not supported (no Pod Identity Agent runs there): they get no credentials from the association.',
              `Use IRSA for ServiceAccount ${serviceAccount} on Fargate, or run the pods on EC2 nodes.`,
            ),
          ]
        : findings,
    };
  }
  const proxyRole =
    workload.template.metadata?.annotations?.[METADATA_PROXY_ROLE_ANNOTATION];
  // A credential_process answers before the node role is reached; its
  // finding already says where the credentials come from.
  const fromProcess = scans.some(s => s.credentialProcess);
  return {
    ...base,
    mode: 'node-role',
    findings: fromProcess
      ? findings
      : [
          ...findings,
          proxyRole
            ? metadataProxyFinding(proxyRole, serviceAccount)
            : nodeRoleFinding({
                fargate,
                namespace,
                serviceAccount,
                context,
                found: sa !== undefined,
              }),
        ],
  };
}

function podRoleArn(pods: Pod[]): string | undefined {
  for (const pod of pods) {
    for (const c of containersOf(pod.spec)) {
      const arn = envValue(c, 'AWS_ROLE_ARN');
      if (arn) return arn;
    }
  }
  return undefined;
}

function dedupeUses(uses: StaticKeyUse[]): StaticKeyUse[] {
  const seen = new Set<string>();
  return uses.filter(u => {
    const key = `${u.container}|${u.via}|${u.source ?? ''}|${
      u.accessKeyId ?? ''
    }`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
