import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * The principal that answers shared between a caller's requests belong to;
 * undefined for callers that cannot be named (never shared).
 */
export function callerKey(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return undefined;
}
