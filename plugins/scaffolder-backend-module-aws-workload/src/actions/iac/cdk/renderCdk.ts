import type { PolicyStatement } from '@aws-workload/plugin-aws-workload-common';
import {
  cdkStackFile,
  cdkTableId,
  codeNamesOf,
  compactPolicy,
  IacModel,
  IacPolicyDocument,
  IacRefName,
  issuerHost,
  literalRefs,
  modelArns,
  serviceNamespace,
  servicePolicies,
  splitRefs,
  validateIacModel,
} from '../model';
import {
  appSecretName,
  secretProviderClass,
} from '../../manifests/secretProviderClass';
import type { RenderedFile } from '../model';

/** A TypeScript string literal; values are validated before they get here. */
const s = (value: string) => JSON.stringify(value);

/** A reference as code (a construct's attribute) or as the text it stands for. */
type CdkRef = { code: string } | { text: string };

/** What each reference of the policies is in the stack. */
function cdkRefs(model: IacModel): Record<IacRefName, CdkRef> {
  const creating = model.cluster.mode === 'create';
  const literal = literalRefs(model);
  return {
    tableArn: { code: 'table.tableArn' },
    repositoryArn: { code: 'repository.repositoryArn' },
    secretArn: { code: 'appSecret.secretArn' },
    clusterArn: creating
      ? { code: 'cluster.clusterArn' }
      : { text: literal.clusterArn },
    // The principals are constructs; these two stand in their documents only.
    clusterOidcProviderArn: { text: literal.clusterOidcProviderArn },
    githubOidcProviderArn: { text: literal.githubOidcProviderArn },
    // A new cluster's issuer (without https://) is a token until deploy time.
    clusterOidcIssuerHost: creating
      ? { code: 'cluster.clusterOpenIdConnectIssuer' }
      : { text: literal.clusterOidcIssuerHost },
  };
}

/** A value's parts, references written as text where they stand for text. */
function cdkParts(value: string, refs: Record<IacRefName, CdkRef>) {
  return splitRefs(value).map(part =>
    'ref' in part ? refs[part.ref] : { text: part.text },
  );
}

/**
 * A TypeScript expression for a policy value: the attribute alone, a
 * template literal where attributes sit in text, a string literal else.
 */
function tsValue(value: string, refs: Record<IacRefName, CdkRef>): string {
  const parts = cdkParts(value, refs);
  if (parts.length === 1 && 'code' in parts[0]) return parts[0].code;
  if (parts.every(part => 'text' in part)) {
    return s(parts.map(part => ('text' in part ? part.text : '')).join(''));
  }
  return `\`${parts
    .map(part =>
      'code' in part
        ? `\${${part.code}}`
        : part.text.replace(/[`\\]|\$\{/g, m => `\\${m}`),
    )
    .join('')}\``;
}

/** Whether a value holds a construct's attribute: a token until deploy time. */
const holdsToken = (value: string, refs: Record<IacRefName, CdkRef>) =>
  cdkParts(value, refs).some(part => 'code' in part);

/**
 * A JSON-shaped value as a TypeScript literal, laid out as a person would
 * write it; keys with attributes are computed.
 */
function tsLiteral(
  value: unknown,
  refs: Record<IacRefName, CdkRef>,
  indent: string,
): string {
  if (typeof value === 'string') return tsValue(value, refs);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map(v => tsLiteral(v, refs, inner));
    const oneLine = `[${items.join(', ')}]`;
    return oneLine.length <= 60 && !oneLine.includes('\n')
      ? oneLine
      : `[\n${items.map(i => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, v]) => {
      const name = tsValue(key, refs);
      return `${inner}${
        holdsToken(key, refs) ? `[${name}]` : name
      }: ${tsLiteral(v, refs, inner)},`;
    },
  );
  return `{\n${entries.join('\n')}\n${indent}}`;
}

/** One of the service's IAM documents, for iam.PolicyDocument.fromJson. */
const policyJson = (
  policy: IacPolicyDocument,
  model: IacModel,
  indent = '      ',
) =>
  `iam.PolicyDocument.fromJson(${tsLiteral(
    compactPolicy(policy),
    cdkRefs(model),
    indent,
  )})`;

/** A trust document's conditions, for the principal construct that carries them. */
function trustConditions(
  policy: IacPolicyDocument,
  model: IacModel,
  id: string,
): string {
  const refs = cdkRefs(model);
  const [statement] = compactPolicy(policy).Statement as PolicyStatement[];
  const stringEquals = statement.Condition?.StringEquals ?? {};
  const literal = tsLiteral(stringEquals, refs, '        ');
  // Keys that are tokens cannot be keys of the template's JSON: CfnJson resolves them.
  return Object.keys(stringEquals).some(key => holdsToken(key, refs))
    ? `{ StringEquals: new cdk.CfnJson(this, ${s(id)}, { value: ${literal} }) }`
    : `{ StringEquals: ${literal} }`;
}

function trust(model: IacModel): string {
  if (model.credentials === 'pod-identity') {
    return `new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com'))`;
  }
  const conditions = trustConditions(
    servicePolicies(model).serviceTrust,
    model,
    'ServiceTrustConditions',
  );
  if (model.cluster.mode === 'create') {
    return `new iam.OpenIdConnectPrincipal(cluster.openIdConnectProvider, ${conditions})`;
  }
  const host = issuerHost(model.cluster.oidcIssuer);
  const provider = model.cluster.oidcProviderRegistered
    ? `iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, 'ClusterOidc', ${s(
        modelArns(model).oidcProvider(host),
      )})`
    : `new iam.OpenIdConnectProvider(this, 'ClusterOidc', { url: ${s(
        model.cluster.oidcIssuer,
      )}, clientIds: ['sts.amazonaws.com'] })`;
  return `new iam.OpenIdConnectPrincipal(${provider}, ${conditions})`;
}

