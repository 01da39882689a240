import {
  Check,
  CheckId,
  checkChainOffline,
  classifyWorkload,
  ClassifyContext,
  CredentialMode,
  findPodTemplate,
  KeySource,
  OfflineRole,
  ServiceAccount,
  toWorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';
import { InspectionInputs, LocatedObject, SkippedInput } from './types';

/** What the user told the inspector about where the manifests go. */
export interface InspectOptions {
  /** The namespace of objects that name none (`--namespace`). */
  namespace?: string;
  /** Every pod runs on Fargate (`--fargate`). */
  allOnFargate?: boolean;
}

export interface InspectedWorkload {
  file: string;
  document?: number;
  line?: number;
  /** Where in the object its pod spec was found. */
  podSpecPath: string;
  kind: string;
  namespace: string;
  name: string;
  mode: CredentialMode;
  serviceAccount: string;
  /** A literal role ARN. */
  roleArn?: string;
  /** A role known only once the IaC is applied: the expression that names it. */
  roleReference?: string;
  fargate: boolean;
  findings: Check[];
  /** Checks of the mode's chain that need AWS to run. */
  skippedChecks: CheckId[];
}

export interface Inspection {
  workloads: InspectedWorkload[];
  skipped: SkippedInput[];
  notes: string[];
}

/** Objects the classifier reads as context rather than as workloads. */
const CONTEXT_KINDS = new Set(['ServiceAccount', 'Secret', 'ConfigMap']);

const AWS_FILE_CONTENT: [RegExp, 'static-keys' | 'credential-process'][] = [
  [/^\s*aws_access_key_id\s*=/im, 'static-keys'],
  [/^\s*credential_process\s*=/im, 'credential-process'],
];

function decode(value: unknown, base64: boolean): string {
  if (typeof value !== 'string') return '';
  return base64 ? Buffer.from(value, 'base64').toString('utf8') : value;
}

/**
 * Key names, and for values that are AWS config or credentials files what
 * kind of credentials they hold. No value is kept.
 */
function keySourceOf(o: LocatedObject['object']): KeySource {
  const entries: [string, string][] = [
    ...Object.entries(o.data ?? {}).map(
      ([k, v]) => [k, decode(v, o.kind === 'Secret')] as [string, string],
    ),
    ...Object.entries(o.stringData ?? {}).map(
      ([k, v]) => [k, decode(v, false)] as [string, string],
    ),
  ];
  const fileContents: KeySource['fileContents'] = {};
  for (const [key, text] of entries) {
    const found = AWS_FILE_CONTENT.find(([pattern]) => pattern.test(text));
    if (found) fileContents[key] = found[1];
  }
  return {
    kind: o.kind as KeySource['kind'],
    namespace: o.metadata?.namespace ?? 'default',
    name: o.metadata?.name ?? '',
    keys: [
      ...entries.map(([k]) => k),
      ...Object.keys((o as any).binaryData ?? {}),
    ],
    fileContents,
  };
}

/** The namespace an object lands in: kustomization's, its own, --namespace, default. */
function withNamespace(
  located: LocatedObject,
  options: InspectOptions,
): LocatedObject['object'] {
  const object = located.object;
  const namespace =
    located.namespaceOverride ??
    object.metadata?.namespace ??
    options.namespace ??
    'default';
  return { ...object, metadata: { ...object.metadata, namespace } };
}

function skipReason(object: LocatedObject['object']): string {
  const ref = object.spec?.workloadRef;
  if (ref?.kind && ref?.name) {
    return `its pods come from ${ref.kind} ${ref.name} (workloadRef), which is inspected on its own`;
  }
  return 'no pod spec where workloads keep one (spec.template.spec, spec.jobTemplate.spec.template.spec, spec.containers, or a container under spec)';
}

/** A literal ARN also finds a role among the inputs by its name. */
function roleFor(
  roleArn: string | undefined,
  roles: Map<string, OfflineRole>,
): OfflineRole | undefined {
  if (!roleArn) return undefined;
  const byName = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return (
    roles.get(roleArn) ??
    (byName ? roles.get(`role-name:${byName[1]}`) : undefined)
  );
}

/**
 * Classifies every object with a pod spec among the inputs, with the
 * checks that need no AWS call. What the inputs hold is all there is to
 * read, but not all there is: a reference to an object that is not among
 * them is reported as unknown, never as absent.
 */
export function inspect(
  inputs: InspectionInputs,
  options: InspectOptions = {},
): Inspection {
  const objects = inputs.objects.map(o => ({
    ...o,
    object: withNamespace(o, options),
  }));
  const context: ClassifyContext = {
    serviceAccounts: objects
      .filter(o => o.object.kind === 'ServiceAccount')
      .map(o => o.object as ServiceAccount),
    keySources: objects
      .filter(o => o.object.kind === 'Secret' || o.object.kind === 'ConfigMap')
      .map(o => keySourceOf(o.object)),
    podIdentityAssociations: inputs.associations,
    openWorld: true,
    fargateSelectors: inputs.fargateSelectors,
    allOnFargate: options.allOnFargate,
  };
  const workloads: InspectedWorkload[] = [];
  const skipped = [...inputs.skipped];
  for (const { object, location } of objects) {
    if (CONTEXT_KINDS.has(String(object.kind))) continue;
    const found = findPodTemplate(object);
    const input = found && toWorkloadInput(object);
    if (!found || !input) {
      skipped.push({
        ...location,
        kind: object.kind,
        name: object.metadata?.name ?? (object.metadata as any)?.generateName,
        reason: skipReason(object),
      });
      continue;
    }
    const c = classifyWorkload(input, context);
    const role = roleFor(c.roleArn, inputs.roles);
    const offline = checkChainOffline(
      c,
      role && c.roleArn ? new Map([[c.roleArn, role]]) : new Map(),
    );
    workloads.push({
      ...location,
      podSpecPath: found.path,
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      mode: c.mode,
      serviceAccount: c.serviceAccount,
      ...(c.roleArn &&
        (role?.deployTime
          ? { roleReference: c.roleArn }
          : { roleArn: c.roleArn })),
      fargate: c.fargate,
      findings: [...c.findings, ...offline.checks],
      skippedChecks: offline.skipped,
    });
  }
  return { workloads, skipped, notes: inputs.notes };
}
