import { FleetEntry } from '@aws-workload/plugin-aws-workload-common';
import { FactSchema } from '@backstage-community/plugin-tech-insights-common';
import { JsonValue } from '@backstage/types';

/**
 * The facts' schema version: raise the major on a change that breaks a
 * check written against it, the minor when a fact is added.
 */
export const POSTURE_FACTS_VERSION = '1.0.0';

/**
 * One entity's credential posture as Tech Insights facts. A fact the fleet
 * could not establish (a section that failed to read, no image pushed) is
 * left out, so that the checks on it report nothing rather than a guess.
 *
 * @public
 */
export const postureFactsSchema: FactSchema = {
  credentialModes: {
    type: 'set',
    description:
      'How the pods of the entity get AWS credentials: irsa, pod-identity, static-keys, node-role, credential-process, unknown',
  },
  staticKeysPresent: {
    type: 'boolean',
    description:
      'A workload of the entity reads AWS access keys from its environment, a Secret or a mounted file',
  },
  failingChecks: {
    type: 'set',
    description:
      'Ids of the credential-chain checks that fail for a workload of the entity (see the plugin design: trust-policy-allows-sa, static-keys-present, ...)',
  },
  chainHealthy: {
    type: 'boolean',
    description:
      'The entity has workloads and every check of their credential chains passes',
  },
  tableStatus: {
    type: 'string',
    description: "The DynamoDB table's status (ACTIVE, CREATING, ...)",
  },
  newestImageAgeDays: {
    type: 'integer',
    description: 'Days since the newest image of its ECR repository was pushed',
  },
  runningImageCriticalFindings: {
    type: 'integer',
    description:
      'Critical findings of the ECR scan of the images its pods run (the highest of them)',
  },
  runningImageHighFindings: {
    type: 'integer',
    description:
      'High findings of the ECR scan of the images its pods run (the highest of them)',
  },
  stale: {
    type: 'boolean',
    description:
      'The last fleet refresh could not read part of the entity; its facts are from an earlier refresh',
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Facts of one fleet entry, as of `now`. */
export function postureFactsOf(
  entry: FleetEntry,
  now: Date,
): Record<string, JsonValue> {
  const facts: Record<string, JsonValue> = {
    stale: entry.stale !== undefined,
  };
  if (!entry.errors.workloads) {
    facts.credentialModes = entry.modes;
    facts.staticKeysPresent = entry.modes.includes('static-keys');
    facts.failingChecks = entry.failingChecks;
    facts.chainHealthy =
      entry.workloads.length > 0 && entry.failingChecks.length === 0;
  }
  if (entry.tableStatus) facts.tableStatus = entry.tableStatus;
  const pushedAt = entry.newestImage?.pushedAt;
  if (pushedAt) {
    facts.newestImageAgeDays = Math.floor(
      (now.getTime() - Date.parse(pushedAt)) / DAY_MS,
    );
  }
  const scanned = (entry.runningImages ?? []).filter(
    i => i.critical !== undefined || i.high !== undefined,
  );
  if (scanned.length > 0) {
    facts.runningImageCriticalFindings = Math.max(
      ...scanned.map(i => i.critical ?? 0),
    );
    facts.runningImageHighFindings = Math.max(...scanned.map(i => i.high ?? 0));
  }
  return facts;
}
