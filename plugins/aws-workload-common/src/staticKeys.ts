import { Check, fail, FixArtefact, warn } from './checks';
import { WORKLOAD_KINDS } from './workloads';
import { Container, EnvVar, KeySource, PodSpec, Volume } from './kubernetes';

/** @public */
export const ACCESS_KEY_ID = 'AWS_ACCESS_KEY_ID';
export const SECRET_ACCESS_KEY = 'AWS_SECRET_ACCESS_KEY';

/**
 * Every environment name an AWS SDK reads an access key pair from: the
 * standard pair, the legacy Java SDK's `AWS_ACCESS_KEY`/`AWS_SECRET_KEY`,
 * and the Ruby SDK's `AMAZON_*` names. A pair is one name from each list.
 */
const ACCESS_KEY_NAMES = [
  ACCESS_KEY_ID,
  'AWS_ACCESS_KEY',
  'AMAZON_ACCESS_KEY_ID',
];
const SECRET_KEY_NAMES = [
  SECRET_ACCESS_KEY,
  'AWS_SECRET_KEY',
  'AMAZON_SECRET_ACCESS_KEY',
];
const KEY_NAMES = [...ACCESS_KEY_NAMES, ...SECRET_KEY_NAMES];

/**
 * Every environment name that carries part of a static key: the pairs'
 * names and the session token that goes with temporary ones.
 *
 * @public
 */
export const STATIC_KEY_ENV_NAMES: readonly string[] = [
  ...KEY_NAMES,
  'AWS_SESSION_TOKEN',
];

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
  /** The environment variable that carries the access key id, where one does. */
  variable?: string;
  /** The one that carries the secret access key, when it is set in `env`. */
  secretVariable?: string;
  /** The Secret or ConfigMap that brings them, when there is one. */
  source?: string;
  /** The access key id masked to its last four characters, when it is literal. */
  accessKeyId?: string;
}

/**
 * What else is known about the pod's namespace, as far as static keys go.
 * `openWorld` says the lists hold only what was given (offline inputs): a
 * Secret that is not among them may still exist.
 *
 * @public
 */
