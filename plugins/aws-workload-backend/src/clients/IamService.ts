import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  decodePolicyDocument,
  IamRoleFacts,
  Lookup,
  OidcProviderFacts,
  parseIamRoleArn,
  PolicyDocument,
  TableAccess,
} from '@aws-workload/plugin-aws-workload-common';
import { lookup } from '../lib/lookup';
import { AwsClientFactory } from './AwsClientFactory';
import { cacheKey, Loader, ReaderOptions } from './CachedLoader';
import { isAccessDenied } from '../lib/awsErrors';

/** IAM is global; its API answers in us-east-1 (aws-cn and aws-us-gov aside). */
const IAM_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

const isNotFound = (e: unknown) => e instanceof NoSuchEntityException;

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';
const SIMULATE_RESOURCES_PER_CALL = 20;

const simulateKey = (roleArn: string, tableArn: string, actions: string[]) =>
  cacheKey('iam:simulate', roleArn, tableArn, actions);

/**
 * IAM now answers one result per action with per-resource decisions in
 * ResourceSpecificResults; it used to answer one result per action and
 * resource (EvalResourceName). Both are read.
 */
function recordDecisions(
  decisions: Map<string, Map<string, Decision>>,
  result: {
    EvalActionName?: string;
    EvalResourceName?: string;
    EvalDecision?: string;
    ResourceSpecificResults?: {
      EvalResourceName?: string;
      EvalResourceDecision?: string;
    }[];
  },
  resources: string[],
) {
  const action = result.EvalActionName;
  if (!action) return;
  const put = (resource: string | undefined, decision: string | undefined) => {
    if (!resource || !decision || !resources.includes(resource)) return;
    if (!decisions.has(resource)) decisions.set(resource, new Map());
    decisions.get(resource)!.set(action, decision as Decision);
  };
  if (result.ResourceSpecificResults?.length) {
    for (const r of result.ResourceSpecificResults) {
      put(r.EvalResourceName, r.EvalResourceDecision);
    }
  } else if (resources.length === 1) {
    put(resources[0], result.EvalDecision);
  } else {
    put(result.EvalResourceName, result.EvalDecision);
  }
}

/** A role one of the fleet's workloads runs as, and the table it is asked about. */
export interface RoleUse {
  roleArn: string;
  table?: { tableArn: string; actions: string[] };
}

/** A role as IAM describes it, before its managed policies are read. */
export interface IamRoleRecord {
  arn: string;
  trustPolicy: PolicyDocument;
  /** Inline policies, as documents. */
  inline: PolicyDocument[];
  /** Attached managed policies, by ARN. */
  attached: string[];
  /** The permissions boundary's ARN, where the role has one. */
  boundary?: string;
  /** Why the policy lists could not be read, where they could not. */
  policiesUnknown?: string;
}

/** A managed policy's default version. */
export interface ManagedPolicyVersion {
  arn: string;
  versionId: string;
  document: PolicyDocument;
}

/** One account's roles and customer-managed policies, read in bulk. */
export interface AccountAuthorizationDetails {
  /** Every role of the account asked for that exists, by ARN. */
  roles: Map<string, IamRoleRecord>;
  /** Every customer-managed policy's default version, by ARN. */
  policies: Map<string, ManagedPolicyVersion>;
  /** GetAccountAuthorizationDetails pages read. */
  pages: number;
}

/**
 * Answers the fleet refresh read before its views: role facts and policy
 * simulations for the roles its entities run as. A role or use it does not
 * hold is read as the entity page reads it.
 */
export interface KnownIamAnswers {
  role(roleArn: string): Lookup<IamRoleFacts> | undefined;
  /** A decision per action; `null` where the simulation was not possible. */
  tableAccess(
    roleArn: string,
    tableArn: string,
    actions: string[],
  ): TableAccess['simulated'] | null | undefined;
}

