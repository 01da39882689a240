import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  createExtensionTester,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import plugin, {
  awsWorkloadEntityContent,
  awsWorkloadFleetPage,
  fleetRouteRef,
  dynamoDbTableEntityCard,
  ecrImagesEntityCard,
  podCredentialsEntityCard,
} from './alpha';
import { awsWorkloadApiRef } from './api';
import { entity, view } from './__fixtures__/entityView';

const bare = { ...entity, metadata: { name: 'bare', annotations: {} } };
const tableOnly = {
  ...entity,
  metadata: {
    name: 't',
    annotations: {
      'aws.amazon.com/dynamodb-table-arn':
        'arn:aws:dynamodb:eu-west-3:123456789012:table/t',
    },
  },
};

describe('new frontend system extensions', () => {
  it('is the aws-workload plugin with its API, tab and three cards', () => {
    expect(plugin.pluginId).toBe('aws-workload');
  });

  it.each([
    [
      'the AWS tab',
      awsWorkloadEntityContent,
      EntityContentBlueprint.dataRefs.filterFunction,
      [true, false, true],
    ],
    [
      'the table card',
      dynamoDbTableEntityCard,
      EntityCardBlueprint.dataRefs.filterFunction,
      [true, false, true],
    ],
    [
      'the images card',
      ecrImagesEntityCard,
      EntityCardBlueprint.dataRefs.filterFunction,
      [true, false, false],
    ],
    [
      'the credentials card',
      podCredentialsEntityCard,
      EntityCardBlueprint.dataRefs.filterFunction,
      [true, false, false],
    ],
  ] as const)(
    'shows %s only on entities with its annotations',
    (_, extension, ref, expected) => {
      const filter = createExtensionTester(extension as any).get(
        ref as any,
      ) as (e: typeof entity) => boolean;
      expect([filter(entity), filter(bare), filter(tableOnly)]).toEqual(
        expected,
      );
    },
  );

  it('renders the AWS tab with the view of the entity', async () => {
    renderInTestApp(
      <TestApiProvider
        apis={[[awsWorkloadApiRef, { getEntityView: async () => view }]]}
      >
        <EntityProvider entity={entity}>
          {createExtensionTester(awsWorkloadEntityContent).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Pod credentials')).toBeInTheDocument();
    expect(await screen.findByText('On demand')).toBeInTheDocument();
    expect(await screen.findByText('git-3f9c2ab')).toBeInTheDocument();
  });

  it('renders a card as an extension', async () => {
    renderInTestApp(
      <TestApiProvider
        apis={[[awsWorkloadApiRef, { getEntityView: async () => view }]]}
      >
        <EntityProvider entity={entity}>
          {createExtensionTester(podCredentialsEntityCard).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
    );
    expect((await screen.findAllByText(/^IRSA · /)).length).toBe(1);
  });

  it('mounts the fleet page at /aws-workload with a sidebar title and icon', () => {
    const tester = createExtensionTester(awsWorkloadFleetPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/aws-workload');
    expect(tester.get(coreExtensionData.routeRef)).toBe(fleetRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('AWS fleet');
    expect(plugin.routes.root).toBe(fleetRouteRef);
  });
});
