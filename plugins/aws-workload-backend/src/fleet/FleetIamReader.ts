import {
  IamRoleFacts,
  Lookup,
  parseIamRoleArn,
} from '@aws-workload/plugin-aws-workload-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import { lookup } from '../lib/lookup';
import {
  Decision,
  IamRoleRecord,
  IamService,
  isAwsManagedPolicy,
  KnownIamAnswers,
  ManagedPolicyVersion,
  RoleUse,
} from '../clients/IamService';

/** How one account's roles were read. */
export type RoleReads = 'bulk' | 'per-role';

/**
 * Items a GetAccountAuthorizationDetails page is counted to hold when the
 * choice is made. It may answer up to 1,000, but pages of roles with large
 * policies come back with fewer; the estimate stays on the safe side.
 */
const ITEMS_PER_BULK_PAGE = 250;
/** GetRole, ListAttachedRolePolicies, ListRolePolicies: the fewest a role costs. */
const CALLS_PER_ROLE = 3;

/**
 * Bulk reads pay for every role and customer-managed policy in the account;
 * per-role reads pay for the roles asked about. Whichever costs fewer calls.
 */
export function chooseRoleReads(counts: {
  rolesToRead: number;
  accountRoles: number;
  accountPolicies: number;
}): RoleReads {
  const bulkPages = Math.ceil(
    (counts.accountRoles + counts.accountPolicies) / ITEMS_PER_BULK_PAGE,
  );
  return bulkPages < counts.rolesToRead * CALLS_PER_ROLE ? 'bulk' : 'per-role';
}

export interface FleetIamReaderOptions {
  simulate: boolean;
  /**
   * An unchanged role's simulation is reused this long; then it is asked
   * again anyway, because organization SCPs are not in what is read.
   */
  resimulateIntervalMs: number;
  logger: LoggerService;
  now?: () => number;
}

/** What one read did, for the run's log line and the bench. */
export interface FleetIamStats {
  accounts: Record<RoleReads, number>;
  roles: number;
  simulated: number;
  reused: number;
}

export interface FleetIamRead {
  answers: KnownIamAnswers;
  stats: FleetIamStats;
}

interface RememberedSimulation {
  fingerprint: string;
  decisions: Map<string, Map<string, Decision>> | null;
  at: number;
}

interface AccountRead {
  reads: RoleReads;
  roles: Map<string, Lookup<IamRoleRecord>>;
  /** Customer-managed policies read in bulk, by ARN. */
  policies: Map<string, ManagedPolicyVersion>;
}

/**
 * The fleet refresh's IAM phase: the roles its workloads run as, read in
 * bulk where an account holds many of them, and one policy simulation per
 * role, skipped while nothing that decides it has changed. It lives as
 * long as the plugin: AWS-managed policies and the simulations it keeps
 * are what later runs reuse.
 */
export class FleetIamReader {
  private readonly now: () => number;
  private readonly awsManaged = new Map<
    string,
    { policy: ManagedPolicyVersion; at: number }
  >();
  private readonly simulations = new Map<string, RememberedSimulation>();