export interface IamServiceOptions extends ReaderOptions {
  /** Whether table access is checked with iam:SimulatePrincipalPolicy. */
  simulate: boolean;
  /** The fleet refresh's answers, read in bulk before its views ask. */
  known?: Promise<KnownIamAnswers | undefined>;
}

/** The most items GetAccountAuthorizationDetails may answer per page. */
const AUTHORIZATION_DETAILS_PAGE = 1000;

/** Whether a managed policy is one of AWS's own (`arn:<partition>:iam::aws:policy/...`). */
export const isAwsManagedPolicy = (policyArn: string) =>
  /^arn:[a-z-]+:iam::aws:policy\//.test(policyArn);

export class IamService {
  private readonly clients: AwsClientFactory;
  private readonly loader: Loader;
  private readonly ttlMs: number;
  private readonly simulate: boolean;
  private readonly known?: Promise<KnownIamAnswers | undefined>;

  constructor(options: IamServiceOptions) {
    this.clients = options.clients;
    this.loader = options.loader;
    this.ttlMs = options.ttlMs;
    this.simulate = options.simulate;
    // A bulk read that failed leaves every answer to the per-role reads.
    this.known = options.known?.catch(() => undefined);
  }

  private async iam(accountId: string, partition: string): Promise<IAMClient> {
    return this.clients.client(
      'iam',
      accountId,
      IAM_REGION[partition] ?? 'us-east-1',
    );
  }

  /** The role, its trust policy and its identity policies (inline and attached). */
  async getRole(roleArn: string): Promise<Lookup<IamRoleFacts>> {
    const known = (await this.known)?.role(roleArn);
    if (known) return known;
    return lookup(() =>
      this.loader.load<Lookup<IamRoleFacts>>(
        cacheKey('iam:role', roleArn),
        this.ttlMs,
        async () => {
          const record = await this.readRoleRecord(roleArn);
          if (!record) return { status: 'not-found' } as const;
          const reader = parseIamRoleArn(roleArn);
          const facts = await this.roleFacts(record, arn =>
            this.readManagedPolicy(arn, reader),
          );
          return { status: 'found', value: facts } as const;
        },
      ),
    );
  }

