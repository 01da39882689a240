/**
 * In a file of its own: usePermission caches decisions for the whole test
 * module, so a denial cannot follow tests that were allowed.
 */
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { awsWorkloadApiRef } from '../api';
import { entity, view } from '../__fixtures__/entityView';
import { PodCredentialsCard } from './PodCredentialsCard';

describe('PodCredentialsCard without aws-workload.entity.refresh', () => {
  it('says when the chain was checked, and offers no Re-check', async () => {
    const permissionApi = new MockPermissionApi(() => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            awsWorkloadApiRef,
            {
              getEntityView: async () => view,
              recheckEntity: jest.fn(),
              onRecheck: () => () => {},
            },
          ],
          [permissionApiRef, permissionApi],
        ]}
      >
        <EntityProvider entity={entity}>
          <PodCredentialsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText(/Checked/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Re-check' })).toBeNull();
  });
});
