/**
 * Kubernetes RBAC as the API server evaluates it, for the handful of rules
 * the generated repositories rely on: which verbs a principal may use on
 * which objects, in which namespace.
 */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const EDIT_VERBS = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const VIEW_VERBS = ['get', 'list', 'watch'];

/**
 * AmazonEKSEditPolicy, the access policy the deploy role is associated with.
 * The EKS user guide ("Review access policy permissions") lists its rules;
 * they are those of Kubernetes' user-facing `edit` ClusterRole. Only the
 * rules for resources of the core, apps, autoscaling, batch, policy and
 * networking groups are kept: custom resources (a SecretProviderClass, a
 * Gateway API route) are in none of them, which is the point of the check.
 */
export const EKS_EDIT_POLICY_RULES: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/attach',
      'pods/exec',
      'pods/portforward',
      'pods/proxy',
    ],
    verbs: EDIT_VERBS,
  },
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    verbs: EDIT_VERBS,
  },
  {
    apiGroups: ['apps'],
    resources: [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    verbs: EDIT_VERBS,
  },
  {
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
    verbs: EDIT_VERBS,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: EDIT_VERBS },
  {
    apiGroups: ['policy'],
    resources: ['poddisruptionbudgets'],
    verbs: EDIT_VERBS,
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'networkpolicies'],
    verbs: EDIT_VERBS,
  },
  {
    apiGroups: ['', 'apps', 'autoscaling', 'policy', 'networking.k8s.io'],
    resources: [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'pods',
      'replicationcontrollers',
      'serviceaccounts',
      'services',
      'deployments',
      'replicasets',
      'statefulsets',
      'daemonsets',
      'horizontalpodautoscalers',
      'poddisruptionbudgets',
      'ingresses',
      'networkpolicies',
    ],
    verbs: VIEW_VERBS,
  },
  // Namespaces can be read (kubectl needs it), never created.
  { apiGroups: [''], resources: ['namespaces'], verbs: VIEW_VERBS },
];

/** The API resource of each kind the generated k8s/ may hold. */
const RESOURCES: Record<string, { resource: string; namespaced: boolean }> = {
  Namespace: { resource: 'namespaces', namespaced: false },
  ServiceAccount: { resource: 'serviceaccounts', namespaced: true },
  Service: { resource: 'services', namespaced: true },
  ConfigMap: { resource: 'configmaps', namespaced: true },
  Secret: { resource: 'secrets', namespaced: true },
  Deployment: { resource: 'deployments', namespaced: true },
  HorizontalPodAutoscaler: {
    resource: 'horizontalpodautoscalers',
    namespaced: true,
  },
  PodDisruptionBudget: { resource: 'poddisruptionbudgets', namespaced: true },
  NetworkPolicy: { resource: 'networkpolicies', namespaced: true },
  Ingress: { resource: 'ingresses', namespaced: true },
  SecretProviderClass: { resource: 'secretproviderclasses', namespaced: true },
  HTTPRoute: { resource: 'httproutes', namespaced: true },
  Gateway: { resource: 'gateways', namespaced: true },
};

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** What `kubectl apply` needs on each object: read it, create it, patch it. */
export const APPLY_VERBS = ['get', 'create', 'patch'];

/**
 * The verbs a principal bound to `rules` in `scopeNamespaces` lacks to apply
 * `object`, as "verb group/resource in namespace" lines; empty when it may.
 */
export function missingPermissions(
  rules: PolicyRule[],
  scopeNamespaces: string[],
  object: KubernetesObject,
  verbs: string[] = APPLY_VERBS,
): string[] {
  const known = RESOURCES[object.kind];
  if (!known) return [`(no API resource known for kind ${object.kind})`];
  const apiGroup = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')[0]
    : '';
  const where = known.namespaced
    ? `in namespace ${object.metadata.namespace ?? '(none)'}`
    : 'cluster-wide';
  // A namespace-scoped access policy grants nothing cluster-wide.
  const inScope =
    known.namespaced &&
    object.metadata.namespace !== undefined &&
    scopeNamespaces.includes(object.metadata.namespace);
  return verbs
    .filter(
      verb =>
        !inScope ||
        !rules.some(
          rule =>
            rule.apiGroups.includes(apiGroup) &&
            rule.resources.includes(known.resource) &&
            rule.verbs.includes(verb),
        ),
    )
    .map(verb => `${verb} ${apiGroup || 'core'}/${known.resource} ${where}`);
}
