import {
  DynamoDBServiceException,
  ResourceNotFoundException as DynamoDbResourceNotFound,
  TableNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  ECRServiceException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  EKSServiceException,
  ResourceNotFoundException as EksResourceNotFound,
} from '@aws-sdk/client-eks';
import { IAMServiceException } from '@aws-sdk/client-iam';
import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import {
  AnnotationError,
  ArnError,
} from '@aws-workload/plugin-aws-workload-common';
import { InputError, isError, NotFoundError } from '@backstage/errors';

/** The base classes of the SDK clients the plugin uses. */
const SERVICE_EXCEPTIONS = [
  DynamoDBServiceException,
  ECRServiceException,
  EKSServiceException,
  IAMServiceException,
  SecretsManagerServiceException,
];

type AwsServiceException =
  | DynamoDBServiceException
  | ECRServiceException
  | EKSServiceException
  | IAMServiceException
  | SecretsManagerServiceException;

/** An error an AWS service answered, as its SDK client deserialized it. */
export function isAwsServiceException(e: unknown): e is AwsServiceException {
  return SERVICE_EXCEPTIONS.some(type => e instanceof type);
}

/**
 * The error codes AWS answers when the caller's identity may not do
 * something or is not valid. The SDK models most of them with no class of
 * their own: the code is the exception's name.
 */
export const AWS_DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** AWS refused the call to the backend's identity. */
export function isAccessDenied(e: unknown): boolean {
  return isAwsServiceException(e) && AWS_DENIED_CODES.has(e.name);
}

/**
 * `@backstage/integration-aws-node` has no account for the request. It
 * throws a plain Error for it, so this is the one error the plugin knows by
 * its words; `awsErrors.test.ts` pins them against the library itself.
 */
export function isMissingAwsIntegration(e: unknown): boolean {
  return isError(e) && e.message.startsWith('There is no AWS integration');
}

/** The classes whose errors say something about the entity itself. */
const ENTITY_STATE_ERRORS = [
  AnnotationError,
  ArnError,
  InputError,
  NotFoundError,
  DynamoDbResourceNotFound,
  TableNotFoundException,
  RepositoryNotFoundException,
  EksResourceNotFound,
];

/**
 * The error is the entity's own state (a malformed annotation, a table,
 * repository or cluster that does not exist): the fleet stores it as such.
 * Any other error means an upstream could not be read, and the fleet keeps
 * the entity's previous posture, marked stale.
 */
export function isEntityStateError(e: unknown): boolean {
  return ENTITY_STATE_ERRORS.some(type => e instanceof type);
}
