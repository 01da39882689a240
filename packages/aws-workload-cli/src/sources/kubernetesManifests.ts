import { decodePolicyDocument } from '@aws-workload/plugin-aws-workload-common';
import { InputDocument, InspectionInputs, SourceLocation } from '../types';

const ACK_EKS_GROUP = 'eks.services.k8s.aws/';
const ACK_IAM_GROUP = 'iam.services.k8s.aws/';

/** How an ACK object refers to a Role of ACK's by its object name. */
export const ackRoleKey = (name: string) => `ACK Role ${name}`;

export const isKubernetesObject = (object: any) =>
  typeof object?.kind === 'string' && typeof object?.apiVersion === 'string';

/** Kubernetes `List` objects hold their items; everything else is itself. */
function flatten(
  object: any,
  location: SourceLocation,
  itemLines?: number[],
): { object: any; location: SourceLocation }[] {
  if (
    typeof object?.kind === 'string' &&
    object.kind.endsWith('List') &&
    Array.isArray(object.items)
  ) {
    return object.items.flatMap((item: any, i: number) =>
      flatten(item, { ...location, line: itemLines?.[i] ?? location.line }),
    );
  }
  return [{ object, location }];
}

function readAck(
  object: any,
  location: SourceLocation,
  into: InspectionInputs,
) {
  const apiVersion = String(object.apiVersion);
  if (
    object.kind === 'PodIdentityAssociation' &&
    apiVersion.startsWith(ACK_EKS_GROUP)
  ) {
    const roleRef = object.spec?.roleRef?.from?.name;
    into.associations.push({
      namespace: object.spec?.namespace,
      serviceAccount: object.spec?.serviceAccount,
      roleArn:
        object.spec?.roleARN ?? (roleRef ? ackRoleKey(roleRef) : undefined),
    });
    return true;
  }
  if (object.kind === 'Role' && apiVersion.startsWith(ACK_IAM_GROUP)) {
    let trustPolicy;
    try {
      trustPolicy = decodePolicyDocument(
        String(object.spec?.assumeRolePolicyDocument),
      );
    } catch {
      trustPolicy = undefined;
    }
    const role = {
      source: `ACK Role ${object.metadata?.name} (${location.file})`,
      deployTime: true,
      trustPolicy,
    };
    into.roles.set(ackRoleKey(object.metadata?.name ?? ''), role);
    if (object.spec?.name) {
      into.roles.set(`role-name:${object.spec.name}`, {
        ...role,
        deployTime: false,
      });
    }
    return true;
  }
  return false;
}

/** The Kubernetes objects of a YAML or JSON document (List items included). */
export function translateKubernetes(
  doc: InputDocument,
  into: InspectionInputs,
) {
  const location = { file: doc.file, document: doc.document, line: doc.line };
  for (const item of flatten(doc.object, location, doc.itemLines)) {
    if (!isKubernetesObject(item.object)) continue;
    if (readAck(item.object, item.location, into)) continue;
    into.objects.push({
      object: item.object,
      location: item.location,
      namespaceOverride: doc.namespaceOverride,
    });
  }
}