function clusterBlock(model: IacModel): string {
  if (model.cluster.mode !== 'create') return '';
  const agent =
    model.credentials === 'pod-identity'
      ? `
    new eks.Addon(this, 'PodIdentityAgent', { cluster, addonName: 'eks-pod-identity-agent' });`
      : '';
  return `
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 3, natGateways: 1 });
    const cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: ${s(model.cluster.name)},
      version: eks.KubernetesVersion.of(${s(model.cluster.kubernetesVersion)}),
      vpc,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 2,
      kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(this, 'KubectlLayer') },
    });${agent}
`;
}

/**
 * The service's namespace, created with the stack: the deploy role's edit
 * rights are scoped to it and cannot create it. Manifests go through CDK's
 * kubectl provider (a Lambda function); for a cluster the stack does not
 * own, the provider's role gets an access entry to create the namespace.
 */
function namespaceBlock(model: IacModel): string {
  const namespace = serviceNamespace(model);
  const manifest = `cluster.addManifest('Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: ${JSON.stringify(namespace)},
    });`;
  if (model.cluster.mode === 'create')
    return `
    const namespace = ${manifest}
`;
  return `
    const existing = eks.Cluster.fromClusterAttributes(this, 'ExistingCluster', {
      clusterName: ${s(model.cluster.name)},
    });
    const kubectl = new eks.KubectlProvider(this, 'KubectlProvider', {
      cluster: existing,
      kubectlLayer: new KubectlV33Layer(this, 'KubectlLayer'),
    });
    const cluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: ${s(model.cluster.name)},
      kubectlProvider: kubectl,
    });
    const kubectlAccess = new eks.AccessEntry(this, 'KubectlAccess', {
      cluster,
      principal: kubectl.role!.roleArn,
      accessPolicies: [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        }),
      ],
    });
    const namespace = ${manifest}
    namespace.node.addDependency(kubectlAccess);
`;
}

/**
 * The application secret, a policy that lets the service role read only it,
 * and the SecretProviderClass that mounts it (after the namespace). With no
 * value given, Secrets Manager generates one at deploy time: it is in no
 * file of the repository and no template.
 */
function secretBlock(model: IacModel): string {
  if (!model.secret) return '';
  const { kmsKeyArn } = model.secret;
  const key = kmsKeyArn
    ? `
      encryptionKey: kms.Key.fromKeyArn(this, 'AppSecretKey', ${s(kmsKeyArn)}),`
    : '';
  const providerClass = secretProviderClass({
    service: model.name,
    namespace: model.namespace,
    region: model.region,
    credentials: model.credentials,
  });
  return `
    const appSecret = new secretsmanager.Secret(this, 'AppSecret', {
      secretName: ${s(appSecretName(model.name))},${key}
    });
    serviceRole.addManagedPolicy(
      new iam.ManagedPolicy(this, 'SecretAccess', {
        managedPolicyName: ${s(`${model.name}-secret-access`)},
        document: ${policyJson(
          servicePolicies(model).secretAccess!,
          model,
          '        ',
        )},
      }),
    );
    cluster
      .addManifest('SecretProviderClass', ${JSON.stringify(providerClass)})
      .node.addDependency(namespace);
`;
}

