import {
  Check,
  classifyWorkload,
  CredentialMode,
  KeySource,
  PodIdentityAssociation,
  ServiceAccount,
  toWorkloadInput,
  WorkloadInput,
} from '@aws-workload/plugin-aws-workload-common';

/** One document from a YAML, JSON or Terraform input, with where it came from. */
export interface InputDocument {
  file: string;
  object: any;
}

export interface InspectedWorkload {
  kind: string;
  namespace: string;
  name: string;
  mode: CredentialMode;
  serviceAccount: string;
  roleArn?: string;
  findings: Check[];
}

const ACK_EKS_GROUP = 'eks.services.k8s.aws/';

/** Kubernetes `List` objects hold their items; everything else is itself. */
function flatten(object: any): any[] {
  if (!object || typeof object !== 'object') return [];
  if (
    typeof object.kind === 'string' &&
    object.kind.endsWith('List') &&
    Array.isArray(object.items)
  ) {
    return object.items.flatMap(flatten);
  }
  return [object];
}

/** Key names only: a Secret's values are never kept. */
function keySourceOf(object: any): KeySource | undefined {
  if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') return undefined;
  return {
    kind: object.kind,
    namespace: object.metadata?.namespace ?? 'default',
    name: object.metadata?.name ?? '',
    keys: [
      ...Object.keys(object.data ?? {}),
      ...Object.keys(object.stringData ?? {}),
    ],
  };
}

function ackAssociationOf(object: any): PodIdentityAssociation | undefined {
  if (
    object.kind !== 'PodIdentityAssociation' ||
    !String(object.apiVersion ?? '').startsWith(ACK_EKS_GROUP)
  ) {
    return undefined;
  }
  return {
    namespace: object.spec?.namespace,
    serviceAccount: object.spec?.serviceAccount,
    roleArn: object.spec?.roleARN,
  };
}

/** `aws_eks_pod_identity_association` resources from hcl2json's output. */
function terraformAssociationsOf(object: any): PodIdentityAssociation[] {
  const resources = object?.resource?.aws_eks_pod_identity_association ?? {};
  return Object.values(resources).flatMap((blocks: any) =>
    (Array.isArray(blocks) ? blocks : [blocks]).map((b: any) => ({
      namespace: b.namespace,
      serviceAccount: b.service_account,
      roleArn: b.role_arn,
    })),
  );
}

/**
 * Classifies the workloads among the documents. What the inputs hold is all
 * there is: a ServiceAccount or association not among them does not exist.
 */
export function inspectDocuments(
  documents: InputDocument[],
): InspectedWorkload[] {
  const objects = documents.flatMap(d =>
    d.file.endsWith('.tf') ? [d.object] : flatten(d.object),
  );
  const serviceAccounts: ServiceAccount[] = objects.filter(
    o => o?.kind === 'ServiceAccount',
  );
  const keySources = objects
    .map(keySourceOf)
    .filter((k): k is KeySource => !!k);
  const podIdentityAssociations = [
    ...objects
      .map(ackAssociationOf)
      .filter((a): a is PodIdentityAssociation => !!a),
    ...objects.flatMap(terraformAssociationsOf),
  ];
  const workloads = objects
    .map(o => (o?.kind ? toWorkloadInput(o) : undefined))
    .filter((w): w is WorkloadInput => !!w);
  return workloads.map(w => {
    const c = classifyWorkload(w, {
      serviceAccounts,
      keySources,
      podIdentityAssociations,
    });
    return {
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      mode: c.mode,
      serviceAccount: c.serviceAccount,
      ...(c.roleArn ? { roleArn: c.roleArn } : {}),
      findings: c.findings,
    };
  });
}

export function formatLine(w: InspectedWorkload): string {
  const head = `${w.kind} ${w.namespace}/${w.name}: ${w.mode} (ServiceAccount ${
    w.serviceAccount
  }${w.roleArn ? `, role ${w.roleArn}` : ''})`;
  const findings = w.findings.map(
    f =>
      `\n  ${f.status.toUpperCase()} ${f.check}: ${f.message}${
        f.fix ? `\n    fix: ${f.fix}` : ''
      }`,
  );
  return head + findings.join('');
}
