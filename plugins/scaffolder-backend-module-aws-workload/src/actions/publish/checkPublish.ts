import {
  publishTargetOf,
  repoUrlHost,
} from '@aws-workload/plugin-aws-workload-common';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './checkPublish.examples';

/**
 * Tells the later steps whether the portal can publish to the chosen host,
 * so that a portal without the integration hands the files over instead of
 * failing at the publish step with nothing to show. The wizard's review step
 * says the same before Create (the AwsWorkloadPublishTarget field).
 */
export function createPublishCheckAction(options: { config: Config }) {
  const integrations = ScmIntegrations.fromConfig(options.config);
  return createTemplateAction({
    id: 'aws-workload:publish:check',
    description:
      "Says whether the portal's integrations can create a repository at a RepoUrlPicker location (a GitHub token or App for its host), and why not in words.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'The RepoUrlPicker value, such as github.com?owner=acme&repo=vote',
            ),
      },
      output: {
        host: z => z.string().describe('The host of the repository'),
        canPublish: z =>
          z
            .boolean()
            .describe('Whether the portal has credentials to publish there'),
        reason: z =>
          z
            .string()
            .describe(
              'In words: how it publishes, or why it cannot and what to do',
            ),
      },
    },
    async handler(ctx) {
      const host = repoUrlHost(ctx.input.repoUrl);
      if (!host) {
        throw new InputError(
          `repoUrl must look like github.com?owner=<owner>&repo=<repo>; got ${JSON.stringify(
            ctx.input.repoUrl.slice(0, 100),
          )}`,
        );
      }
      const target = publishTargetOf(integrations, host);
      if (!target.canPublish) ctx.logger.warn(target.reason);
      ctx.output('host', target.host);
      ctx.output('canPublish', target.canPublish);
      ctx.output('reason', target.reason);
    },
  });
}
