import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CREDENTIAL_MODES } from '@aws-workload/plugin-aws-workload-common';
import { CallerEntityReads } from '../lib/CallerEntityReads';
import { EntityViewService } from '../views/EntityViewService';
import { entityPostureOf } from './entityPosture';
import { examples } from './getEntityAwsPosture.examples';

function entityRefOf(given: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(given.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `entityRef must look like kind:namespace/name (for example component:default/vote); ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * `aws-workload:get-entity-aws-posture`: the entity page's answer for one
 * entity, read with the caller's own catalog access.
 */
export function registerGetEntityAwsPostureAction(options: {
  actionsRegistry: ActionsRegistryService;
  entities: CallerEntityReads;
  entityView: EntityViewService;
}) {
  const { actionsRegistry, entities, entityView } = options;
  actionsRegistry.register({
    name: 'get-entity-aws-posture',
    title: 'Get the AWS posture of a catalog entity',
    description: `How the pods of one catalog entity get AWS credentials (IRSA, EKS Pod Identity, static keys or the node's role), which links of that credential chain are broken with the fix for each, the state of its DynamoDB table and its newest and running ECR images.
The entity is read with the caller's catalog access: an entity the caller cannot see is reported as not found.
A section whose annotation is missing says which annotation; a section that could not be read says why.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(300)
            .describe(
              'The entity, as kind:namespace/name (for example component:default/vote). A bare name means a Component in the default namespace.',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity read, in full form.'),
          modes: z
            .array(z.enum(CREDENTIAL_MODES as [string, ...string[]]))
            .describe('The credential modes of its workloads, each once.'),
          workloads: z
            .array(
              z.object({
                cluster: z.string(),
                namespace: z.string(),
                kind: z.string(),
                name: z.string(),
                mode: z.string().describe('How its pods get AWS credentials.'),
                serviceAccount: z.string(),
                roleArn: z.string().optional(),
                problems: z
                  .array(
                    z.object({
                      check: z.string().describe('The check id.'),
                      status: z.enum(['fail', 'warn', 'unknown']),
                      message: z.string(),
                      fix: z.string().describe('What to change; one line.'),
                    }),
                  )
                  .describe('Checks that fail, warn or could not run.'),
              }),
            )
            .describe('Its workloads on the configured clusters.'),
          table: z
            .record(z.unknown())
            .describe(
              'Its DynamoDB table: status ok with name, tableStatus and region; absent with the annotation; or error with a message.',
            ),
          images: z
            .record(z.unknown())
            .describe(
              'Its ECR images: status ok with the newest and the running ones (critical and high findings where scanned); absent; or error.',
            ),
          workloadsSection: z
            .record(z.unknown())
            .describe(
              'Whether its workloads could be read: ok, absent or error.',
            ),
          demo: z
            .literal(true)
            .optional()
            .describe('The portal runs on the demo feature\'s data.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = entityRefOf(input.entityRef);
      const entity = await entities.getEntityByRef(ref, credentials);
      if (!entity) throw new NotFoundError(`No entity ${ref}`);
      const view = await entityView.getRecentEntityView(entity);
      return { output: entityPostureOf(view) };
    },
  });
}
