import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** An audit event as the plugin reported it. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  hasRequest: boolean;
  outcome: 'pending' | 'success' | 'fail';
  successMeta?: JsonObject;
  error?: string;
}

/** An auditor that keeps every event it is given, and how it ended. */
export function recordingAuditor(): AuditorService & {
  events: RecordedAuditEvent[];
} {
  const events: RecordedAuditEvent[] = [];
  return {
    events,
    async createEvent(options) {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
        hasRequest: Boolean(options.request),
        outcome: 'pending',
      };
      events.push(event);
      return {
        async success(result) {
          event.outcome = 'success';
          event.successMeta = result?.meta;
        },
        async fail({ error }) {
          event.outcome = 'fail';
          event.error = error.name;
        },
      };
    },
  };
}
