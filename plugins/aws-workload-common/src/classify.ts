import { IRSA_ROLE_ARN_ANNOTATION } from './annotations';
import { Check, CredentialMode, fail, unknown, warn } from './checks';
import {
  Container,
  KeySource,
  ObjectMeta,
  Pod,
  PodIdentityAssociation,
  PodSpec,
  PodTemplateSpec,
  ServiceAccount,
  Volume,
} from './kubernetes';

/** @public */
export const ACCESS_KEY_ID = 'AWS_ACCESS_KEY_ID';
export const SECRET_ACCESS_KEY = 'AWS_SECRET_ACCESS_KEY';
const STATIC_KEY_NAMES = [ACCESS_KEY_ID, SECRET_ACCESS_KEY];

/** The Pod Identity Agent's link-local addresses (IPv4 and IPv6). */
const POD_IDENTITY_HOSTS = ['169.254.170.23', '[fd00:ec2::23]'];

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
 * What else is known in the workload's namespace. `undefined` means "could
 * not look" (no permission, upstream down), which is never read as "none".
 *
 * @public
 */
export interface ClassifyContext {
  serviceAccounts?: ServiceAccount[];
  keySources?: KeySource[];
  podIdentityAssociations?: PodIdentityAssociation[];
}

/**
 * How static keys reach a container. Never carries a secret value.
 *
 * @public
 */
export interface StaticKeyUse {
  container: string;
  via:
    | 'value'
    | 'secretKeyRef'
    | 'configMapKeyRef'
    | 'envFrom'
    | 'credentials-file';
  /** The Secret or ConfigMap that brings them, when there is one. */
  source?: string;
  /** The access key id masked to its last four characters, when it is literal. */
  accessKeyId?: string;
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
  /** static-keys-present, partial-keys, envfrom-unknown, node-role-fallback. */
  findings: Check[];
}

/**
 * `****ABCD`: enough to find the key in IAM, too little to use it.
 *
 * @public
 */
export function maskAccessKeyId(value: string): string {
  const trimmed = value.trim();
  return trimmed.length <= 4 ? '****' : `****${trimmed.slice(-4)}`;
}

/** @public */
export function serviceAccountNameOf(spec: PodSpec | undefined): string {
  return spec?.serviceAccountName || spec?.serviceAccount || 'default';
}

const containersOf = (spec: PodSpec | undefined): Container[] => [
  ...(spec?.initContainers ?? []),
  ...(spec?.containers ?? []),
  // A debug container runs in the pod with the same credential chain.
  ...(spec?.ephemeralContainers ?? []),
];

const envValue = (container: Container, name: string) =>
  container.env?.find(e => e.name === name)?.value;

interface KeyScan {
  uses: StaticKeyUse[];
  /** Key names that reach the container, by any route. */
  present: Set<string>;
  unknownEnvFrom: string[];
}

function scanEnv(container: Container, scan: KeyScan) {
  for (const env of container.env ?? []) {
    if (!STATIC_KEY_NAMES.includes(env.name)) continue;
    const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
    if (env.value !== undefined && env.value.trim() === '') continue;
    if (env.value === undefined && !ref) continue;
    scan.present.add(env.name);
    if (env.name !== ACCESS_KEY_ID) continue;
    scan.uses.push({
      container: container.name,
      ...(env.value !== undefined
        ? { via: 'value', accessKeyId: maskAccessKeyId(env.value) }
        : {
            via: env.valueFrom?.secretKeyRef
              ? 'secretKeyRef'
              : 'configMapKeyRef',
            source: ref?.name,
          }),
    });
  }
}

function scanEnvFrom(
  container: Container,
  namespace: string,
  keySources: KeySource[] | undefined,
  scan: KeyScan,
) {
  for (const from of container.envFrom ?? []) {
    const kind = from.secretRef ? 'Secret' : 'ConfigMap';
    const name = (from.secretRef ?? from.configMapRef)?.name ?? '';
    const known = keySources?.find(
      s => s.kind === kind && s.namespace === namespace && s.name === name,
    );
    if (!known) {
      scan.unknownEnvFrom.push(`${kind} ${name}`);
      continue;
    }
    const prefix = from.prefix ?? '';
    const brought = STATIC_KEY_NAMES.filter(k =>
      known.keys.some(key => prefix + key === k),
    );
    brought.forEach(k => scan.present.add(k));
    if (brought.includes(ACCESS_KEY_ID)) {
      scan.uses.push({
        container: container.name,
        via: 'envFrom',
        source: `${kind} ${name}`,
      });
    }
  }
}

const AWS_DIR_MOUNT = /\/\.aws\/?$/;
const CREDENTIALS_FILE_MOUNT = /\/\.aws\/credentials$/;

function secretOfVolume(volume: Volume | undefined): string | undefined {
  if (!volume) return undefined;
  if (volume.secret) return volume.secret.secretName ?? volume.name;
  const projected = volume.projected?.sources?.find(s => s.secret)?.secret;
  return projected ? projected.name ?? volume.name : undefined;
}

/**
 * A credentials file: a Secret mounted where the SDK looks (~/.aws/credentials)
 * or where AWS_SHARED_CREDENTIALS_FILE points.
 */
