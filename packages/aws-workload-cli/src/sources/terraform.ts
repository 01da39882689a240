import {
  decodePolicyDocument,
  IRSA_ROLE_ARN_ANNOTATION,
  PolicyDocument,
} from '@aws-workload/plugin-aws-workload-common';
import { InputDocument, InspectionInputs } from '../types';
import { parseHclLiteral } from './hclLiteral';

/**
 * The Kubernetes provider's resources, both naming generations, and the
 * kind each one is.
 */
const KUBERNETES_RESOURCES: Record<string, string> = {
  kubernetes_deployment: 'Deployment',
  kubernetes_deployment_v1: 'Deployment',
  kubernetes_stateful_set: 'StatefulSet',
  kubernetes_stateful_set_v1: 'StatefulSet',
  kubernetes_daemonset: 'DaemonSet',
  kubernetes_daemon_set_v1: 'DaemonSet',
  kubernetes_job: 'Job',
  kubernetes_job_v1: 'Job',
  kubernetes_cron_job: 'CronJob',
  kubernetes_cron_job_v1: 'CronJob',
  kubernetes_pod: 'Pod',
  kubernetes_pod_v1: 'Pod',
  kubernetes_service_account: 'ServiceAccount',
  kubernetes_service_account_v1: 'ServiceAccount',
  kubernetes_secret: 'Secret',
  kubernetes_secret_v1: 'Secret',
  kubernetes_config_map: 'ConfigMap',
  kubernetes_config_map_v1: 'ConfigMap',
};

/** Repeated blocks that are lists in the Kubernetes API, under their API names. */
const LIST_BLOCKS: Record<string, string> = {
  container: 'containers',
  init_container: 'initContainers',
  ephemeral_container: 'ephemeralContainers',
  env: 'env',
  env_from: 'envFrom',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  sources: 'sources',
  items: 'items',
  port: 'ports',
  toleration: 'tolerations',
  image_pull_secrets: 'imagePullSecrets',
  host_aliases: 'hostAliases',
};

/** A whole-string interpolation, `${aws_iam_role.app.arn}`: resolved at apply. */
const REFERENCE = /^\$\{([^{}]+)\}$/;

const camel = (name: string) =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * hcl2json's form of a provider block (snake_case names, every nested block
 * a list) in the Kubernetes API's form. Maps given as attributes (labels,
 * annotations, data) keep their keys.
 */
export function toApiShape(block: Record<string, any>): Record<string, any> {
  const result: Record<string, any> = {};
  for (const [name, value] of Object.entries(block)) {
    const isBlockList =
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(
        v => typeof v === 'object' && v !== null && !Array.isArray(v),
      );
    if (isBlockList && LIST_BLOCKS[name]) {
      result[LIST_BLOCKS[name]] = value.map(toApiShape);
    } else if (isBlockList) {
      result[camel(name)] = toApiShape(value[0]);
    } else {
      result[camel(name)] = value;
    }
  }
  return result;
}

const blocksOf = (resources: any, type: string): [string, any][] =>
  Object.entries(resources?.[type] ?? {}).flatMap(([name, blocks]) =>
    (Array.isArray(blocks) ? blocks : [blocks]).map(
      b => [name, b] as [string, any],
    ),
  );

const referenceOf = (value: unknown) =>
  typeof value === 'string'
    ? REFERENCE.exec(value.trim())?.[1].trim()
    : undefined;

/** A ServiceAccount annotation or role_arn: a reference is kept as its text. */
const asWritten = (value: unknown) =>
  typeof value === 'string' ? referenceOf(value) ?? value : undefined;

/**
 * A role given as a Terraform expression is known only once applied: its
 * format is not checked, and its trust is read when the expression names
 * an aws_iam_role among the inputs.
 */
function noteRoleReference(
  value: unknown,
  file: string,
  into: InspectionInputs,
) {
  const reference = referenceOf(value);
  if (reference && !into.roles.has(reference)) {
    into.roles.set(reference, {
      source: `the Terraform expression ${reference} (${file})`,
      deployTime: true,
    });
  }
}

interface TerraformFiles {
  resource: Record<string, any>;
  data: Record<string, any>;
  fileOf: Map<string, string>;
}

/** `data "aws_iam_policy_document"` as the policy JSON it produces. */
function policyDocumentData(block: any): PolicyDocument {
  const statements = (block.statement ?? []).map((s: any) => {
    const principal: Record<string, string[]> = {};
    for (const p of s.principals ?? []) {
      principal[p.type] = [
        ...(principal[p.type] ?? []),
        ...(p.identifiers ?? []),
      ];
    }
    const condition: Record<string, Record<string, string[]>> = {};
    for (const c of s.condition ?? []) {
      condition[c.test] = { ...condition[c.test], [c.variable]: c.values };
    }
    return {
      Effect: s.effect ?? 'Allow',
      ...(s.actions ? { Action: s.actions } : {}),
      ...(Object.keys(principal).length ? { Principal: principal } : {}),
      ...(Object.keys(condition).length ? { Condition: condition } : {}),
    };
  });
  return { Version: '2012-10-17', Statement: statements };
}

