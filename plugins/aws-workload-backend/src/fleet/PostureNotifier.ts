import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  NotificationPayload,
  NotificationSeverity,
} from '@backstage/plugin-notifications-common';
import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';
import {
  PostureChange,
  PostureChangeKind,
  postureChanges,
} from './postureChanges';

const SEVERITY: Record<PostureChangeKind, NotificationSeverity> = {
  'static-keys': 'high',
  'newly-failing': 'normal',
  healed: 'low',
};

export interface PostureNotifierOptions {
  notifications: NotificationService;
  logger: LoggerService;
  /** The kinds of change to notify about; all of them unless configured. */
  kinds: readonly PostureChangeKind[];
}

const displayName = (entry: FleetEntry) => entry.title ?? entry.name;

/** The entity's AWS tab, as a path of the portal (the notifications UI makes it absolute). */
const awsTabOf = (entry: FleetEntry) =>
  `/catalog/${encodeURIComponent(entry.namespace)}/${encodeURIComponent(
    entry.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(entry.name)}/aws`;

/** The notification of one change: what changed, where to look, what to do. */
export function notificationOf(change: PostureChange): NotificationPayload {
  const { entry } = change;
  const name = displayName(entry);
  const texts: Record<
    PostureChangeKind,
    { title: string; description: string }
  > = {
    'static-keys': {
      title: `${name} now uses static AWS keys`,
      description: `A workload of ${entry.entityRef} reads AWS access keys from its environment, a Secret or a mounted file. Bind its ServiceAccount to an IAM role (IRSA or Pod Identity) and deactivate the keys; the AWS tab shows the change.`,
    },
    'newly-failing': {
      title: `${name}: AWS credential check${
        change.checks.length > 1 ? 's' : ''
      } failing`,
      description: `Newly failing for ${entry.entityRef}: ${change.checks.join(
        ', ',
      )}. The AWS tab has the fix for each.`,
    },
    healed: {
      title: `${name}: AWS credential chain healthy again`,
      description: `Every credential check of ${entry.entityRef} passes.`,
    },
  };
  return {
    ...texts[change.kind],
    link: awsTabOf(entry),
    severity: SEVERITY[change.kind],
    topic: 'AWS credentials',
    // One per entity and kind of change: a repeat updates it.
    scope: `aws-workload:${entry.entityRef}:${change.kind}`,
  };
}

/**
 * Tells the owners of entities whose posture changed in a refresh, through
 * the notifications plugin. A failure to send is logged, never a failed
 * refresh: the fleet is stored already.
 */
export class PostureNotifier {
  constructor(private readonly options: PostureNotifierOptions) {}

  async notify(
    previous: ReadonlyMap<string, FleetEntry>,
    current: readonly FleetEntry[],
  ): Promise<number> {
    const { notifications, logger, kinds } = this.options;
    const changes = postureChanges(previous, current).filter(c =>
      kinds.includes(c.kind),
    );
    let sent = 0;
    for (const change of changes) {
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: change.entry.entityRef },
          payload: notificationOf(change),
        });
        sent += 1;
      } catch (error) {
        logger.warn(
          `Could not notify the owners of ${change.entry.entityRef} (${change.kind}): ${error}`,
        );
      }
    }
    return sent;
  }
}
