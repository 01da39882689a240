/**
 * Isomorphic core of the aws-workload plugin: annotation keys, API types,
 * the pod credential classifier and the IRSA / Pod Identity chain checks.
 * Only what the frontend, the backend, the scaffolder module and the CLI use
 * is exported.
 *
 * @packageDocumentation
 */
export {
  AnnotationError,
  getKubernetesLookup,
  IRSA_ROLE_ARN_ANNOTATION,
  ANNOTATION_DYNAMODB_ACTIONS,
  ANNOTATION_DYNAMODB_TABLE_ARN,
  ANNOTATION_ECR_REPOSITORY_ARN,
  ANNOTATION_EKS_CLUSTER_NAME,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  DEFAULT_DYNAMODB_ACTIONS,
  getDynamoDbActions,
  getDynamoDbTableArn,
  getEcrRepositoryArn,
  getEksClusterName,
  getKubernetesLabelSelector,
  getKubernetesNamespace,
  isAwsWorkloadAvailable,
} from './annotations';
export type {
  EntityAwsWorkloadResponse,
  ImageInfo,
  PodInfo,
  Section,
  TableInfo,
  WorkloadInfo,
} from './api';
export {
  ArnError,
  awsArn,
  awsConsoleUrl,
  ecrRepositoryUri,
  iamRoleConsoleUrl,
  isAwsAccountId,
  isAwsRegion,
  oidcProviderArnForIssuer,
  parseDynamoDbTableArn,
  parseEcrRepositoryArn,
  parseIamRoleArn,
  partitionOfRegion,
} from './arn';
export { checkIrsaChain, checkPodIdentityChain } from './chain';
export type {
  IamRoleFacts,
  IrsaChainInput,
  Lookup,
  OidcProviderFacts,
  PodIdentityChainInput,
  TableAccess,
} from './chain';
export { CREDENTIAL_MODES, CREDENTIAL_MODE_LABELS } from './checks';
export type {
  Check,
  CheckId,
  CheckStatus,
  CredentialMode,
  FixArtefact,
  IrsaCheckId,
  NodeRoleCheckId,
  PodIdentityCheckId,
  StaticKeysCheckId,
} from './checks';
export {
  classifyWorkload,
  fargateSelects,
  METADATA_PROXY_ROLE_ANNOTATION,
  serviceAccountNameOf,
} from './classify';
export type {
  ClassifyContext,
  FargateSelector,
  WorkloadClassification,
  WorkloadInput,
} from './classify';
export {
  ACCESS_KEY_ID,
  STATIC_KEY_ENV_NAMES,
  maskAccessKeyId,
  scanPodSpec,
} from './staticKeys';
export type { KeyScanContext, StaticKeyUse } from './staticKeys';
export { checkChainOffline, isTemplatePlaceholder } from './offline';
export { withFixArtefacts } from './fixes';
export type { FixContext } from './fixes';
export type { OfflineChainResult, OfflineRole } from './offline';
export {
  FLEET_DEFAULT_LIMIT,
  FLEET_FACETS,
  FLEET_GROUP_BY,
  FLEET_MAX_LIMIT,
  FLEET_MODE_BUCKETS,
  FLEET_SORT_FIELDS,
  NO_WORKLOAD,
  awsWorkloadPermissions,
  compareFleetEntries,
  entityRefreshPermission,
  countByMode,
  fleetFacetValues,
  fleetReadPermission,
  fleetSearchText,
  fleetSortValue,
  matchesFleetQuery,
  searchWords,
} from './fleet';
export type {
  FleetEntry,
  FleetFacet,
  FleetGroupBy,
  FleetSortField,
  FleetModeBucket,
  FleetQuery,
  FleetRefreshInfo,
  FleetTrendDay,
  FleetTrendResponse,
  FleetResponse,
  FleetRunningImage,
  FleetSection,
  FleetWorkload,
} from './fleet';
export type {
  Container,
  EnvFromSource,
  EnvVar,
  KeySource,
  ObjectMeta,
  Pod,
  PodIdentityAssociation,
  PodSpec,
  PodTemplateSpec,
  ServiceAccount,
  Volume,
  VolumeMount,
} from './kubernetes';
export {
  CHECK_STATUS_LABELS,
  CHECK_TITLES,
  chainHealth,
  checkTitle,
  checksByUrgency,
  modeHealthLabel,
} from './health';
export type { ChainHealth } from './health';
export { decodePolicyDocument } from './policy';
export type { PolicyDocument, PolicyStatement } from './policy';
export { findPodTemplate, toWorkloadInput } from './workloads';
export type {
  DynamoDbTableArn,
  EcrRepositoryArn,
  IamRoleArn,
  ParsedArn,
} from './arn';
export type { KubernetesObject, PodTemplateLocation } from './workloads';
export {
  FIX_TEMPLATE_PATH,
  githubSourceOf,
  pullRequestFixesFor,
  pullRequestFixUrl,
} from './pullRequestFix';
export type {
  FixableEntity,
  PullRequestFix,
  PullRequestFixKind,
} from './pullRequestFix';
export { answerFleetQuery, byCountThenValue } from './fleetAnswer';
export type { FleetQueryAnswer } from './fleetAnswer';
export { eksClusterCheckProblem } from './clusterCheck';
export type { EksClusterCheck, EksClusterCheckRequest } from './clusterCheck';
export { publishTargetOf, repoUrlHost } from './publishTarget';
export type { PublishTarget } from './publishTarget';
export {
  policyAllowsSecrets,
  SECRET_READ_ACTIONS,
  secretProviderClassNames,
} from './secretAccess';
export type { SecretAccess } from './secretAccess';
export { InFlightLoads } from './inFlight';
