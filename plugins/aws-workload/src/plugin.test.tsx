import { EntityProvider } from '@backstage/plugin-catalog-react';
import { getComponentData } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { awsWorkloadApiRef } from './api';
import {
  awsWorkloadPlugin,
  awsWorkloadFleetRouteRef,
  AwsWorkloadFleetPage,
  EntityAwsWorkloadContent,
  EntityDynamoDbTableCard,
  EntityEcrImagesCard,
  EntityPodCredentialsCard,
  isAwsWorkloadAvailable,
} from './index';
import { entity, view } from './__fixtures__/entityView';

describe('legacy frontend system exports', () => {
  it('is the aws-workload plugin', () => {
    expect(awsWorkloadPlugin.getId()).toBe('aws-workload');
  });

  it.each([
    ['EntityAwsWorkloadContent', EntityAwsWorkloadContent, 'Pod credentials'],
    ['EntityDynamoDbTableCard', EntityDynamoDbTableCard, 'On demand'],
    ['EntityEcrImagesCard', EntityEcrImagesCard, 'git-3f9c2ab'],
    [
      'EntityPodCredentialsCard',
      EntityPodCredentialsCard,
      'IRSA · 1 check failing',
    ],
  ])('%s renders inside an entity page', async (_, Component, text) => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [awsWorkloadApiRef, { getEntityView: async () => view }],
          [permissionApiRef, new MockPermissionApi()],
        ]}
      >
        <EntityProvider entity={entity}>
          <Component />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect((await screen.findAllByText(text)).length).toBeGreaterThan(0);
  });

  it('offers isAwsWorkloadAvailable for EntitySwitch', () => {
    expect(isAwsWorkloadAvailable(entity)).toBe(true);
    expect(isAwsWorkloadAvailable({ ...entity, metadata: { name: 'x' } })).toBe(
      false,
    );
  });

  it('offers the fleet page as a routable extension on its route ref', () => {
    expect(awsWorkloadPlugin.routes.root).toBe(awsWorkloadFleetRouteRef);
    expect(getComponentData(<AwsWorkloadFleetPage />, 'core.mountPoint')).toBe(
      awsWorkloadFleetRouteRef,
    );
  });
});
