/**
 * Fakes of the upstreams the aws-workload backend reads, for tests,
 * benchmarks and the local demo.
 *
 * @packageDocumentation
 */
export {
  FakeKubernetesApi,
  kubernetesStatus,
  resourceOfKind,
  tooManyRequests,
} from './FakeKubernetesApi';
export type {
  FakeKubernetesApiOptions,
  FakeKubernetesObject,
  FakeKubernetesObjects,
  FakeKubernetesRequest,
} from './FakeKubernetesApi';
export { matchesLabelSelector, parseLabelSelector } from './labelSelector';
export type { LabelRequirement } from './labelSelector';
export { serveOnLoopback } from './serveOnLoopback';
export type { FetchHandler, LoopbackServer } from './serveOnLoopback';
export { FakeAwsAccount, FakeAwsError } from './FakeAwsAccount';
export type {
  FakeAssociation,
  FakeAwsAccountOptions,
  FakeAwsObjects,
  FakeAwsService,
  FakeCluster,
  FakeOidcProvider,
  FakePolicy,
  FakeRepository,
  FakeRole,
  FakeTable,
} from './FakeAwsAccount';
export { fakeAwsHandler } from './fakeAwsHandler';