function stack(model: IacModel): string {
  const creating = model.cluster.mode === 'create';
  const clusterName = creating ? 'cluster.clusterName' : s(model.cluster.name);
  const policies = servicePolicies(model);
  const podIdentity =
    model.credentials === 'pod-identity'
      ? `
    new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: ${clusterName},
      namespace: ${s(model.namespace)},
      serviceAccount: ${s(model.serviceAccountName)},
      roleArn: serviceRole.roleArn,
    });
`
      : '';
  return `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';${
    model.secret
      ? `
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';`
      : ''
  }
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import type { Construct } from 'constructs';

/** The AWS resources of ${
    model.name
  }: table, repository, roles and a least-privilege policy. */
export class ${codeNamesOf(model).stackClass} extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const table = new dynamodb.Table(this, ${s(cdkTableId(model))}, {
      tableName: ${s(model.tableName)},
      partitionKey: { name: 'name', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });

    const repository = new ecr.Repository(this, 'Repository', {
      repositoryName: ${s(model.repositoryName)},
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [{ description: 'Expire untagged images after 14 days', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: cdk.Duration.days(14) }],
    });

${clusterBlock(model)}${namespaceBlock(model)}
    // Only the actions the service calls, only on its table.
    const tableAccess = new iam.ManagedPolicy(this, 'TableAccess', {
      managedPolicyName: ${s(`${model.name}-table-access`)},
      document: ${policyJson(policies.tableAccess, model)},
    });

    const serviceRole = new iam.Role(this, 'ServiceRole', {
      roleName: ${s(`${model.name}-service`)},
      assumedBy: ${trust(model)},
      managedPolicies: [tableAccess],
    });
${podIdentity}${secretBlock(model)}
    // GitHub Actions deploys with short-lived credentials, from the main branch only.
    const github = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
      this,
      'GitHub',
      ${s(modelArns(model).githubProvider)},
    );
    const deployRole = new iam.Role(this, 'DeployRole', {
      roleName: ${s(`${model.name}-deploy`)},
      assumedBy: new iam.OpenIdConnectPrincipal(github, ${trustConditions(
        policies.deployTrust,
        model,
        'DeployTrustConditions',
      )}),
      inlinePolicies: { deploy: ${policyJson(policies.deploy, model)} },
    });
    new eks.CfnAccessEntry(this, 'DeployAccess', {
      clusterName: ${clusterName},
      principalArn: deployRole.roleArn,
      accessPolicies: [
        {
          policyArn: ${s(modelArns(model).editAccessPolicy)},
          accessScope: { type: 'namespace', namespaces: [${s(
            model.namespace,
          )}] },
        },
      ],
    });

    new cdk.CfnOutput(this, 'TableArn', { value: table.tableArn });
    new cdk.CfnOutput(this, 'RepositoryUri', { value: repository.repositoryUri });
    new cdk.CfnOutput(this, 'ServiceRoleArn', { value: serviceRole.roleArn });
    new cdk.CfnOutput(this, 'DeployRoleArn', { value: deployRole.roleArn });
  }
}
`;
}

function app(model: IacModel): string {
  const { stackClass } = codeNamesOf(model);
  return `import * as cdk from 'aws-cdk-lib';
import { ${stackClass} } from '../${cdkStackFile(model)}';

const app = new cdk.App();
const stack = new ${stackClass}(app, ${s(model.name)}, {
  env: { account: ${s(model.accountId)}, region: ${s(model.region)} },
});
cdk.Tags.of(stack).add('owner', ${s(model.owner)});
cdk.Tags.of(stack).add('backstage.io/entity', ${s(model.entityRef)});
cdk.Tags.of(stack).add('app.kubernetes.io/name', ${s(model.name)});
`;
}

/** The AWS resources of the service, and optionally a VPC and EKS cluster, as an AWS CDK v2 TypeScript app (Node 24 runs it as is). */
export function renderCdk(model: IacModel): RenderedFile[] {
  validateIacModel(model);
  return [
    { path: cdkStackFile(model), content: stack(model) },
    { path: 'bin/app.ts', content: app(model) },
    {
      path: 'package.json',
      content: `${JSON.stringify(
        {
          name: `${model.name}-infra`,
          private: true,
          type: 'module',
          scripts: { synth: 'cdk synth', deploy: 'cdk deploy' },
          dependencies: {
            '@aws-cdk/lambda-layer-kubectl-v33': '^2.2.2',
            'aws-cdk-lib': '~2.270.0',
            constructs: '^10.4.0',
          },
          devDependencies: { 'aws-cdk': '^2.1000.0' },
        },
        null,
        2,
      )}\n`,
    },
    {
      path: 'cdk.json',
      content: `${JSON.stringify({ app: 'node bin/app.ts' }, null, 2)}\n`,
    },
  ];
}
