import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createIacRenderAction } from '../iacRender';
import { examples } from '../iacRender.examples';
import {
  cdkStackFile,
  codeNamesOf,
  compactPolicy,
  IacModel,
  servicePolicies,
} from '../model';
import { renderCdk } from './renderCdk';

const input = yaml.parse(examples[0].example).steps[0].input;
const ISSUER_HOST =
  'oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B';

function model(overrides: Partial<IacModel> = {}): IacModel {
  return {
    name: 'vote',
    owner: input.owner,
    entityRef: input.entityRef,
    accountId: input.awsAccountId,
    region: input.awsRegion,
    tableName: 'vote',
    repositoryName: 'vote',
    namespace: 'vote',
    serviceAccountName: 'vote',
    credentials: 'irsa',
    tableActions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    cluster: {
      mode: 'existing',
      name: 'vote-demo',
      oidcIssuer: input.oidcIssuer,
      oidcProviderRegistered: true,
    },
    github: { owner: 'acme', repo: 'vote' },
    ...overrides,
  };
}

/** Writes the generated app where it resolves aws-cdk-lib, loads its stack and synthesizes it. */
function synth(m: IacModel): Template {
  const dir = path.resolve(
    __dirname,
    '../../../../.cdk-synth-test',
    randomBytes(4).toString('hex'),
  );
  try {
    for (const file of renderCdk(m)) {
      fs.mkdirSync(path.dirname(path.join(dir, file.path)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(dir, file.path), file.content);
    }
    const Stack = require(path.join(dir, cdkStackFile(m)))[
      codeNamesOf(m).stackClass
    ];
    const app = new cdk.App();
    const stack = new Stack(app, m.name, {
      env: { account: m.accountId, region: m.region },
    });
    return Template.fromStack(stack);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('aws-workload:iac:render (cdk)', () => {
  it('synthesizes the table, the immutable scanned repository and a least-privilege policy', () => {
    const template = synth(model());
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'vote',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
    });
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'vote',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      LifecyclePolicy: Match.objectLike({
        LifecyclePolicyText: Match.stringLikeRegexp('untagged'),
      }),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
            Effect: 'Allow',
            Resource: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'],
            },
          },
        ],
      },
    });
  });

  it('trusts the cluster OIDC provider for exactly the ServiceAccount under IRSA', () => {
    const template = synth(model());
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'vote-service',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: {
              Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST}`,
            },
            Condition: {
              StringEquals: {
                [`${ISSUER_HOST}:sub`]: 'system:serviceaccount:vote:vote',
                [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com',
              },
            },
          },
        ],
      },
    });
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
  });

  it('creates the OIDC provider when it is not registered', () => {
    const template = synth(
      model({
        cluster: { ...(model().cluster as any), oidcProviderRegistered: false },
      }),
    );
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 1);
  });

  it('trusts pods.eks.amazonaws.com and associates the ServiceAccount under Pod Identity', () => {
    const template = synth(model({ credentials: 'pod-identity' }));
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'vote-service',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'vote-demo',
      Namespace: 'vote',
      ServiceAccount: 'vote',
    });
  });

  it("gives the deploy role the model's deploy policy, the same actions as the other flavours", () => {
    const template = synth(model());
    const [deployRole] = Object.values(
      template.findResources('AWS::IAM::Role', {
        Properties: { RoleName: 'vote-deploy' },
      }),
    ) as any[];
    const [inline] = deployRole.Properties.Policies;
    expect(inline.PolicyName).toBe('deploy');
    const actionsBySid = (statements: any[]) =>
      Object.fromEntries(statements.map(st => [st.Sid, st.Action]));
    expect(actionsBySid(inline.PolicyDocument.Statement)).toEqual(
      actionsBySid(
        compactPolicy(servicePolicies(model()).deploy).Statement as any[],
      ),
    );
    expect(inline.PolicyDocument.Statement[2].Resource).toBe(
      'arn:aws:eks:eu-west-3:123456789012:cluster/vote-demo',
    );
  });

  it('lets only the main branch deploy, into the namespace only', () => {
    const template = synth(model());
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'vote-deploy',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub':
                  'repo:acme/vote:ref:refs/heads/main',
              },
            },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'vote-demo',
      AccessPolicies: [
        {
          AccessScope: { Type: 'namespace', Namespaces: ['vote'] },
          PolicyArn: Match.stringLikeRegexp('AmazonEKSEditPolicy'),
        },
      ],
    });
  });

  it('creates a VPC and an EKS cluster, with the Pod Identity Agent under Pod Identity', () => {
    const template = synth(
      model({
        credentials: 'pod-identity',
        cluster: {
          mode: 'create',
          name: 'vote-cluster',
          kubernetesVersion: '1.33',
        },
      }),
    );
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'vote-cluster',
      Version: '1.33',
    });
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'eks-pod-identity-agent',
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: Match.anyValue() },
    });
  });

  it("trusts a new cluster's own OIDC provider under IRSA", () => {
    const template = synth(
      model({
        cluster: {
          mode: 'create',
          name: 'vote-cluster',
          kubernetesVersion: '1.33',
        },
      }),
    );
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'vote-service',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: Match.anyValue() },
          }),
        ],
      },
    });
    template.resourceCountIs('AWS::EKS::Addon', 0);
  });
});

describe('aws-workload:iac:render action (cdk)', () => {
  it('names the stack and the table as the template says, ServiceStack and Table without names', async () => {
    const named = model({
      codeNames: { table: 'vote_table', stackClass: 'VoteStack' },
    });
    expect(cdkStackFile(named)).toBe('lib/vote-stack.ts');
    const files = renderCdk(named);
    expect(files.find(f => f.path === 'bin/app.ts')!.content).toContain(
      "import { VoteStack } from '../lib/vote-stack.ts';",
    );
    const template = synth(named);
    const [tableId] = Object.keys(
      template.findResources('AWS::DynamoDB::Table'),
    );
    expect(tableId).toMatch(/^VoteTable[0-9A-F]{8}$/);

    const plain = model();
    expect(cdkStackFile(plain)).toBe('lib/service-stack.ts');
    expect(
      Object.keys(synth(plain).findResources('AWS::DynamoDB::Table'))[0],
    ).toMatch(/^Table[0-9A-F]{8}$/);
  });

  it('writes the CDK app with its subdirectories', async () => {
    const workspace = createMockDirectory();
    const ctx = createMockActionContext({
      input: { ...input, flavour: 'cdk' },
      workspacePath: workspace.path,
    });
    await createIacRenderAction().handler(ctx as any);
    for (const file of [
      'infra/cdk/bin/app.ts',
      'infra/cdk/lib/vote-service-stack.ts',
      'infra/cdk/cdk.json',
    ]) {
      expect(fs.existsSync(path.join(workspace.path, file))).toBe(true);
    }
  });
});
