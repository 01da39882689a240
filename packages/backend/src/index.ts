import { createBackend } from '@backstage/backend-defaults';
import { exportDemoConfig, startDemo } from './demo/startDemo';
import { portalFeatures } from './features';

async function main() {
  // `yarn start` runs on demo data (src/demo/startDemo.ts); never in production.
  if (
    process.env.NODE_ENV === 'development' &&
    process.env.AWS_WORKLOAD_DEMO !== 'off'
  ) {
    const demo = await startDemo();
    exportDemoConfig(demo.config);
  }
  const backend = createBackend();
  for (const feature of portalFeatures()) {
    backend.add(feature);
  }
  await backend.start();
}

main().catch(error => {
  process.stderr.write(`backend failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
});
