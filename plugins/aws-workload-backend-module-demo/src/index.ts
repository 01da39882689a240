/**
 * The aws-workload plugin on demo data, with no AWS account and no cluster:
 * one `backend.add(import('@aws-workload/plugin-aws-workload-backend-module-demo'))`
 * in a development backend. Refuses to run with `NODE_ENV=production`.
 *
 * @packageDocumentation
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { catalogModuleAwsWorkloadDemoEntities } from './catalogModule';
import { awsWorkloadModuleDemoUpstreams } from './module';
import { refuseProduction } from './refuseProduction';

/**
 * The demo's upstreams for the aws-workload plugin and its entities for the
 * catalog.
 *
 * @public
 */
export default createBackendFeatureLoader({
  *loader() {
    refuseProduction();
    yield awsWorkloadModuleDemoUpstreams;
    yield catalogModuleAwsWorkloadDemoEntities;
  },
});

export { awsWorkloadModuleDemoUpstreams } from './module';
export { catalogModuleAwsWorkloadDemoEntities } from './catalogModule';
