import { IRSA_ROLE_ARN_ANNOTATION } from '@aws-workload/plugin-aws-workload-common';
import { InputDocument, InspectionInputs } from '../types';

export const isEksctlClusterConfig = (object: any) =>
  object?.kind === 'ClusterConfig' &&
  String(object?.apiVersion ?? '').startsWith('eksctl.io/');

/**
 * The role eksctl creates for a ServiceAccount or association when the
 * config names none: known only once `eksctl create` has run.
 */
function eksctlRole(
  cluster: string,
  what: string,
  given: string | undefined,
  doc: InputDocument,
  into: InspectionInputs,
): string {
  if (given) return given;
  const key = `role created by eksctl for ${what} (cluster ${cluster})`;
  into.roles.set(key, {
    source: `ClusterConfig ${cluster} (${doc.file})`,
    deployTime: true,
  });
  return key;
}

/**
 * An eksctl ClusterConfig: `iam.serviceAccounts` are IRSA ServiceAccounts
 * (eksctl creates them annotated), `iam.podIdentityAssociations` and each
 * add-on's `podIdentityAssociations` are Pod Identity associations, and
 * `fargateProfiles` say which pods run on Fargate.
 */
export function translateEksctl(doc: InputDocument, into: InspectionInputs) {
  const config = doc.object;
  const cluster = config.metadata?.name ?? '?';
  const location = { file: doc.file, document: doc.document, line: doc.line };
  for (const sa of config.iam?.serviceAccounts ?? []) {
    const name = sa.metadata?.name;
    const namespace = sa.metadata?.namespace ?? 'default';
    // roleOnly: eksctl creates the role and leaves the ServiceAccount to you.
    if (!name || sa.roleOnly) continue;
    const roleArn = eksctlRole(
      cluster,
      `ServiceAccount ${namespace}/${name}`,
      sa.attachRoleARN,
      doc,
      into,
    );
    into.objects.push({
      object: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name,
          namespace,
          labels: sa.metadata?.labels,
          annotations: {
            ...sa.metadata?.annotations,
            [IRSA_ROLE_ARN_ANNOTATION]: roleArn,
          },
        },
      },
      location,
    });
  }
  const associations = [
    ...(config.iam?.podIdentityAssociations ?? []).map((a: any) => ({
      ...a,
      namespace: a.namespace ?? 'default',
    })),
    // An add-on's ServiceAccounts live in kube-system unless it says otherwise.
    ...(config.addons ?? []).flatMap((addon: any) =>
      (addon.podIdentityAssociations ?? []).map((a: any) => ({
        ...a,
        namespace: a.namespace ?? 'kube-system',
      })),
    ),
  ];
  for (const a of associations) {
    into.associations.push({
      namespace: a.namespace,
      serviceAccount: a.serviceAccountName,
      roleArn: eksctlRole(
        cluster,
        `${a.namespace}/${a.serviceAccountName}`,
        a.roleARN,
        doc,
        into,
      ),
    });
  }
  for (const profile of config.fargateProfiles ?? []) {
    for (const selector of profile.selectors ?? []) {
      into.fargateSelectors.push({
        namespace: selector.namespace,
        labels: selector.labels,
      });
    }
  }
}
