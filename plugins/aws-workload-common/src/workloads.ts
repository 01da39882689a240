import { WorkloadInput } from './classify';
import {
  Container,
  ObjectMeta,
  Pod,
  PodSpec,
  PodTemplateSpec,
} from './kubernetes';

/** Kinds whose pods the plugin classifies. */
export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
] as const;

export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * A Kubernetes object, as far as the classifier reads it.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: any;
}

export const isWorkloadKind = (kind: unknown): kind is WorkloadKind =>
  typeof kind === 'string' &&
  (WORKLOAD_KINDS as readonly string[]).includes(kind);

/**
 * Where an object's pod spec was found, for the reader: `spec.template.spec`,
 * `spec.jobTemplate.spec.template.spec`, `spec` (a Pod, or a container list
 * under `spec`), `spec (one container)` for operator resources whose spec is
 * itself a container (OpenTelemetryCollector, the CloudWatch agent).
 *
 * @public
 */
export interface PodTemplateLocation {
  template: PodTemplateSpec;
  path: string;
}

const isRecord = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isContainerList = (v: unknown): boolean =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every(
    c =>
      isRecord(c) &&
      (typeof c.name === 'string' || typeof c.image === 'string'),
  );

/** A pod spec: an object with a non-empty list of containers. */
const isPodSpec = (v: unknown): boolean =>
  isRecord(v) && isContainerList(v.containers);

/**
 * Operators such as the OpenTelemetry Operator and the CloudWatch agent
 * operator put one container's fields (image, env, volumeMounts) straight
 * under `spec`, beside the pod's (serviceAccount, volumes).
 */
function singleContainerSpec(
  object: KubernetesObject,
): PodTemplateSpec | undefined {
  const spec = object.spec;
  if (!isRecord(spec)) return undefined;
  const containerLike =
    Array.isArray(spec.env) ||
    Array.isArray(spec.envFrom) ||
    (typeof spec.image === 'string' && Array.isArray(spec.volumeMounts));
  if (!containerLike) return undefined;
  const container: Container = {
    name: object.metadata?.name ?? String(object.kind ?? 'container'),
    image: spec.image,
    env: spec.env,
    envFrom: spec.envFrom,
    volumeMounts: spec.volumeMounts,
  };
  return {
    metadata: spec.podAnnotations
      ? { annotations: spec.podAnnotations }
      : undefined,
    spec: {
      serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount,
      containers: [container],
      initContainers: spec.initContainers,
      volumes: spec.volumes,
    },
  };
}

/**
 * The layouts real objects use, in the order they are tried: Deployments,
 * Argo Rollouts, Knative Services and most operators use `spec.template`;
 * CronJobs `spec.jobTemplate`; KEDA ScaledJobs `spec.jobTargetRef`; a Pod
 * (or anything with `spec.containers`) is its own template.
 */
const TEMPLATE_PATHS: { path: string; pick: (spec: any) => any }[] = [
  { path: 'spec.template', pick: s => s.template },
  {
    path: 'spec.jobTemplate.spec.template',
    pick: s => s.jobTemplate?.spec?.template,
  },
  { path: 'spec.jobTargetRef.template', pick: s => s.jobTargetRef?.template },
];

/**
 * The pod template of any object, found by its shape rather than its kind,
 * so Rollouts, Knative Services and operator resources are read like
 * Deployments. A bare Pod is its own template.
 *
 * @public
 */
export function findPodTemplate(
  object: KubernetesObject,
): PodTemplateLocation | undefined {
  const spec = object.spec;
  if (!isRecord(spec)) return undefined;
  for (const { path, pick } of TEMPLATE_PATHS) {
    const template = pick(spec);
    if (isRecord(template) && isPodSpec(template.spec)) {
      return { template, path: `${path}.spec` };
    }
  }
  if (isPodSpec(spec)) {
    return {
      template: { metadata: object.metadata, spec: spec as PodSpec },
      path: 'spec',
    };
  }
  const single = singleContainerSpec(object);
  return single
    ? { template: single, path: 'spec (one container)' }
    : undefined;
}

/** The pod template of a workload object; a bare Pod is its own template. */
export function podTemplateOf(
  object: KubernetesObject,
): PodTemplateSpec | undefined {
  return findPodTemplate(object)?.template;
}

/**
 * Any object with a pod spec as classifier input. Bare Pods count as their
 * own running pod; other workloads get theirs from `pods`.
 *
 * @public
 */
export function toWorkloadInput(
  object: KubernetesObject,
  pods: Pod[] = [],
): WorkloadInput | undefined {
  if (typeof object.kind !== 'string') return undefined;
  const template = podTemplateOf(object);
  if (!template) return undefined;
  return {
    kind: object.kind,
    metadata: object.metadata ?? {},
    template,
    pods: object.kind === 'Pod' ? [object as Pod] : pods,
  };
}
