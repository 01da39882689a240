import {
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
import { cacheKey, Loader } from './CachedLoader';
import { isAccessDenied } from '../lib/awsErrors';

/** IAM is global; its API answers in us-east-1 (aws-cn and aws-us-gov aside). */
const IAM_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

const isNotFound = (e: unknown) => e instanceof NoSuchEntityException;

type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';
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

export class IamService {
  constructor(
    private readonly clients: AwsClientFactory,
    private readonly loader: Loader,
    private readonly ttlMs: number,
    private readonly simulate: boolean,
    /**
     * The fleet refresh holds simulations back until it has registered its
     * per-role batches, so that no view asks IAM for a single table first.
     */
    private readonly simulationsReady?: Promise<void>,
  ) {}

  private async iam(accountId: string, partition: string): Promise<IAMClient> {
    return this.clients.client(
      'iam',
      accountId,
      IAM_REGION[partition] ?? 'us-east-1',
    );
  }

  /** The role, its trust policy and its identity policies (inline and attached). */
  getRole(roleArn: string): Promise<Lookup<IamRoleFacts>> {
    return lookup(() =>
      this.loader.load<Lookup<IamRoleFacts>>(
        cacheKey('iam:role', roleArn),
        this.ttlMs,
        async () => {
          const arn = parseIamRoleArn(roleArn);
          const client = await this.iam(arn.accountId, arn.partition);
          let role;
          try {
            role = (
              await client.send(new GetRoleCommand({ RoleName: arn.roleName }))
            ).Role;
          } catch (e) {
            if (isNotFound(e)) return { status: 'not-found' } as const;
            throw e;
          }
          const facts: IamRoleFacts = {
            arn: roleArn,
            trustPolicy: decodePolicyDocument(
              role?.AssumeRolePolicyDocument ?? '{"Statement":[]}',
            ),
            policies: await lookup<PolicyDocument[]>(async () => ({
              status: 'found' as const,
              value: await this.rolePolicies(client, arn.roleName),
            })),
          };
          return { status: 'found', value: facts } as const;
        },
      ),
    );
  }

  private async rolePolicies(
    client: IAMClient,
    roleName: string,
  ): Promise<PolicyDocument[]> {
    const [attached, inline] = await Promise.all([
      this.attachedPolicies(client, roleName),
      this.inlinePolicies(client, roleName),
    ]);
    return [...attached, ...inline];
  }

  private async attachedPolicies(client: IAMClient, roleName: string) {
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
    return Promise.all(
      arns.map(policyArn =>
        this.loader.load(
          cacheKey('iam:policy', policyArn),
          this.ttlMs,
          async () => {
            const { Policy } = await client.send(
              new GetPolicyCommand({ PolicyArn: policyArn }),
            );
            const { PolicyVersion } = await client.send(
              new GetPolicyVersionCommand({
                PolicyArn: policyArn,
                VersionId: Policy!.DefaultVersionId!,
              }),
            );
            return decodePolicyDocument(PolicyVersion!.Document!);
          },
        ),
      ),
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
    const arn = parseIamRoleArn(roleArn);
    await this.simulationsReady;
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
                r.EvalDecision as 'allowed' | 'explicitDeny' | 'implicitDeny',
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
   * (per-resource decisions come back in ResourceSpecificResults). The
   * answers are registered, before any call is made, under the keys
   * simulateTableAccess reads, so a view that asks meanwhile waits for the
   * batch instead of asking IAM itself. For the fleet, where one role often
   * serves several entities.
   */
  prefetchTableAccess(
    roleArn: string,
    uses: { tableArn: string; actions: string[] }[],
  ): Promise<void> {
    if (!this.simulate || uses.length === 0) return Promise.resolve();
    const batch = this.simulateBatch(roleArn, uses);
    return Promise.all(
      uses.map(use =>
        this.loader.load(
          simulateKey(roleArn, use.tableArn, use.actions),
          this.ttlMs,
          async () => {
            const decisions = await batch;
            const perAction = decisions?.get(use.tableArn);
            if (!perAction || !use.actions.every(a => perAction.has(a))) {
              // Denied (null): simulateTableAccess falls back to the local evaluation.
              return null;
            }
            return Object.fromEntries(
              use.actions.map(a => [a, perAction.get(a)!]),
            );
          },
        ),
      ),
    ).then(() => undefined);
  }

  /** Decisions per table and action; null where IAM denies the simulation. */
  private async simulateBatch(
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
