import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { writeRenderedFiles } from '../writeFiles';
import { examples } from './manifestsRender.examples';
import { renderManifests } from './renderManifests';

/** Writes every Kubernetes object of the service, and only them, as a Kustomize base. */
export function createManifestsRenderAction() {
  return createTemplateAction({
    id: 'aws-workload:manifests:render',
    description:
      "Writes the ServiceAccount (bound to the IAM role by IRSA, or left for a Pod Identity association), Deployment, Service, PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy and optional ALB Ingress of the vote service as a Kustomize base. The namespace is the infrastructure's: the deploy role may apply all of these with edit rights in it.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'The service name: a DNS-1123 label, also the backstage.io/kubernetes-id label',
            ),
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
            .describe(
              'How the pods get AWS credentials: irsa (default) or pod-identity',
            ),
        roleArn: z =>
          z
            .string()
            .describe(
              'The IAM role of the service (annotated on the ServiceAccount under IRSA)',
            ),
        imageRepository: z =>
          z
            .string()
            .describe(
              'The ECR repository URI without a tag; CI sets the tag to the commit SHA',
            ),
        imageName: z =>
          z
            .string()
            .optional()
            .describe(
              "The image's name in the manifests, which the repository's CI replaces with the ECR repository URI and the commit's tag (kustomize edit set image <imageName>=...); defaults to the service name",
            ),
        tableName: z =>
          z
            .string()
            .describe(
              'The DynamoDB table the service reads and writes (DYNAMO_TABLE)',
            ),
        region: z => z.string().describe('The AWS region (AWS_REGION)'),
        voteOptions: z =>
          z
            .array(z.string())
            .default(['up', 'down'])
            .describe('The vote options (VOTE_OPTIONS)'),
        port: z =>
          z
            .number()
            .default(3000)
            .describe('The port the service listens on (PORT)'),
        ingressHost: z =>
          z
            .string()
            .optional()
            .describe('A host name; when given, an ALB Ingress is written'),
        ingress: z =>
          z
            .boolean()
            .default(false)
            .describe('Write an ALB Ingress (also implied by ingressHost)'),
        secrets: z =>
          z
            .boolean()
            .default(false)
            .describe(
              "Mount the application secret from AWS Secrets Manager (the infrastructure's SecretProviderClass <name>-secrets) and point ADMIN_TOKEN_FILE at it",
            ),
        ingressCertificateArn: z =>
          z
            .string()
            .optional()
            .describe(
              'An ACM certificate ARN: the ALB listens on HTTPS with it and redirects HTTP',
            ),
        vpcCidr: z =>
          z
            .string()
            .default('10.0.0.0/16')
            .describe(
              "The CIDR of the cluster's VPC: with an Ingress, the NetworkPolicy admits the ALB from it (IP targets)",
            ),
        targetPath: z =>
          z
            .string()
            .default('k8s')
            .describe('Where in the workspace to write the files'),
      },
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('The files written, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      // The schema's defaults, also when the handler is called directly.
      const targetPath = input.targetPath ?? 'k8s';
      // Renders (and validates) everything in memory first: a bad value writes nothing.
      const files = renderManifests({
        name: input.name,
        namespace: input.namespace,
        serviceAccountName: input.serviceAccountName ?? input.name,
        credentials: input.credentials ?? 'irsa',
        roleArn: input.roleArn,
        imageRepository: input.imageRepository,
        imageName: input.imageName ?? input.name,
        tableName: input.tableName,
        region: input.region,
        voteOptions: input.voteOptions ?? ['up', 'down'],
        port: input.port ?? 3000,
        secrets: input.secrets ?? false,
        ingress:
          input.ingress || input.ingressHost
            ? {
                host: input.ingressHost,
                certificateArn: input.ingressCertificateArn,
                vpcCidr: input.vpcCidr ?? '10.0.0.0/16',
              }
            : undefined,
      });
      ctx.output(
        'files',
        await writeRenderedFiles(ctx.workspacePath, targetPath, files),
      );
    },
  });
}