/** An aws_iam_role's assume_role_policy, in the forms Terraform code uses. */
function trustPolicyOf(
  value: unknown,
  files: TerraformFiles,
): PolicyDocument | undefined {
  if (typeof value !== 'string') return undefined;
  const reference = referenceOf(value);
  const data =
    reference &&
    /^data\.aws_iam_policy_document\.([\w-]+)\.json$/.exec(reference);
  if (data) {
    const block = blocksOf(files.data, 'aws_iam_policy_document').find(
      ([name]) => name === data[1],
    );
    return block ? policyDocumentData(block[1]) : undefined;
  }
  const encoded = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value.trim());
  if (encoded) {
    const literal = parseHclLiteral(encoded[1]);
    return typeof literal === 'object' && literal !== null
      ? (literal as PolicyDocument)
      : undefined;
  }
  try {
    return decodePolicyDocument(value);
  } catch {
    return undefined;
  }
}

function readRoles(files: TerraformFiles, into: InspectionInputs) {
  for (const [name, block] of blocksOf(files.resource, 'aws_iam_role')) {
    const role = {
      source: `aws_iam_role.${name} (${files.fileOf.get(
        `aws_iam_role.${name}`,
      )})`,
      deployTime: true,
      trustPolicy: trustPolicyOf(block.assume_role_policy, files),
    };
    into.roles.set(`aws_iam_role.${name}.arn`, role);
    if (typeof block.name === 'string' && !referenceOf(block.name)) {
      into.roles.set(`role-name:${block.name}`, { ...role, deployTime: false });
    }
  }
}

const METADATA_REFERENCE =
  /^(kubernetes_[a-z0-9_]+)\.([\w-]+)\.metadata(?:\[0\]|\.0)\.(name|namespace)$/;

/**
 * `kubernetes_service_account_v1.app.metadata[0].name`, the usual way one
 * provider resource names another, replaced by the name it resolves to.
 */
function resolveMetadataReferences(value: any, files: TerraformFiles): any {
  if (Array.isArray(value))
    return value.map(v => resolveMetadataReferences(v, files));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        resolveMetadataReferences(v, files),
      ]),
    );
  }
  const match = METADATA_REFERENCE.exec(referenceOf(value) ?? '');
  if (!match) return value;
  const [, type, name, field] = match;
  const target = blocksOf(files.resource, type).find(([n]) => n === name)?.[1];
  const resolved = target?.metadata?.[0]?.[field];
  return typeof resolved === 'string' ? resolved : value;
}

function readKubernetes(files: TerraformFiles, into: InspectionInputs) {
  for (const [type, kind] of Object.entries(KUBERNETES_RESOURCES)) {
    for (const [name, block] of blocksOf(files.resource, type)) {
      const shaped = toApiShape(resolveMetadataReferences(block, files));
      // The provider takes Secret data as plain text and encodes it itself.
      if (kind === 'Secret' && shaped.data) {
        shaped.stringData = { ...shaped.data, ...shaped.stringData };
        delete shaped.data;
      }
      const annotations = shaped.metadata?.annotations;
      const file = files.fileOf.get(`${type}.${name}`) ?? '';
      if (annotations) {
        noteRoleReference(annotations[IRSA_ROLE_ARN_ANNOTATION], file, into);
        shaped.metadata.annotations = Object.fromEntries(
          Object.entries(annotations).map(([k, v]) => [k, asWritten(v) ?? v]),
        );
      }
      into.objects.push({
        object: { apiVersion: 'v1', kind, ...shaped },
        location: { file },
      });
    }
  }
  for (const [name, block] of blocksOf(files.resource, 'kubernetes_manifest')) {
    if (typeof block.manifest === 'object' && block.manifest) {
      into.objects.push({
        object: block.manifest,
        location: {
          file: files.fileOf.get(`kubernetes_manifest.${name}`) ?? '',
        },
      });
    }
  }
}

function readEks(files: TerraformFiles, into: InspectionInputs) {
  for (const [name, b] of blocksOf(
    files.resource,
    'aws_eks_pod_identity_association',
  )) {
    noteRoleReference(
      b.role_arn,
      files.fileOf.get(`aws_eks_pod_identity_association.${name}`) ?? '',
      into,
    );
    into.associations.push({
      namespace: b.namespace,
      serviceAccount: b.service_account,
      roleArn: asWritten(b.role_arn),
    });
  }
  for (const [, b] of blocksOf(files.resource, 'aws_eks_fargate_profile')) {
    for (const selector of b.selector ?? []) {
      into.fargateSelectors.push({
        namespace: selector.namespace,
        labels: selector.labels,
      });
    }
  }
}

/**
 * The Terraform files among the inputs, read together (a role in one file
 * is referred to from another): Kubernetes provider resources, Pod Identity
 * associations, Fargate profiles and IAM roles with their trust policies.
 */
export function translateTerraform(
  documents: InputDocument[],
  into: InspectionInputs,
) {
  const files: TerraformFiles = { resource: {}, data: {}, fileOf: new Map() };
  for (const d of documents) {
    for (const section of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries(d.object?.[section] ?? {})) {
        files[section][type] = {
          ...files[section][type],
          ...(named as object),
        };
        for (const name of Object.keys(named as object)) {
          files.fileOf.set(`${type}.${name}`, d.file);
        }
      }
    }
  }
  readRoles(files, into);
  readKubernetes(files, into);
  readEks(files, into);
}