  constructor(private readonly options: FleetIamReaderOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Reads the roles and simulates them, with the run's IAM service. */
  async read(iam: IamService, uses: RoleUse[]): Promise<FleetIamRead> {
    const byAccount = new Map<string, Set<string>>();
    for (const { roleArn } of uses) {
      const { accountId, partition } = parseIamRoleArn(roleArn);
      const key = `${partition}:${accountId}`;
      byAccount.set(key, (byAccount.get(key) ?? new Set()).add(roleArn));
    }
    const stats: FleetIamStats = {
      accounts: { bulk: 0, 'per-role': 0 },
      roles: 0,
      simulated: 0,
      reused: 0,
    };
    const facts = new Map<string, Lookup<IamRoleFacts>>();
    const fingerprints = new Map<string, string | undefined>();
    await Promise.all(
      [...byAccount.values()].map(async roleArns => {
        const account = await this.readAccount(iam, roleArns);
        stats.accounts[account.reads] += 1;
        await Promise.all(
          [...account.roles].map(async ([roleArn, record]) => {
            const [roleFacts, fingerprint] = await this.resolve(
              iam,
              account,
              roleArn,
              record,
            );
            facts.set(roleArn, roleFacts);
            fingerprints.set(roleArn, fingerprint);
          }),
        );
      }),
    );
    stats.roles = facts.size;
    const decisions = await this.simulateAll(iam, uses, fingerprints, stats);
    return { answers: knownAnswers(facts, decisions), stats };
  }

  /** One account's roles, in bulk or one by one as the numbers say. */
  private async readAccount(
    iam: IamService,
    roleArns: Set<string>,
  ): Promise<AccountRead> {
    const { accountId, partition } = parseIamRoleArn([...roleArns][0]);
    try {
      const size = await iam.accountSize(accountId, partition);
      const reads = chooseRoleReads({
        rolesToRead: roleArns.size,
        accountRoles: size.roles,
        accountPolicies: size.policies,
      });
      if (reads === 'bulk') {
        const details = await iam.readAccountAuthorizationDetails(
          accountId,
          partition,
          roleArns,
        );
        const roles = new Map<string, Lookup<IamRoleRecord>>(
          [...roleArns].map(arn => {
            const record = details.roles.get(arn);
            return [
              arn,
              record
                ? { status: 'found', value: record }
                : { status: 'not-found' },
            ];
          }),
        );
        return { reads, roles, policies: details.policies };
      }
    } catch (error) {
      // Older policies grant neither GetAccountSummary nor
      // GetAccountAuthorizationDetails: the per-role reads still work.
      this.options.logger.debug(
        `IAM bulk read of account ${accountId} not possible, reading roles one by one: ${error}`,
      );
    }
    const roles = new Map(
      await Promise.all(
        [...roleArns].map(
          async arn =>
            [
              arn,
              await lookup<IamRoleRecord>(async () => {
                const record = await iam.readRoleRecord(arn);
                return record
                  ? { status: 'found', value: record }
                  : { status: 'not-found' };
              }),
            ] as const,
        ),
      ),
    );
    return { reads: 'per-role', roles, policies: new Map() };
  }

  /**
   * The role's facts, and what decides its simulation: its policies'
   * documents and its boundary. Undefined where part of that is unknown,
   * so that the role is simulated again.
   */
  private async resolve(
    iam: IamService,
    account: AccountRead,
    roleArn: string,
    record: Lookup<IamRoleRecord>,
  ): Promise<[Lookup<IamRoleFacts>, string | undefined]> {
    if (record.status !== 'found') return [record, undefined];
    const reader = parseIamRoleArn(roleArn);
    const policy = (policyArn: string) =>
      account.policies.get(policyArn) ??
      (isAwsManagedPolicy(policyArn)
        ? this.awsManagedPolicy(iam, policyArn, reader)
        : iam.readManagedPolicy(policyArn, reader));
    const facts = await iam.roleFacts(record.value, async arn => policy(arn));
    if (facts.policies.status !== 'found') {
      return [{ status: 'found', value: facts }, undefined];
    }
    const boundary = record.value.boundary
      ? await lookup(async () => ({
          status: 'found' as const,
          value: (await policy(record.value.boundary!)).versionId,
        }))
      : undefined;
    const fingerprint =
      boundary && boundary.status !== 'found'
        ? undefined
        : digest({
            policies: facts.policies.value,
            boundary: record.value.boundary,
            boundaryVersion:
              boundary?.status === 'found' ? boundary.value : undefined,
          });
    return [{ status: 'found', value: facts }, fingerprint];
  }

  /** AWS's own policies change rarely: read once, then once per interval. */
  private async awsManagedPolicy(
    iam: IamService,
    policyArn: string,
    reader: { accountId: string; partition: string },
  ): Promise<ManagedPolicyVersion> {
    const kept = this.awsManaged.get(policyArn);
    if (kept && this.now() - kept.at < this.options.resimulateIntervalMs) {
      return kept.policy;
    }
    const policy = await iam.readManagedPolicy(policyArn, reader);
    this.awsManaged.set(policyArn, { policy, at: this.now() });
    return policy;
  }

  /** One simulation per role with tables, unless the last one still holds. */
  private async simulateAll(
    iam: IamService,
    uses: RoleUse[],
    fingerprints: Map<string, string | undefined>,
    stats: FleetIamStats,
  ): Promise<Map<string, Map<string, Map<string, Decision>> | null>> {
    const decisions = new Map<
      string,
      Map<string, Map<string, Decision>> | null
    >();
    if (!this.options.simulate) return decisions;
    const tablesByRole = new Map<
      string,
      { tableArn: string; actions: string[] }[]
    >();
    for (const use of uses) {
      if (!use.table) continue;
      tablesByRole.set(use.roleArn, [
        ...(tablesByRole.get(use.roleArn) ?? []),
        use.table,
      ]);
    }
    await Promise.all(
      [...tablesByRole].map(async ([roleArn, tables]) => {
        const roleFingerprint = fingerprints.get(roleArn);
        const fingerprint =
          roleFingerprint && digest([roleFingerprint, sortedUses(tables)]);
        const remembered = this.simulations.get(roleArn);
        if (
          fingerprint &&
          remembered?.fingerprint === fingerprint &&
          this.now() - remembered.at < this.options.resimulateIntervalMs
        ) {
          stats.reused += 1;
          decisions.set(roleArn, remembered.decisions);
          return;
        }
        stats.simulated += 1;
        try {
          const answer = await iam.simulateRole(roleArn, tables);
          decisions.set(roleArn, answer);
          if (fingerprint) {
            this.simulations.set(roleArn, {
              fingerprint,
              decisions: answer,
              at: this.now(),
            });
          }
        } catch (error) {
          // Not remembered: the next run asks again.
          this.options.logger.warn(
            `Policy simulation of ${roleArn} failed, evaluated locally instead: ${error}`,
          );
          decisions.set(roleArn, null);
        }
      }),
    );
    // Roles no longer in use are forgotten.
    for (const roleArn of this.simulations.keys()) {
      if (!tablesByRole.has(roleArn)) this.simulations.delete(roleArn);
    }
    return decisions;
  }
}

/** The distinct questions asked of a role, in one order: entities sharing a table ask once. */
function sortedUses(tables: { tableArn: string; actions: string[] }[]) {
  return [
    ...new Set(
      tables.map(
        t => `${t.tableArn} ${[...new Set(t.actions)].sort().join(',')}`,
      ),
    ),
  ].sort();
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function knownAnswers(
  facts: Map<string, Lookup<IamRoleFacts>>,
  decisions: Map<string, Map<string, Map<string, Decision>> | null>,
): KnownIamAnswers {
  return {
    role: roleArn => facts.get(roleArn),
    tableAccess(roleArn, tableArn, actions) {
      if (!decisions.has(roleArn)) return undefined;
      const perAction = decisions.get(roleArn)?.get(tableArn);
      if (!perAction || !actions.every(a => perAction.has(a))) return null;
      return Object.fromEntries(actions.map(a => [a, perAction.get(a)!]));
    },
  };
}
