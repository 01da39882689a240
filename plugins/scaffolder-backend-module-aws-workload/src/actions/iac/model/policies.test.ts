import { parse } from '@cdktf/hcl2json';
import yaml from 'yaml';
import { IacModel } from './model';
import {
  compactPolicy,
  iacRef,
  literalRefs,
  resolveRefs,
  servicePolicies,
  splitRefs,
} from './policies';
import { renderAck } from '../ack/renderAck';
import { renderTerraform } from '../terraform/renderTerraform';

const ISSUER =
  'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';

function model(overrides: Partial<IacModel> = {}): IacModel {
  return {
    name: 'vote',
    owner: 'group:default/team',
    entityRef: 'component:default/vote',
    accountId: '123456789012',
    region: 'cn-north-1',
    tableName: 'votes-table',
    repositoryName: 'vote-images',
    namespace: 'vote',
    serviceAccountName: 'vote-sa',
    credentials: 'irsa',
    tableActions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    cluster: {
      mode: 'existing',
      name: 'prod',
      oidcIssuer: ISSUER,
      oidcProviderRegistered: true,
    },
    github: { owner: 'acme', repo: 'vote' },
    secret: {},
    ...overrides,
  };
}

describe('the service policies, built once', () => {
  it('splits text from references, and resolves them in keys and values', () => {
    expect(splitRefs(`${iacRef('clusterOidcIssuerHost')}:sub`)).toEqual([
      { ref: 'clusterOidcIssuerHost' },
      { text: ':sub' },
    ]);
    const trust = resolveRefs(
      servicePolicies(model()).serviceTrust,
      ref => `<${ref}>`,
    );
    expect(trust.Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Federated: ['<clusterOidcProviderArn>'] },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: {
        StringEquals: {
          '<clusterOidcIssuerHost>:sub': ['system:serviceaccount:vote:vote-sa'],
          '<clusterOidcIssuerHost>:aud': ['sts.amazonaws.com'],
        },
      },
    });
  });

  it('writes a single value as IAM does, a string, and keeps lists of several', () => {
    const compact = compactPolicy(servicePolicies(model()).deploy);
    expect(compact.Statement).toEqual([
      expect.objectContaining({
        Sid: 'EcrLogin',
        Action: 'ecr:GetAuthorizationToken',
        Resource: '*',
      }),
      expect.objectContaining({
        Sid: 'PushThisRepository',
        Action: expect.arrayContaining(['ecr:PutImage']),
      }),
      expect.objectContaining({
        Sid: 'FindTheCluster',
        Action: 'eks:DescribeCluster',
      }),
    ]);
  });

  it('names the literal ARNs in the partition of the region', () => {
    expect(literalRefs(model())).toEqual({
      tableArn: 'arn:aws-cn:dynamodb:cn-north-1:123456789012:table/votes-table',
      repositoryArn:
        'arn:aws-cn:ecr:cn-north-1:123456789012:repository/vote-images',
      secretArn:
        'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:vote-app-??????',
      clusterArn: 'arn:aws-cn:eks:cn-north-1:123456789012:cluster/prod',
      clusterOidcProviderArn: `arn:aws-cn:iam::123456789012:oidc-provider/${ISSUER.slice(
        8,
      )}`,
      clusterOidcIssuerHost: ISSUER.slice(8),
      githubOidcProviderArn:
        'arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
  });
});

describe('every flavour writes the same documents', () => {
  const policies = servicePolicies(model());
  const literal = literalRefs(model());
  const expected = (name: keyof typeof policies) =>
    compactPolicy(resolveRefs(policies[name]!, ref => literal[ref]));

  it('ACK: each document is the model with its ARNs written out', () => {
    const files = Object.fromEntries(
      renderAck(model()).map(f => [f.path, yaml.parse(f.content)]),
    );
    const doc = (text: string) => JSON.parse(text);
    expect(doc(files['policy.yaml'].spec.policyDocument)).toEqual(
      expected('tableAccess'),
    );
    expect(doc(files['role.yaml'].spec.assumeRolePolicyDocument)).toEqual(
      expected('serviceTrust'),
    );
    expect(
      doc(files['deploy-role.yaml'].spec.assumeRolePolicyDocument),
    ).toEqual(expected('deployTrust'));
    expect(doc(files['deploy-role.yaml'].spec.inlinePolicies.deploy)).toEqual(
      expected('deploy'),
    );
    expect(doc(files['secret-policy.yaml'].spec.policyDocument)).toEqual(
      expected('secretAccess'),
    );
  });

  it('Terraform: each aws_iam_policy_document holds the model, references to its resources', async () => {
    const data: Record<string, any> = {};
    for (const file of renderTerraform(model())) {
      if (!file.path.endsWith('.tf')) continue;
      const parsed: any = await parse(file.path, file.content);
      Object.assign(data, parsed.data?.aws_iam_policy_document ?? {});
    }
    /** The block back in IAM's JSON, the way the provider writes it. */
    const asJson = (block: any) => ({
      Version: '2012-10-17',
      Statement: block[0].statement.map((st: any) => ({
        ...(st.sid ? { Sid: st.sid } : {}),
        Effect: st.effect,
        Action: st.actions,
        ...(st.resources ? { Resource: st.resources } : {}),
        ...(st.principals
          ? {
              Principal: Object.fromEntries(
                st.principals.map((p: any) => [p.type, p.identifiers]),
              ),
            }
          : {}),
        ...(st.condition
          ? {
              Condition: {
                StringEquals: Object.fromEntries(
                  st.condition.map((c: any) => [c.variable, c.values]),
                ),
              },
            }
          : {}),
      })),
    });
    const refs = {
      tableArn: '${aws_dynamodb_table.table.arn}',
      repositoryArn: '${aws_ecr_repository.service.arn}',
      secretArn: '${aws_secretsmanager_secret.app.arn}',
      clusterArn: `\${join("", ["${literal.clusterArn.replace(
        /prod$/,
        '',
      )}", local.cluster_name])}`,
      clusterOidcProviderArn: '${local.oidc_provider_arn}',
      clusterOidcIssuerHost: '${local.oidc_issuer_host}',
      githubOidcProviderArn:
        '${data.aws_iam_openid_connect_provider.github.arn}',
    } as const;
    for (const [block, name] of [
      ['table_access', 'tableAccess'],
      ['service_trust', 'serviceTrust'],
      ['deploy_trust', 'deployTrust'],
      ['deploy', 'deploy'],
      ['secret_access', 'secretAccess'],
    ] as const) {
      expect(asJson(data[block])).toEqual(
        resolveRefs(policies[name]!, ref => refs[ref]),
      );
    }
  });
});
