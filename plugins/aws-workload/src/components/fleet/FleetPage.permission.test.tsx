/**
 * In a file of its own: usePermission caches decisions for the whole test
 * module, so a denial cannot follow tests that were allowed.
 */
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { awsWorkloadApiRef } from '../../api';
import { FleetPage } from './FleetPage';

describe('FleetPage without aws-workload.fleet.read', () => {
  it('says which permission is missing and does not call the backend', async () => {
    const getFleet = jest.fn();
    const permissionApi = new MockPermissionApi(() => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [awsWorkloadApiRef, { getEntityView: jest.fn(), getFleet }],
          [permissionApiRef, permissionApi],
        ]}
      >
        <FleetPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(/You cannot see the fleet/),
    ).toBeInTheDocument();
    expect(screen.getByText(/aws-workload\.fleet\.read/)).toBeInTheDocument();
    await waitFor(() => expect(getFleet).not.toHaveBeenCalled());
  });
});
