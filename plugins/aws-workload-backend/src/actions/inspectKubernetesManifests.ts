import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { inspectManifestText, UnreadableInputError } from '@aws-workload/cli';
import { examples } from './inspectKubernetesManifests.examples';

/** Larger texts belong in CI, where `aws-workload inspect` reads files. */
const MAX_MANIFEST_CHARACTERS = 512 * 1024;

/**
 * `aws-workload:inspect-kubernetes-manifests`: the offline inspector of
 * `aws-workload inspect` on a text. It calls nothing upstream.
 */
export function registerInspectKubernetesManifestsAction(options: {
  actionsRegistry: ActionsRegistryService;
}) {
  options.actionsRegistry.register({
    name: 'inspect-kubernetes-manifests',
    title: 'Inspect Kubernetes manifests for how pods get AWS credentials',
    description: `Classifies, without calling AWS or a cluster, how each workload in a text of manifests gets AWS credentials: IRSA, EKS Pod Identity, static keys, a credential process or the node's role, with the checks that need no AWS call (the same classifier as the entity page and the aws-workload inspect CI gate).
Reads Kubernetes YAML or JSON (several documents, List objects, operators' and Rollouts' pod templates), eksctl ClusterConfig and synthesized CloudFormation; Terraform when format is terraform. A reference to an object that is not in the text is reported as unknown, never as absent.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples,
    schema: {
      input: z =>
        z.object({
          manifests: z
            .string()
            .min(1)
            .max(MAX_MANIFEST_CHARACTERS)
            .describe(
              'The text: YAML or JSON documents (for example the output of kustomize build or helm template), or Terraform.',
            ),
          format: z
            .enum(['yaml', 'terraform'])
            .optional()
            .describe('terraform for HCL; yaml (the default) covers JSON too.'),
          namespace: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
            .optional()
            .describe(
              'The namespace of objects that name none, as kubectl apply -n would set it.',
            ),
          allOnFargate: z
            .boolean()
            .optional()
            .describe(
              'Every pod runs on Fargate (no node role to fall back to).',
            ),
        }),
      output: z =>
        z.object({
          workloads: z
            .array(
              z.object({
                kind: z.string(),
                namespace: z.string(),
                name: z.string(),
                line: z.number().optional().describe('Line in the text.'),
                mode: z.string().describe('How its pods get AWS credentials.'),
                serviceAccount: z.string(),
                roleArn: z.string().optional(),
                roleReference: z
                  .string()
                  .optional()
                  .describe(
                    'The expression that names a role known only once applied.',
                  ),
                findings: z
                  .array(
                    z.object({
                      check: z.string(),
                      status: z.string(),
                      message: z.string(),
                      fix: z.string(),
                    }),
                  )
                  .describe('What the classifier found, with fixes.'),
                skippedChecks: z
                  .array(z.string())
                  .describe('Checks of the chain that need AWS to run.'),
              }),
            )
            .describe('Every object with a pod spec.'),
          skipped: z
            .array(
              z.object({
                reason: z.string(),
                kind: z.string().optional(),
                name: z.string().optional(),
              }),
            )
            .describe('What was read but not classified, and why.'),
          notes: z.array(z.string()),
        }),
    },
    action: async ({ input }) => {
      const file = input.format === 'terraform' ? 'input.tf' : 'input.yaml';
      try {
        const inspection = await inspectManifestText({
          text: input.manifests,
          file,
          namespace: input.namespace,
          allOnFargate: input.allOnFargate,
        });
        return {
          output: {
            workloads: inspection.workloads.map(w => ({
              kind: w.kind,
              namespace: w.namespace,
              name: w.name,
              ...(w.line !== undefined ? { line: w.line } : {}),
              mode: w.mode,
              serviceAccount: w.serviceAccount,
              ...(w.roleArn ? { roleArn: w.roleArn } : {}),
              ...(w.roleReference ? { roleReference: w.roleReference } : {}),
              findings: w.findings.map(f => ({
                check: f.check,
                status: f.status,
                message: f.message,
                fix: f.fix,
              })),
              skippedChecks: w.skippedChecks,
            })),
            skipped: inspection.skipped.map(s => ({
              reason: s.reason,
              ...(s.kind ? { kind: s.kind } : {}),
              ...(s.name ? { name: s.name } : {}),
            })),
            notes: inspection.notes,
          },
        };
      } catch (error) {
        if (error instanceof UnreadableInputError) {
          throw new InputError(`manifests: ${error.reason}`);
        }
        throw error;
      }
    },
  });
}
