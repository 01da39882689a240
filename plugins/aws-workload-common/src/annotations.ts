import { Entity } from '@backstage/catalog-model';

/**
 * ARN of the entity's DynamoDB table.
 *
 * @public
 */
export const ANNOTATION_DYNAMODB_TABLE_ARN =
  'aws.amazon.com/dynamodb-table-arn';
/**
 * Comma-separated DynamoDB actions the service calls on its table.
 *
 * @public
 */
export const ANNOTATION_DYNAMODB_ACTIONS = 'aws.amazon.com/dynamodb-actions';
/**
 * ARN of the entity's ECR repository: the same key as AWS's own ECR plugin.
 *
 * @public
 */
export const ANNOTATION_ECR_REPOSITORY_ARN = 'aws.amazon.com/amazon-ecr-arn';
/**
 * Name of the cluster in the Kubernetes plugin's config (the EKS name by convention).
 *
 * @public
 */
export const ANNOTATION_EKS_CLUSTER_NAME = 'aws.amazon.com/eks-cluster-name';
/**
 * The Kubernetes plugin's keys, reused as they are.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
/** @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** The ServiceAccount annotation that binds it to an IAM role (IRSA).
 *
 * @public
 */
export const IRSA_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * What the app needs when the entity does not say: reading and writing items.
 *
 * @public
 */
export const DEFAULT_DYNAMODB_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

const annotation = (entity: Entity, key: string): string | undefined => {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
};

/** @public */
export const getDynamoDbTableArn = (entity: Entity) =>
  annotation(entity, ANNOTATION_DYNAMODB_TABLE_ARN);
/** @public */
export const getEcrRepositoryArn = (entity: Entity) =>
  annotation(entity, ANNOTATION_ECR_REPOSITORY_ARN);
/** @public */
export const getEksClusterName = (entity: Entity) =>
  annotation(entity, ANNOTATION_EKS_CLUSTER_NAME);
/** @public */
export const getKubernetesNamespace = (entity: Entity) =>
  annotation(entity, ANNOTATION_KUBERNETES_NAMESPACE);

/**
 * The DynamoDB actions to check the role's policies for. Bare names get the
 * `dynamodb:` prefix; an empty annotation falls back to the default.
 *
 * @public
 */
export function getDynamoDbActions(entity: Entity): string[] {
  const raw = annotation(entity, ANNOTATION_DYNAMODB_ACTIONS);
  if (!raw) return [...DEFAULT_DYNAMODB_ACTIONS];
  const actions = raw
    .split(',')
    .map(a => a.trim())
    .filter(Boolean)
    .map(a => (a.includes(':') ? a : `dynamodb:${a}`));
  return actions.length ? actions : [...DEFAULT_DYNAMODB_ACTIONS];
}

/**
 * The label selector that finds the entity's pods and workloads, as the
 * Kubernetes plugin builds it: the explicit selector wins over the id.
 *
 * @public
 */
export function getKubernetesLabelSelector(entity: Entity): string | undefined {
  const selector = annotation(entity, ANNOTATION_KUBERNETES_LABEL_SELECTOR);
  if (selector) return selector;
  const id = annotation(entity, ANNOTATION_KUBERNETES_ID);
  return id ? `${ANNOTATION_KUBERNETES_ID}=${id}` : undefined;
}

/**
 * Whether the entity carries anything the aws-workload plugin can show.
 *
 * @public
 */
export function isAwsWorkloadAvailable(entity: Entity): boolean {
  return Boolean(
    getDynamoDbTableArn(entity) ||
      getEcrRepositoryArn(entity) ||
      getKubernetesLabelSelector(entity),
  );
}

/**
 * A malformed annotation: its key and the rule it breaks. Entity views
 * report it as that entity's own InputError; nothing is looked up with it.
 *
 * @public
 */
export class AnnotationError extends Error {
  readonly name = 'AnnotationError';
  constructor(readonly annotationKey: string, rule: string) {
    super(`${annotationKey}: ${rule}`);
  }
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_NAME = '[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const LABEL_KEY = `(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?${LABEL_NAME}`;
const LABEL_VALUE = `(?:${LABEL_NAME})?`;
const REQUIREMENT = `\\s*(?:!${LABEL_KEY}|${LABEL_KEY}(?:\\s*(?:==|=|!=)\\s*${LABEL_VALUE}|\\s+(?:in|notin)\\s*\\(\\s*${LABEL_VALUE}(?:\\s*,\\s*${LABEL_VALUE})*\\s*\\))?)\\s*`;
const LABEL_SELECTOR = new RegExp(`^${REQUIREMENT}(?:,${REQUIREMENT})*$`);

/**
 * Where the entity's pods are to be looked for: its label selector and
 * namespace, checked before any call, so that no entity can bend a lookup
 * (a namespace of `*` is not "every namespace", a selector is Kubernetes
 * label selector syntax and nothing else). Undefined where the entity names
 * no pods.
 *
 * @public
 */
export function getKubernetesLookup(
  entity: Entity,
): { labelSelector: string; namespace?: string } | undefined {
  const labelSelector = getKubernetesLabelSelector(entity);
  if (!labelSelector) return undefined;
  const id = annotation(entity, ANNOTATION_KUBERNETES_ID);
  if (!annotation(entity, ANNOTATION_KUBERNETES_LABEL_SELECTOR) && id) {
    if (!new RegExp(`^${LABEL_NAME}$`).test(id)) {
      throw new AnnotationError(
        ANNOTATION_KUBERNETES_ID,
        'must be a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      );
    }
  } else if (
    labelSelector.length > 1000 ||
    !LABEL_SELECTOR.test(labelSelector)
  ) {
    throw new AnnotationError(
      ANNOTATION_KUBERNETES_LABEL_SELECTOR,
      'must be a Kubernetes label selector (key, !key, key=value, key!=value, key in (a,b), key notin (a,b), comma-separated)',
    );
  }
  const namespace = getKubernetesNamespace(entity);
  if (namespace !== undefined && !DNS_1123_LABEL.test(namespace)) {
    throw new AnnotationError(
      ANNOTATION_KUBERNETES_NAMESPACE,
      'must be a namespace name (a DNS-1123 label: at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit); leave it out to look in every namespace',
    );
  }
  return { labelSelector, namespace };
}
