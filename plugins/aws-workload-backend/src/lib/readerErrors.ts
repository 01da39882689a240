import {
  AnnotationError,
  ArnError,
} from '@aws-workload/plugin-aws-workload-common';
import { ApiException } from '@kubernetes/client-node';
import { isThrottlingError } from '@smithy/core/retry';
import { AWS_DENIED_CODES } from './awsErrors';

/** What every reader of an entity may see of a failure. */
export interface ReaderError {
  name: string;
  message: string;
}

/**
 * Errors of this plugin's own making: their messages say what to do and
 * carry nothing from an upstream answer.
 */
const OWN_ERRORS = new Set([
  'InputError',
  'NotFoundError',
  'TimeoutError',
  'UnsupportedClusterAuthError',
  'MissingCredentialsError',
]);

const AWS_NOT_FOUND = /NotFound|NoSuchEntity/;

const isAwsServiceError = (e: Error) =>
  typeof (e as { $metadata?: unknown }).$metadata === 'object';

/**
 * The error as the readers of an entity see it: its class and a short
 * message they can act on. Upstream bodies, headers and the backend's own
 * principal (an AWS AccessDenied names it) never reach them; `detail` says
 * whether the full message is for the log only.
 */
export function forReaders(
  e: unknown,
  annotation?: string,
): ReaderError & { detail?: string } {
  const error = e instanceof Error ? e : new Error(String(e));
  if (error instanceof AnnotationError) {
    return { name: 'InputError', message: error.message };
  }
  if (error instanceof ArnError && annotation) {
    return {
      name: 'InputError',
      message: `Annotation ${annotation}: ${error.message}`,
    };
  }
  if (error.name === 'CredentialsProviderError') {
    // The AWS SDK's own wording names no account and no remedy.
    return {
      name: error.name,
      message:
        'The backend has no AWS credentials to read this: give it credentials for the account in aws.accounts (roleName, profile or accessKeyId) or aws.mainAccount in app-config, or an identity of its own (IRSA, Pod Identity, an instance role) to assume roleName from.',
      detail: error.message,
    };
  }
  if (OWN_ERRORS.has(error.name)) {
    return { name: error.name, message: error.message.slice(0, 500) };
  }
  if (isThrottlingError(error as any)) {
    return {
      name: error.name,
      message:
        'AWS throttled the call after its retries; a later view tries again.',
      detail: error.message,
    };
  }
  if (error instanceof ApiException) {
    return {
      name: 'KubernetesApiError',
      message: kubernetesMessage(error.code),
      detail: `HTTP ${error.code}: ${String(error.body).slice(0, 1000)}`,
    };
  }
  if (isAwsServiceError(error)) {
    return {
      name: error.name,
      message: awsMessage(error, annotation),
      detail: error.message,
    };
  }
  return {
    name: error.name || 'Error',
    message: `The call failed (${
      error.name || 'Error'
    }); the backend's log has the details.`,
    detail: error.message,
  };
}

function kubernetesMessage(code: number): string {
  if (code === 401 || code === 403) {
    return `The cluster refused the backend's identity (HTTP ${code}): bind it to the read-only ClusterRole of the aws-workload-backend README.`;
  }
  if (code === 404) return 'The cluster has no such object or API (HTTP 404).';
  if (code === 429) {
    return 'The cluster throttled the call (HTTP 429); a later view tries again.';
  }
  return `The cluster answered HTTP ${code}; the backend's log has the details.`;
}

function awsMessage(error: Error, annotation?: string): string {
  if (AWS_DENIED_CODES.has(error.name)) {
    return "AWS refused the call to the backend's identity: give it the IAM policy of the aws-workload-backend README (the backend's log names the principal and the action).";
  }
  if (AWS_NOT_FOUND.test(error.name)) {
    return annotation
      ? `AWS has no such resource: check the ${annotation} annotation.`
      : 'AWS has no such resource.';
  }
  return `AWS answered ${error.name}; the backend's log has the details.`;
}