export interface KeyScanContext {
  namespace: string;
  /** The workload the pod spec is of, for the commands that fix it. */
  owner?: { kind: string; name: string };
  keySources?: KeySource[];
  openWorld?: boolean;
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

export const containersOf = (spec: PodSpec | undefined): Container[] =>
  [
    ...(spec?.initContainers ?? []),
    ...(spec?.containers ?? []),
    // A debug container runs in the pod with the same credential chain.
    ...(spec?.ephemeralContainers ?? []),
    // Knative and some operators let a single container go unnamed.
  ].map(c => (c.name ? c : { ...c, name: '(unnamed)' }));

export const envValue = (container: Container, name: string) =>
  container.env?.find(e => e.name === name)?.value;

interface KeyScan {
  uses: StaticKeyUse[];
  /** Key names that reach the container, by any route. */
  present: Set<string>;
  unknownEnvFrom: string[];
  /** Optional references whose object is not among the inputs: names by object. */
  maybe: Map<string, string[]>;
  credentialProcess: string[];
}

function findSource(
  context: KeyScanContext,
  kind: KeySource['kind'],
  name: string,
): KeySource | undefined {
  return context.keySources?.find(
    s =>
      s.kind === kind && s.namespace === context.namespace && s.name === name,
  );
}

type RefOutcome = 'present' | 'absent' | 'maybe';

/**
 * Whether a `secretKeyRef`/`configMapKeyRef` brings a value. A required
 * reference always does once the pod runs (it cannot start without it); an
 * optional one only when its object holds the key.
 */
function refOutcome(env: EnvVar, context: KeyScanContext): RefOutcome {
  const secretRef = env.valueFrom?.secretKeyRef;
  const ref = secretRef ?? env.valueFrom?.configMapKeyRef;
  if (!ref?.optional) return 'present';
  const source = findSource(
    context,
    secretRef ? 'Secret' : 'ConfigMap',
    ref.name ?? '',
  );
  if (source) return source.keys.includes(ref.key) ? 'present' : 'absent';
  if (context.keySources === undefined || context.openWorld) return 'maybe';
  return 'absent';
}

function scanEnv(container: Container, context: KeyScanContext, scan: KeyScan) {
  for (const env of container.env ?? []) {
    if (!KEY_NAMES.includes(env.name)) continue;
    const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
    if (env.value !== undefined && env.value.trim() === '') continue;
    if (env.value === undefined && !ref) continue;
    const kind = env.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
    const outcome =
      env.value !== undefined ? 'present' : refOutcome(env, context);
    if (outcome === 'absent') continue;
    if (outcome === 'maybe') {
      const source = `${kind} ${ref?.name}`;
      scan.maybe.set(source, [...(scan.maybe.get(source) ?? []), env.name]);
      continue;
    }
    scan.present.add(env.name);
    if (!ACCESS_KEY_NAMES.includes(env.name)) continue;
    scan.uses.push({
      container: container.name,
      variable: env.name,
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

/** The pair's other half, for the uses found in `env`. */
function pairEnvUses(container: Container, scan: KeyScan) {
  const secretName = (container.env ?? []).find(
    e => SECRET_KEY_NAMES.includes(e.name) && scan.present.has(e.name),
  )?.name;
  if (!secretName) return;
  for (const use of scan.uses) {
    if (use.via !== 'envFrom' && use.via !== 'credentials-file') {
      use.secretVariable = secretName;
    }
  }
}

function scanEnvFrom(
  container: Container,
  context: KeyScanContext,
  scan: KeyScan,
) {
  for (const from of container.envFrom ?? []) {
    const kind = from.secretRef ? 'Secret' : 'ConfigMap';
    const ref = from.secretRef ?? from.configMapRef;
    const name = ref?.name ?? '';
    const known = findSource(context, kind, name);
    if (!known) {
      // On a live cluster a missing optional source is simply absent.
      const absent =
        ref?.optional && context.keySources !== undefined && !context.openWorld;
      if (!absent) scan.unknownEnvFrom.push(`${kind} ${name}`);
      continue;
    }
    const prefix = from.prefix ?? '';
    const brought = KEY_NAMES.filter(k =>
      known.keys.some(key => prefix + key === k),
    );
    brought.forEach(k => scan.present.add(k));
    const idName = brought.find(k => ACCESS_KEY_NAMES.includes(k));
    if (idName) {
      scan.uses.push({
        container: container.name,
        via: 'envFrom',
        variable: idName,
        source: `${kind} ${name}`,
      });
    }
  }
}

const AWS_DIR_MOUNT = /\/\.aws\/?$/;
const CREDENTIALS_FILE_MOUNT = /\/\.aws\/credentials$/;
const CONFIG_FILE_MOUNT = /\/\.aws\/config$/;

interface MountedSource {
  kind: KeySource['kind'];
  name: string;
}

function sourceOfVolume(volume: Volume | undefined): MountedSource | undefined {
  if (!volume) return undefined;
  if (volume.secret) {
    return { kind: 'Secret', name: volume.secret.secretName ?? volume.name };
  }
  if (volume.configMap) {
    return { kind: 'ConfigMap', name: volume.configMap.name ?? volume.name };
  }
  for (const s of volume.projected?.sources ?? []) {
    if (s.secret) return { kind: 'Secret', name: s.secret.name ?? volume.name };
    if (s.configMap) {
      return { kind: 'ConfigMap', name: s.configMap.name ?? volume.name };
    }
  }
  return undefined;
}

/** What an AWS shared file mounted from a source holds, where it is known. */
function fileContent(
  source: MountedSource,
  context: KeyScanContext,
): 'keys' | 'process' | 'none' | 'unread' {
  const known = findSource(context, source.kind, source.name);
  if (!known?.fileContents) return 'unread';
  const kinds = Object.values(known.fileContents);
  if (kinds.includes('static-keys')) return 'keys';
  if (kinds.includes('credential-process')) return 'process';
  return 'none';
}

/**
 * A credentials or config file: a Secret or ConfigMap mounted where the SDK
 * looks (~/.aws/) or where AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE
 * points. A Secret there is taken to hold keys unless its content is known;
 * a ConfigMap only at the credentials path or when it is known to.
 */
function scanCredentialsFile(
  container: Container,
  volumes: Volume[],
  context: KeyScanContext,
  scan: KeyScan,
) {
  const pointedTo = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE']
    .map(name => envValue(container, name))
    .filter((v): v is string => v !== undefined);
  for (const mount of container.volumeMounts ?? []) {
    const source = sourceOfVolume(volumes.find(v => v.name === mount.name));
    if (!source) continue;
    const path = mount.mountPath.replace(/\/+$/, '');
    const credentialsPath = CREDENTIALS_FILE_MOUNT.test(path);
    const covers =
      credentialsPath ||
      CONFIG_FILE_MOUNT.test(path) ||
      AWS_DIR_MOUNT.test(path) ||
      pointedTo.some(p => p === path || p.startsWith(`${path}/`));
    if (!covers) continue;
    const content = fileContent(source, context);
    const shown = `${source.kind} ${source.name}`;
    if (content === 'process') {
      scan.credentialProcess.push(shown);
      continue;
    }
    const holdsKeys =
      content === 'keys' ||
      (content === 'unread' && (source.kind === 'Secret' || credentialsPath));
    if (holdsKeys) {
      scan.uses.push({
        container: container.name,
        via: 'credentials-file',
        source: shown,
      });
      return;
    }
  }
}

function describeStaticUse(use: StaticKeyUse): string {
  switch (use.via) {
    case 'value':
      return `Container ${use.container} has static AWS keys written in its environment (${use.variable}, access key ${use.accessKeyId}).`;
    case 'credentials-file':
      return `Container ${use.container} mounts an AWS credentials file from ${use.source}.`;
    case 'envFrom':
      return `Container ${use.container} gets static AWS keys (${use.variable}) from every key of ${use.source}.`;
    default:
      return `Container ${use.container} gets static AWS keys (${
        use.variable
      }) from ${use.via === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} ${
        use.source
      }.`;
  }
}

/** Kinds `kubectl set env` edits in place: every workload kind but a bare Pod. */
const SET_ENV_KINDS: readonly string[] = WORKLOAD_KINDS.filter(
  k => k !== 'Pod',
);

/** The key variables written into a container's env, removed in place. */
function removeKeysArtefacts(
  use: StaticKeyUse,
  context: KeyScanContext,
): FixArtefact[] | undefined {
  const { owner } = context;
  const variables = [use.variable, use.secretVariable].filter(
    (v): v is string => Boolean(v),
  );
  if (
    !owner ||
    !SET_ENV_KINDS.includes(owner.kind) ||
    use.via === 'envFrom' ||
    use.via === 'credentials-file' ||
    variables.length === 0
  ) {
    return undefined;
  }
  return [
    {
      label: `Remove the keys from container ${use.container}`,
      language: 'shell',
      content: `kubectl set env ${owner.kind.toLowerCase()}/${owner.name} -n ${
        context.namespace
      } -c ${use.container} ${variables.map(v => `${v}-`).join(' ')}`,
    },
  ];
}

const REMOVE_KEYS_FIX =
  'Remove the keys from the pod, bind its ServiceAccount to an IAM role (IRSA or Pod Identity), then deactivate the access key in IAM.';

function findingsOf(
  container: Container,
  scan: KeyScan,
  context: KeyScanContext,
): Check[] {
  const findings: Check[] = [];
  const hasId = ACCESS_KEY_NAMES.some(k => scan.present.has(k));
  const hasSecret = SECRET_KEY_NAMES.some(k => scan.present.has(k));
  const uses = [
    ...(hasId && hasSecret
      ? scan.uses.filter(u => u.via !== 'credentials-file')
      : []),
    ...scan.uses.filter(u => u.via === 'credentials-file'),
  ];
  for (const use of uses) {
    const artefacts = removeKeysArtefacts(use, context);
    findings.push({
      ...fail('static-keys-present', describeStaticUse(use), REMOVE_KEYS_FIX),
      ...(artefacts ? { artefacts } : {}),
    });
  }
  if (hasId !== hasSecret) {
    const only = [...scan.present].join(', ');
    findings.push(
      warn(
        'partial-keys',
        `Container ${container.name} gets ${only} without its pair, so the SDK ignores it.`,
        `Remove ${only} from container ${container.name}.`,
      ),
    );
  }
  for (const [source, names] of scan.maybe) {
    findings.push(
      warn(
        'static-keys-present',
        `Container ${container.name} takes ${names.join(
          ' and ',
        )} from ${source}, an optional reference whose object is not among the inputs: if it exists and holds the keys, the pod gets static AWS keys.`,
        `Check that the object holds no AWS keys; better, remove the reference and use IRSA or Pod Identity.`,
      ),
    );
  }
  for (const source of scan.credentialProcess) {
    findings.push(
      warn(
        'static-keys-present',
        `Container ${container.name} reads an AWS config file from ${source} with a credential_process: its credentials come from that program, not from a role bound to the ServiceAccount.`,
        'Remove the credential_process and bind the ServiceAccount to an IAM role (IRSA or Pod Identity).',
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
  return findings;
}

/**
 * Static keys of one pod spec, with their findings: the first two links of
 * the SDK's chain (environment, then shared files).
 *
 * @public
 */
export function scanPodSpec(
  spec: PodSpec | undefined,
  context: KeyScanContext,
): { uses: StaticKeyUse[]; findings: Check[]; credentialProcess: boolean } {
  const findings: Check[] = [];
  const uses: StaticKeyUse[] = [];
  let credentialProcess = false;
  for (const container of containersOf(spec)) {
    const scan: KeyScan = {
      uses: [],
      present: new Set(),
      unknownEnvFrom: [],
      maybe: new Map(),
      credentialProcess: [],
    };
    scanEnvFrom(container, context, scan);
    scanEnv(container, context, scan);
    pairEnvUses(container, scan);
    scanCredentialsFile(container, spec?.volumes ?? [], context, scan);
    findings.push(...findingsOf(container, scan, context));
    uses.push(...scan.uses.filter(u => usedIn(u, scan)));
    credentialProcess ||= scan.credentialProcess.length > 0;
  }
  return { uses, findings, credentialProcess };
}

/** The uses a fail finding was raised for (a lone key is not a use). */
function usedIn(use: StaticKeyUse, scan: KeyScan): boolean {
  if (use.via === 'credentials-file') return true;
  return (
    ACCESS_KEY_NAMES.some(k => scan.present.has(k)) &&
    SECRET_KEY_NAMES.some(k => scan.present.has(k))
  );
}
