import { Check } from './checks';
import { classifyWorkload } from './classify';
import {
  deployment,
  EXAMPLE_ACCESS_KEY_ID,
  EXAMPLE_SECRET_ACCESS_KEY,
  seedNoCredentials,
} from './__fixtures__/seed';
import { withFixArtefacts } from './fixes';
import { toWorkloadInput } from './workloads';

const known = {
  serviceAccounts: [],
  keySources: [],
  podIdentityAssociations: [],
};
const table = {
  tableArn: 'arn:aws:dynamodb:eu-west-3:123456789012:table/vote',
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
};
const classify = (object: any) =>
  classifyWorkload(toWorkloadInput(object)!, known);
const artefactsOf = (checks: Check[], id: string) =>
  checks.find(c => c.check === id)?.artefacts ?? [];

describe('withFixArtefacts', () => {
  it('gives the node-role fallback a role, its table policy and the association, with the entity’s own values', () => {
    const w = classify(seedNoCredentials);
    const [trust, policy, commands] = artefactsOf(
      withFixArtefacts(w, w.findings, { clusterName: 'vote-demo', table }),
      'node-role-fallback',
    );
    expect(JSON.parse(trust.content).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    expect(JSON.parse(policy.content).Statement[0]).toEqual({
      Effect: 'Allow',
      Action: table.actions,
      Resource: table.tableArn,
    });
    expect(commands.content.split('\n')).toEqual([
      'aws iam create-role --role-name vote-default --assume-role-policy-document file://trust-policy.json',
      'aws iam put-role-policy --role-name vote-default --policy-name vote-access --policy-document file://table-policy.json',
      'aws eks create-pod-identity-association --cluster-name vote-demo --namespace vote --service-account default --role-arn "$(aws iam get-role --role-name vote-default --query Role.Arn --output text)"',
      '# Credentials are injected when a pod starts: restart the pods.',
      `kubectl rollout restart deployment/${w.name} -n vote`,
    ]);
    expect(commands.content).not.toMatch(/<[^>]+>/);
  });

  it('on Fargate, where Pod Identity does not run, gives the IRSA route with the cluster read by the commands', () => {
    const w = { ...classify(seedNoCredentials), fargate: true };
    const artefacts = artefactsOf(
      withFixArtefacts(w, w.findings, { clusterName: 'vote-demo', table }),
      'node-role-fallback',
    );
    const [policy, commands] = artefacts;
    expect(policy.label).toBe("The table's actions (table-policy.json)");
    expect(commands.content).not.toContain('pod-identity-association');
    expect(commands.content).toContain(
      'aws eks describe-cluster --name vote-demo --query cluster.identity.oidc.issuer',
    );
    expect(commands.content).toContain(
      '"$ISSUER:sub":"system:serviceaccount:vote:default"',
    );
    expect(commands.content).toContain(
      'kubectl annotate serviceaccount default -n vote eks.amazonaws.com/role-arn="$(aws iam get-role --role-name vote-default --query Role.Arn --output text)"',
    );
    expect(commands.content).not.toMatch(/<[^>]+>/);
  });

  it('leaves out the table policy when the entity names no table', () => {
    const w = classify(seedNoCredentials);
    const artefacts = artefactsOf(
      withFixArtefacts(w, w.findings, { clusterName: 'c' }),
      'node-role-fallback',
    );
    expect(artefacts.map(a => a.language)).toEqual(['json', 'shell']);
    expect(artefacts[1].content).not.toContain('put-role-policy');
  });

  it('removes keys written in env with kubectl set env, then offers the role route; never a secret', () => {
    const w = classify(
      deployment('vote-keys', {
        containers: [
          {
            name: 'api',
            env: [
              { name: 'AWS_ACCESS_KEY_ID', value: EXAMPLE_ACCESS_KEY_ID },
              {
                name: 'AWS_SECRET_ACCESS_KEY',
                valueFrom: { secretKeyRef: { name: 'aws', key: 'secret' } },
              },
            ],
          },
        ],
      } as any),
    );
    const checks = withFixArtefacts(w, w.findings, { clusterName: 'c' });
    const [remove, ...route] = artefactsOf(checks, 'static-keys-present');
    expect(remove.content).toBe(
      'kubectl set env deployment/vote-keys -n vote -c api AWS_ACCESS_KEY_ID- AWS_SECRET_ACCESS_KEY-',
    );
    expect(route.map(a => a.label)[0]).toMatch(
      /^Trust policy for EKS Pod Identity/,
    );
    expect(JSON.stringify(checks)).not.toContain(EXAMPLE_ACCESS_KEY_ID);
    expect(JSON.stringify(checks)).not.toContain(EXAMPLE_SECRET_ACCESS_KEY);
  });

  it('adds nothing to passing, unknown or other checks', () => {
    const w = classify(seedNoCredentials);
    const unknownFallback: Check = { ...w.findings[0], status: 'unknown' };
    expect(
      withFixArtefacts(w, [unknownFallback], { clusterName: 'c' })[0].artefacts,
    ).toBeUndefined();
  });
});
