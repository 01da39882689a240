import { createBackendModule } from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import {
  AWS_WORKLOAD_POSTURE_RETRIEVER_ID,
  awsWorkloadPostureRetriever,
} from './awsWorkloadPostureRetriever';

/**
 * Adds the AWS posture fact retriever to the tech-insights plugin. It runs
 * on the schedule of `techInsights.factRetrievers.awsWorkloadPostureRetriever`.
 *
 * @public
 */
export const techInsightsModuleAwsWorkloadPosture = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'aws-workload-posture',
  register(env) {
    env.registerInit({
      deps: { retrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ retrievers }) {
        retrievers.addFactRetrievers({
          [AWS_WORKLOAD_POSTURE_RETRIEVER_ID]: awsWorkloadPostureRetriever,
        });
      },
    });
  },
});
