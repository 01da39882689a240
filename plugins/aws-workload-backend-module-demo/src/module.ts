import { awsWorkloadUpstreamsExtensionPoint } from '@aws-workload/plugin-aws-workload-node';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { refuseProduction } from './refuseProduction';
import { seedDemoHistory } from './demoHistory';
import { startDemo } from './startDemo';

/**
 * Hands the aws-workload plugin the demo's upstreams: dynalite and the
 * fake-upstream kit's AWS account and Kubernetes API server over the demo's
 * objects, on loopback ports, with dummy credentials.
 *
 * @public
 */
export const awsWorkloadModuleDemoUpstreams = createBackendModule({
  pluginId: 'aws-workload',
  moduleId: 'demo-upstreams',
  register(env) {
    env.registerInit({
      deps: {
        upstreams: awsWorkloadUpstreamsExtensionPoint,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        database: coreServices.database,
      },
      async init({ upstreams, lifecycle, logger, database }) {
        refuseProduction();
        const demo = await startDemo();
        upstreams.setUpstreams(demo.upstreams);
        lifecycle.addShutdownHook(() => demo.stop());
        // After the plugin's migrations: four weeks of history for the trend.
        lifecycle.addStartupHook(async () => {
          if (await seedDemoHistory(await database.getClient(), new Date())) {
            logger.info('Seeded the demo fleet history of the last 4 weeks');
          }
        });
        logger.warn(
          'aws-workload runs on demo data (dynalite and a fake AWS account and Kubernetes API); remove the demo feature to read your own accounts and clusters',
        );
      },
    });
  },
});