function scanCredentialsFile(
  container: Container,
  volumes: Volume[],
  scan: KeyScan,
) {
  const pointedTo = envValue(container, 'AWS_SHARED_CREDENTIALS_FILE');
  for (const mount of container.volumeMounts ?? []) {
    const secret = secretOfVolume(volumes.find(v => v.name === mount.name));
    if (!secret) continue;
    const path = mount.mountPath.replace(/\/+$/, '');
    const covers =
      CREDENTIALS_FILE_MOUNT.test(path) ||
      AWS_DIR_MOUNT.test(path) ||
      (pointedTo !== undefined &&
        (pointedTo === path || pointedTo.startsWith(`${path}/`)));
    if (covers) {
      scan.uses.push({
        container: container.name,
        via: 'credentials-file',
        source: `Secret ${secret}`,
      });
      return;
    }
  }
}

function staticKeyFindings(
  container: Container,
  scan: KeyScan,
  findings: Check[],
): StaticKeyUse[] {
  const fileUse = scan.uses.filter(u => u.via === 'credentials-file');
  const bothKeys = STATIC_KEY_NAMES.every(k => scan.present.has(k));
  const keyUses = bothKeys
    ? scan.uses.filter(u => u.via !== 'credentials-file')
    : [];
  const uses = [...keyUses, ...fileUse];
  for (const use of uses) {
    findings.push(
      fail(
        'static-keys-present',
        describeStaticUse(use),
        'Remove the keys from the pod, bind its ServiceAccount to an IAM role (IRSA or Pod Identity), then deactivate the access key in IAM.',
      ),
    );
  }
  if (!bothKeys && scan.present.size === 1) {
    const [only] = [...scan.present];
    findings.push(
      warn(
        'partial-keys',
        `Container ${container.name} gets ${only} without its pair, so the SDK ignores it.`,
        `Remove ${only} from container ${container.name}.`,
      ),
    );
  }
  for (const source of scan.unknownEnvFrom) {
    findings.push(
      warn(
        'envfrom-unknown',
        `Container ${container.name} takes every key of ${source}, whose key names could not be read: it may bring static AWS keys.`,
        `List the keys of ${source}; if it holds ${ACCESS_KEY_ID}, remove them and use IRSA or Pod Identity.`,
      ),
    );
  }
  return uses;
}

function describeStaticUse(use: StaticKeyUse): string {
  switch (use.via) {
    case 'value':
      return `Container ${use.container} has static AWS keys written in its environment (access key ${use.accessKeyId}).`;
    case 'credentials-file':
      return `Container ${use.container} mounts an AWS credentials file from ${use.source}.`;
    case 'envFrom':
      return `Container ${use.container} gets static AWS keys from every key of ${use.source}.`;
    default:
      return `Container ${use.container} gets static AWS keys from ${
        use.via === 'secretKeyRef' ? 'Secret' : 'ConfigMap'
      } ${use.source}.`;
  }
}

/** Static keys of one pod spec, with their findings. */
function scanPodSpec(
  spec: PodSpec | undefined,
  namespace: string,
  context: ClassifyContext,
) {
  const findings: Check[] = [];
  const uses: StaticKeyUse[] = [];
  for (const container of containersOf(spec)) {
    const scan: KeyScan = { uses: [], present: new Set(), unknownEnvFrom: [] };
    scanEnvFrom(container, namespace, context.keySources, scan);
    scanEnv(container, scan);
    scanCredentialsFile(container, spec?.volumes ?? [], scan);
    uses.push(...staticKeyFindings(container, scan, findings));
  }
  return { uses, findings };
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

/** Fargate pods have no instance role and no Pod Identity Agent. */
export function isFargate(pods: Pod[], template: PodTemplateSpec): boolean {
  const onFargate = (meta?: ObjectMeta, spec?: PodSpec) =>
    Boolean(meta?.labels?.['eks.amazonaws.com/fargate-profile']) ||
    spec?.schedulerName === 'fargate-scheduler' ||
    Boolean(spec?.nodeName?.startsWith('fargate-'));
  return (
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

function nodeRoleFinding(
  fargate: boolean,
  serviceAccount: string,
  context: ClassifyContext,
  lookedEverywhere: boolean,
): Check {
  if (!lookedEverywhere) {
    return unknown(
      'node-role-fallback',
      `No IRSA or Pod Identity seen for ServiceAccount ${serviceAccount}, but ${
        context.serviceAccounts === undefined
          ? 'its ServiceAccount'
          : 'the Pod Identity associations'
      } could not be read.`,
    );
  }
  const fix = `Bind ServiceAccount ${serviceAccount} to an IAM role: annotate it with ${IRSA_ROLE_ARN_ANNOTATION} (IRSA) or create an EKS Pod Identity association.`;
  return fargate
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
  const fargate = isFargate(workload.pods, workload.template);

  const scans = specs.map(s => scanPodSpec(s, namespace, context));
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
      (s.metadata.namespace ?? namespace) === namespace,
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
    };
  }
  if (association || workload.pods.some(hasPodIdentityEnv)) {
    return {
      ...base,
      mode: 'pod-identity',
      roleArn: association?.roleArn,
      associationArn: association?.associationArn,
    };
  }
  const lookedEverywhere =
    context.serviceAccounts !== undefined &&
    context.podIdentityAssociations !== undefined;
  return {
    ...base,
    mode: 'node-role',
    findings: [
      ...findings,
      nodeRoleFinding(fargate, serviceAccount, context, lookedEverywhere),
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