  /**
   * One role with GetRole and its policy lists; undefined where it does not
   * exist. Lists that cannot be read leave the role with unknown policies.
   */
  async readRoleRecord(roleArn: string): Promise<IamRoleRecord | undefined> {
    const arn = parseIamRoleArn(roleArn);
    const client = await this.iam(arn.accountId, arn.partition);
    let role;
    try {
      role = (await client.send(new GetRoleCommand({ RoleName: arn.roleName })))
        .Role;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const record: IamRoleRecord = {
      arn: roleArn,
      trustPolicy: decodePolicyDocument(
        role?.AssumeRolePolicyDocument ?? '{"Statement":[]}',
      ),
      inline: [],
      attached: [],
      boundary: role?.PermissionsBoundary?.PermissionsBoundaryArn,
    };
    try {
      [record.attached, record.inline] = await Promise.all([
        this.attachedPolicyArns(client, arn.roleName),
        this.inlinePolicies(client, arn.roleName),
      ]);
    } catch (e) {
      record.policiesUnknown = `${(e as Error).name}: ${(e as Error).message}`;
    }
    return record;
  }

  /** The role's facts, its managed policies read through `managedPolicy`. */
  async roleFacts(
    record: IamRoleRecord,
    managedPolicy: (policyArn: string) => Promise<ManagedPolicyVersion>,
  ): Promise<IamRoleFacts> {
    return {
      arn: record.arn,
      trustPolicy: record.trustPolicy,
      policies: await lookup<PolicyDocument[]>(async () => {
        if (record.policiesUnknown) {
          return { status: 'unknown', reason: record.policiesUnknown };
        }
        const attached = await Promise.all(record.attached.map(managedPolicy));
        return {
          status: 'found',
          value: [...attached.map(p => p.document), ...record.inline],
        };
      }),
    };
  }

  private async attachedPolicyArns(client: IAMClient, roleName: string) {
    const arns: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(
        new ListAttachedRolePoliciesCommand({
          RoleName: roleName,
          Marker: marker,
        }),
      );
      arns.push(...(page.AttachedPolicies ?? []).map(p => p.PolicyArn!));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return arns;
  }

  /**
   * A managed policy's default version (GetPolicy, then GetPolicyVersion),
   * read with the credentials of the account whose role attaches it: AWS's
   * own policies belong to no account of ours.
   */
  readManagedPolicy(
    policyArn: string,
    reader: { accountId: string; partition: string },
  ): Promise<ManagedPolicyVersion> {
    return this.loader.load(
      cacheKey('iam:policy', policyArn),
      this.ttlMs,
      async () => {
        const client = await this.iam(reader.accountId, reader.partition);
        const { Policy } = await client.send(
          new GetPolicyCommand({ PolicyArn: policyArn }),
        );
        const versionId = Policy!.DefaultVersionId!;
        const { PolicyVersion } = await client.send(
          new GetPolicyVersionCommand({
            PolicyArn: policyArn,
            VersionId: versionId,
          }),
        );
        return {
          arn: policyArn,
          versionId,
          document: decodePolicyDocument(PolicyVersion!.Document!),
        };
      },
    );
  }

  private async inlinePolicies(client: IAMClient, roleName: string) {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(
        new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      names.push(...(page.PolicyNames ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return Promise.all(
      names.map(async policyName => {
        const { PolicyDocument: doc } = await client.send(
          new GetRolePolicyCommand({
            RoleName: roleName,
            PolicyName: policyName,
          }),
        );
        return decodePolicyDocument(doc!);
      }),
    );
  }

  /** How many roles and customer-managed policies the account holds (GetAccountSummary). */
  async accountSize(
    accountId: string,
    partition: string,
  ): Promise<{ roles: number; policies: number }> {
    const client = await this.iam(accountId, partition);
    const { SummaryMap } = await client.send(new GetAccountSummaryCommand({}));
    return {
      roles: SummaryMap?.Roles ?? 0,
      policies: SummaryMap?.Policies ?? 0,
    };
  }

  /**
   * The account's roles and customer-managed policies with
   * GetAccountAuthorizationDetails, paged; only the roles asked for are
   * kept. Policy documents come URL-encoded.
   */
  async readAccountAuthorizationDetails(
    accountId: string,
    partition: string,
    roleArns: ReadonlySet<string>,
  ): Promise<AccountAuthorizationDetails> {
    const client = await this.iam(accountId, partition);
    // IAM names are case-insensitive: a role is found however its ARN is cased.
    const asked = new Map([...roleArns].map(arn => [arn.toLowerCase(), arn]));
    const details: AccountAuthorizationDetails = {
      roles: new Map(),
      policies: new Map(),
      pages: 0,
    };
    let marker: string | undefined;
    do {
      const page = await client.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: ['Role', 'LocalManagedPolicy'],
          MaxItems: AUTHORIZATION_DETAILS_PAGE,
          Marker: marker,
        }),
      );
      details.pages += 1;
      for (const role of page.RoleDetailList ?? []) {
        const arn = role.Arn && asked.get(role.Arn.toLowerCase());
        if (!arn) continue;
        details.roles.set(arn, {
          arn,
          trustPolicy: decodePolicyDocument(
            role.AssumeRolePolicyDocument ?? '{"Statement":[]}',
          ),
          inline: (role.RolePolicyList ?? []).map(p =>
            decodePolicyDocument(p.PolicyDocument!),
          ),
          attached: (role.AttachedManagedPolicies ?? []).map(p => p.PolicyArn!),
          boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
        });
      }
      for (const policy of page.Policies ?? []) {
        const version = (policy.PolicyVersionList ?? []).find(
          v => v.IsDefaultVersion,
        );
        if (!policy.Arn || !version?.Document) continue;
        details.policies.set(policy.Arn, {
          arn: policy.Arn,
          versionId: version.VersionId ?? policy.DefaultVersionId ?? '',
          document: decodePolicyDocument(version.Document),
        });
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return details;
  }

  getOidcProvider(
    providerArn: string,
    accountId: string,
    partition = 'aws',
  ): Promise<Lookup<OidcProviderFacts>> {
    return lookup(() =>
      this.loader.load<Lookup<OidcProviderFacts>>(
        cacheKey('iam:oidc', providerArn),
        this.ttlMs,
        async () => {
          const client = await this.iam(accountId, partition);
          try {
            const provider = await client.send(
              new GetOpenIDConnectProviderCommand({
                OpenIDConnectProviderArn: providerArn,
              }),
            );
            return {
              status: 'found',
              value: {
                arn: providerArn,
                clientIds: provider.ClientIDList ?? [],
              },
            } as const;
          } catch (e) {
            if (isNotFound(e)) return { status: 'not-found' } as const;
            throw e;
          }
        },
      ),
    );
  }

  /**
   * iam:SimulatePrincipalPolicy for the table actions; undefined where it is
   * switched off or denied, so the local evaluation answers instead.
   */
  async simulateTableAccess(
    roleArn: string,
    tableArn: string,
    actions: string[],
  ): Promise<TableAccess['simulated']> {
    if (!this.simulate) return undefined;
    const known = (await this.known)?.tableAccess(roleArn, tableArn, actions);
    if (known !== undefined) return known ?? undefined;
    const arn = parseIamRoleArn(roleArn);
    try {
      const result = await this.loader.load(
        simulateKey(roleArn, tableArn, actions),
        this.ttlMs,
        async () => {
          const client = await this.iam(arn.accountId, arn.partition);
          try {
            const response = await client.send(
              new SimulatePrincipalPolicyCommand({
                PolicySourceArn: roleArn,
                ActionNames: actions,
                ResourceArns: [tableArn],
              }),
            );
            return Object.fromEntries(
              (response.EvaluationResults ?? []).map(r => [
                r.EvalActionName!,
                r.EvalDecision as Decision,
              ]),
            );
          } catch (e) {
            // Denied is an answer worth caching: ask again only after the TTL.
            if (isAccessDenied(e)) return null;
            throw e;
          }
        },
      );
      return result ?? undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * One SimulatePrincipalPolicy per role for all the tables its entities use
   * (20 tables a call; per-resource decisions come back in
   * ResourceSpecificResults): decisions per table and action, null where
   * IAM denies the simulation. For the fleet, where one role often serves
   * several entities.
   */
  async simulateRole(
    roleArn: string,
    uses: { tableArn: string; actions: string[] }[],
  ): Promise<Map<string, Map<string, Decision>> | null> {
    const arn = parseIamRoleArn(roleArn);
    const client = await this.iam(arn.accountId, arn.partition);
    const tables = [...new Set(uses.map(u => u.tableArn))];
    const actions = [...new Set(uses.flatMap(u => u.actions))];
    const decisions = new Map<string, Map<string, Decision>>();
    try {
      for (let i = 0; i < tables.length; i += SIMULATE_RESOURCES_PER_CALL) {
        const chunk = tables.slice(i, i + SIMULATE_RESOURCES_PER_CALL);
        let marker: string | undefined;
        do {
          const page = await client.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: roleArn,
              ActionNames: actions,
              ResourceArns: chunk,
              Marker: marker,
            }),
          );
          for (const result of page.EvaluationResults ?? []) {
            recordDecisions(decisions, result, chunk);
          }
          marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker);
      }
    } catch (e) {
      if (isAccessDenied(e)) return null;
      throw e;
    }
    return decisions;
  }
}
