import { createBackend } from '@backstage/backend-defaults';
import awsWorkloadDemo from '@aws-workload/plugin-aws-workload-backend-module-demo';
import { portalFeatures } from './features';

const backend = createBackend();
for (const feature of portalFeatures()) {
  backend.add(feature);
}
// `yarn start` runs on demo data: the demo's own backend feature, as any
// development portal adds it (it refuses NODE_ENV=production itself).
// AWS_WORKLOAD_DEMO=off reads the accounts and clusters of app-config instead.
if (
  process.env.NODE_ENV !== 'production' &&
  process.env.AWS_WORKLOAD_DEMO !== 'off'
) {
  backend.add(awsWorkloadDemo);
}
backend.start();
