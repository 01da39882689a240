import {
  FleetEntry,
  FleetResponse,
  FLEET_MAX_LIMIT,
} from '@aws-workload/plugin-aws-workload-common';
import {
  FactRetriever,
  FactRetrieverContext,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import { ResponseError } from '@backstage/errors';
import {
  POSTURE_FACTS_VERSION,
  postureFactsOf,
  postureFactsSchema,
} from './postureFacts';

/**
 * The retriever's id: its facts' key, and its key under `techInsights.factRetrievers`.
 *
 * @public
 */
export const AWS_WORKLOAD_POSTURE_RETRIEVER_ID = 'awsWorkloadPostureRetriever';

/** Pages of the stored fleet, read with the module's own service token. */
async function* storedFleet(
  ctx: FactRetrieverContext,
): AsyncGenerator<FleetEntry> {
  const baseUrl = await ctx.discovery.getBaseUrl('aws-workload');
  const { token } = await ctx.auth.getPluginRequestToken({
    onBehalfOf: await ctx.auth.getOwnServiceCredentials(),
    targetPluginId: 'aws-workload',
  });
  for (let offset = 0; ; offset += FLEET_MAX_LIMIT) {
    const response = await fetch(
      `${baseUrl}/fleet?sort=name&limit=${FLEET_MAX_LIMIT}&offset=${offset}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const page = (await response.json()) as FleetResponse;
    yield* page.items;
    if (
      page.items.length === 0 ||
      offset + page.items.length >= page.totalItems
    ) {
      return;
    }
  }
}

/**
 * Tech Insights facts of each entity's AWS credential posture. It runs in
 * the tech-insights plugin and reads what the aws-workload plugin's
 * background refresh stored (`GET /api/aws-workload/fleet`): no second
 * sweep of AWS or the clusters.
 *
 * @public
 */
export const awsWorkloadPostureRetriever: FactRetriever = {
  id: AWS_WORKLOAD_POSTURE_RETRIEVER_ID,
  version: POSTURE_FACTS_VERSION,
  title: 'AWS credential posture',
  description:
    'How the pods of each entity get AWS credentials, whether the credential chain holds, its DynamoDB table and ECR images, from the aws-workload fleet',
  schema: postureFactsSchema,
  async handler(ctx) {
    const now = new Date();
    const facts: TechInsightFact[] = [];
    let stale = 0;
    for await (const entry of storedFleet(ctx)) {
      const entityFacts = postureFactsOf(entry, now);
      if (entityFacts.stale) stale += 1;
      facts.push({
        entity: {
          kind: entry.kind,
          namespace: entry.namespace,
          name: entry.name,
        },
        facts: entityFacts,
      });
    }
    ctx.logger.info(
      `Read the AWS posture of ${facts.length} entities from the aws-workload fleet (${stale} stale)`,
    );
    return facts;
  },
};
