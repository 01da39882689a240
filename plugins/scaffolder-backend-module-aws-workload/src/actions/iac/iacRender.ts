import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { writeRenderedFiles } from '../writeFiles';
import { examples } from './iacRender.examples';
import { IacModel, modelArns } from './model';
import { renderAck } from './ack/renderAck';
import { renderCdk } from './cdk/renderCdk';
import { formatTerraform, renderTerraform } from './terraform/renderTerraform';

/** Renders the AWS side of one service (table, repository, roles, policies) as infrastructure as code. */
export function createIacRenderAction() {
  return createTemplateAction({
    id: 'aws-workload:iac:render',
    description:
      "Writes the AWS resources of a service as Terraform, an AWS CDK app or ACK custom resources: a DynamoDB table, an ECR repository, a least-privilege policy and the service role bound by IRSA or Pod Identity, the cluster's IAM OIDC provider for IRSA where it is not registered yet, the GitHub Actions deploy role, and (Terraform or CDK) optionally a new VPC and EKS cluster.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        flavour: z =>
          z
            .enum(['terraform', 'cdk', 'ack'])
            .default('terraform')
            .describe(
              'The IaC flavour: terraform, cdk (an AWS CDK v2 TypeScript app) or ack (AWS Controllers for Kubernetes; an existing cluster only)',
            ),
        name: z =>
          z
            .string()
            .describe(
              'The service name (a DNS-1123 label); names the roles and policy',
            ),
        owner: z =>
          z.string().describe('The catalog owner, tagged on every resource'),
        entityRef: z =>
          z
            .string()
            .describe(
              'The catalog entity ref of the service, tagged on every resource',
            ),
        awsAccountId: z => z.string().describe('The 12-digit AWS account id'),
        awsRegion: z => z.string().describe('The AWS region code'),
        tableName: z =>
          z
            .string()
            .optional()
            .describe('The DynamoDB table name; defaults to the service name'),
        repositoryName: z =>
          z
            .string()
            .optional()
            .describe('The ECR repository name; defaults to the service name'),
        namespace: z =>
          z.string().describe('The Kubernetes namespace of the service'),
        serviceAccountName: z =>
          z
            .string()
            .optional()
            .describe('The ServiceAccount; defaults to the service name'),
        credentials: z =>
          z
            .enum(['irsa', 'pod-identity'])
            .default('irsa')
            .describe('How pods get credentials: irsa or pod-identity'),
        tableActions: z =>
          z
            .array(z.string())
            .min(1)
            .describe(
              'The DynamoDB actions the service calls, and nothing more: its table policy grants exactly these (the vote service: dynamodb:BatchGetItem for the counts, dynamodb:UpdateItem to vote)',
            ),
        tableResourceName: z =>
          z
            .string()
            .optional()
            .describe(
              'What the code calls the table: the Terraform resource label (aws_dynamodb_table.<label>) and, in PascalCase, the CDK construct id; lowercase letters, digits and underscores; defaults to table. Renaming it on a deployed stack replaces the table',
            ),
        stackClassName: z =>
          z
            .string()
            .optional()
            .describe(
              "The CDK stack's class (its file is lib/<class in kebab-case>.ts); letters and digits, starting uppercase; defaults to ServiceStack",
            ),
        clusterName: z =>
          z
            .string()
            .describe(
              'The EKS name of the existing cluster, or of the cluster to create',
            ),
        createCluster: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Create a new VPC and EKS cluster (terraform: terraform-aws-modules; cdk: aws-eks-v2); not with ack',
            ),
        kubernetesVersion: z =>
          z
            .string()
            .default('1.33')
            .describe('The Kubernetes version of a new cluster'),
        oidcIssuer: z =>
          z
            .string()
            .optional()
            .describe(
              "The existing cluster's OIDC issuer URL (aws:eks:describe-cluster)",
            ),
        oidcProviderRegistered: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Whether that issuer is known to be registered in IAM (aws:eks:describe-cluster); when false or unknown, every flavour creates the provider (ACK adopts an existing one and never deletes it)',
            ),
        githubOwner: z =>
          z.string().describe('The GitHub owner of the new repository'),
        githubRepo: z =>
          z
            .string()
            .describe(
              'The GitHub name of the new repository; only its main branch may deploy',
            ),
        secrets: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'An application secret in AWS Secrets Manager (<name>-app), readable by the service role only, and the SecretProviderClass that mounts it through the Secrets Store CSI driver',
            ),
        secretKmsKeyArn: z =>
          z
            .string()
            .optional()
            .describe(
              'A customer-managed KMS key for the secret; the service role may then decrypt with it, through Secrets Manager only',
            ),
        ingress: z =>
          z
            .boolean()
            .default(false)
            .describe(
              "The service sits behind an ALB: the namespace gets the AWS Load Balancer Controller's readiness-gate label",
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Where to write; defaults to infra/<flavour>'),
      },
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('The files written, relative to the workspace'),
        serviceRoleArn: z =>
          z
            .string()
            .describe(
              "The service role's ARN, in the region's partition: what the ServiceAccount names under IRSA",
            ),
        deployRoleArn: z =>
          z
            .string()
            .describe(
              "The deploy role's ARN, which the repository's CI assumes",
            ),
        tableName: z => z.string().describe('The DynamoDB table name'),
        tableArn: z => z.string().describe("The DynamoDB table's ARN"),
        repositoryArn: z => z.string().describe("The ECR repository's ARN"),
        repositoryUri: z =>
          z
            .string()
            .describe(
              'The ECR repository URI without a tag, on the DNS suffix of the partition',
            ),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const name = input.name;
      const model: IacModel = {
        name,
        owner: input.owner,
        entityRef: input.entityRef,
        accountId: input.awsAccountId,
        region: input.awsRegion,
        tableName: input.tableName ?? name,
        repositoryName: input.repositoryName ?? name,
        namespace: input.namespace,
        serviceAccountName: input.serviceAccountName ?? name,
        credentials: input.credentials ?? 'irsa',
        // Missing, it fails validation with the rule it breaks.
        tableActions: input.tableActions ?? [],
        cluster: input.createCluster
          ? {
              mode: 'create',
              name: input.clusterName,
              kubernetesVersion: input.kubernetesVersion ?? '1.33',
            }
          : {
              mode: 'existing',
              name: input.clusterName,
              oidcIssuer: input.oidcIssuer ?? '',
              oidcProviderRegistered: input.oidcProviderRegistered ?? false,
            },
        github: { owner: input.githubOwner, repo: input.githubRepo },
        ingress: input.ingress ?? false,
        secret: input.secrets
          ? { kmsKeyArn: input.secretKmsKeyArn }
          : undefined,
        codeNames: {
          table: input.tableResourceName,
          stackClass: input.stackClassName,
        },
      };
      // Rendered and validated in memory first: a bad value writes nothing.
      const flavour = input.flavour ?? 'terraform';
      const renderers = {
        terraform: renderTerraform,
        cdk: renderCdk,
        ack: renderAck,
      };
      const rendered = renderers[flavour](model);
      const files =
        flavour === 'terraform' ? await formatTerraform(rendered) : rendered;
      const targetPath = input.targetPath ?? `infra/${flavour}`;
      ctx.output(
        'files',
        await writeRenderedFiles(ctx.workspacePath, targetPath, files),
      );
      const arns = modelArns(model);
      ctx.output('serviceRoleArn', arns.serviceRole);
      ctx.output('deployRoleArn', arns.deployRole);
      ctx.output('tableName', model.tableName);
      ctx.output('tableArn', arns.table);
      ctx.output('repositoryArn', arns.repository);
      ctx.output('repositoryUri', arns.repositoryUri);
    },
  });
}
