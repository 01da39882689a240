import { InputDocument, InspectionInputs } from '../types';

const KUBERNETES_RESOURCE = 'Custom::AWSCDK-EKS-KubernetesResource';

export const isCloudFormationTemplate = (object: any) =>
  typeof object?.Resources === 'object' &&
  object.Resources !== null &&
  Object.values(object.Resources).some(
    (r: any) => typeof r?.Type === 'string' && r.Type.includes('::'),
  );

/**
 * An intrinsic function as readable text (`Fn::GetAtt ServiceRole.Arn`),
 * with no quote or backslash, so that it can sit inside a JSON string.
 */
function intrinsicText(value: any): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof value.Ref === 'string') return `Ref ${value.Ref}`;
  const getAtt = value['Fn::GetAtt'];
  if (getAtt) {
    return `Fn::GetAtt ${Array.isArray(getAtt) ? getAtt.join('.') : getAtt}`;
  }
  const [fn] = Object.keys(value);
  return fn?.startsWith('Fn::') ? `${fn} (unresolved)` : undefined;
}

/** A string property, with `Fn::Join`s joined and other intrinsics as text. */
function resolveString(value: any): string | undefined {
  if (typeof value === 'string') return value;
  const join = value?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1].map((p: any) => resolveString(p) ?? intrinsicText(p));
    return parts.every((p: unknown) => typeof p === 'string')
      ? parts.join(join[0] ?? '')
      : undefined;
  }
  return intrinsicText(value);
}

/** A policy document with its intrinsics as text, for the trust check. */
function resolveDeep(value: any): any {
  if (Array.isArray(value)) return value.map(resolveDeep);
  if (typeof value !== 'object' || value === null) return value;
  const text =
    value['Fn::Join'] || value['Fn::GetAtt'] || value.Ref || value['Fn::Sub']
      ? resolveString(value) ?? intrinsicText(value)
      : undefined;
  if (text !== undefined) return text;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, resolveDeep(v)]),
  );
}

/**
 * A synthesized CloudFormation template (a CDK app's `cdk.out`): Pod
 * Identity associations, Fargate profiles, IAM roles with their trust, and
 * the Kubernetes manifests CDK applies through its custom resource.
 */
export function translateCloudFormation(
  doc: InputDocument,
  into: InspectionInputs,
) {
  const resources: Record<string, any> = doc.object.Resources;
  const location = { file: doc.file };
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource?.Properties ?? {};
    if (resource?.Type === 'AWS::IAM::Role') {
      const role = {
        source: `${id} (${doc.file})`,
        deployTime: true,
        trustPolicy: resolveDeep(props.AssumeRolePolicyDocument),
      };
      into.roles.set(`Fn::GetAtt ${id}.Arn`, role);
      if (typeof props.RoleName === 'string') {
        into.roles.set(`role-name:${props.RoleName}`, {
          ...role,
          deployTime: false,
        });
      }
    }
  }
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource?.Properties ?? {};
    switch (resource?.Type) {
      case 'AWS::EKS::PodIdentityAssociation': {
        const roleArn = resolveString(props.RoleArn);
        if (
          roleArn &&
          !into.roles.has(roleArn) &&
          !roleArn.startsWith('arn:')
        ) {
          into.roles.set(roleArn, {
            source: `${id} (${doc.file})`,
            deployTime: true,
          });
        }
        into.associations.push({
          namespace: props.Namespace,
          serviceAccount: props.ServiceAccount,
          roleArn,
        });
        break;
      }
      case 'AWS::EKS::FargateProfile':
        for (const selector of props.Selectors ?? []) {
          into.fargateSelectors.push({
            namespace: selector.Namespace,
            labels: Object.fromEntries(
              (selector.Labels ?? []).map((l: any) => [l.Key, l.Value]),
            ),
          });
        }
        break;
      case KUBERNETES_RESOURCE:
        readManifest(id, props.Manifest, doc, into, location);
        break;
      default:
    }
  }
}

function readManifest(
  id: string,
  manifest: any,
  doc: InputDocument,
  into: InspectionInputs,
  location: { file: string },
) {
  const text = resolveString(manifest);
  let objects: unknown;
  try {
    objects = text === undefined ? undefined : JSON.parse(text);
  } catch {
    objects = undefined;
  }
  if (!Array.isArray(objects)) {
    into.skipped.push({
      ...location,
      kind: KUBERNETES_RESOURCE,
      name: id,
      reason: 'its Manifest could not be read',
    });
    return;
  }
  for (const object of objects) {
    const roleArn =
      object?.metadata?.annotations?.['eks.amazonaws.com/role-arn'];
    if (
      typeof roleArn === 'string' &&
      roleArn.startsWith('Fn::') &&
      !into.roles.has(roleArn)
    ) {
      into.roles.set(roleArn, {
        source: `${id} (${doc.file})`,
        deployTime: true,
      });
    }
    into.objects.push({ object, location });
  }
}
