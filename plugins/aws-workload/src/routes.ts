import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The fleet page, in the legacy frontend system.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'aws-workload' });
