import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs `fn` as one audit event of the plugin (`coreServices.auditor`): who
 * (from the request), what (`eventId`, `meta`), and whether it succeeded.
 * Without an auditor it just runs `fn`.
 */
export async function audited<T>(
  auditor: AuditorService | undefined,
  options: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    request?: Request;
    meta?: JsonObject;
  },
  fn: () => Promise<T>,
  successMeta?: (result: T) => JsonObject,
): Promise<T> {
  if (!auditor) return fn();
  const event = await auditor.createEvent(options);
  try {
    const result = await fn();
    await event.success(successMeta ? { meta: successMeta(result) } : {});
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
