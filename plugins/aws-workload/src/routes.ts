import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The fleet page, in the legacy frontend system.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'aws-workload' });

/**
 * The download page of a scaffolder run's generated files, in the legacy
 * frontend system: mount it at `/aws-workload-files`, the path the archive
 * action's log links to.
 *
 * @public
 */
export const generatedFilesRouteRef = createRouteRef({
  id: 'aws-workload-generated-files',
});
