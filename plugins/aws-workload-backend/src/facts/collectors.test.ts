import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { assessEntity } from '../assessment/assessEntity';
import { RunLoader } from '../clients/CachedLoader';
import { DynamoDbService } from '../clients/DynamoDbService';
import { EcrService } from '../clients/EcrService';
import { EksService } from '../clients/EksService';
import { KubernetesService } from '../clients/KubernetesService';
import { IamService } from '../clients/IamService';
import { FleetIamReader } from '../fleet/FleetIamReader';
import { testAwsClients } from '../__testUtils__/awsClients';
import { SimulatedFleet } from '../__testUtils__/simulatedFleet';
import { EntityFactCollector } from './EntityFactCollector';
import { EntityFacts } from './EntityFacts';
import { FleetFactCollector } from './FleetFactCollector';
import { ClusterSnapshotSource, PerEntitySource } from './WorkloadSource';

const server = setupServer();
registerMswTestHooks(server);

/** The two collectors over one simulated fleet, each with its own run loader. */
function collectors(fleet: SimulatedFleet) {
  const clients = testAwsClients();
  const logger = mockServices.logger.mock();
  const readersOn = (loader: RunLoader) => {
    const kubernetes = new KubernetesService({
      clients,
      loader,
      ttlMs: 0,
      timeoutMs: 5_000,
    });
    const eks = new EksService({ clients, loader, ttlMs: 0 });
    return {
      dynamoDb: new DynamoDbService({
        clients,
        loader,
        ttlMs: 0,
        withBackups: false,
      }),
      ecr: new EcrService({ clients, loader, ttlMs: 0, maxImages: 1 }),
      eks,
      kubernetes,
      clusters: fleet.clusters,
      logger,
      iamOptions: { clients, loader, ttlMs: 0, simulate: true },
    };
  };
  return {
    perEntity: () => {
      const { iamOptions, ...readers } = readersOn(new RunLoader());
      return new EntityFactCollector({
        ...readers,
        iam: new IamService(iamOptions),
        source: new PerEntitySource({
          kubernetes: readers.kubernetes,
          eks: readers.eks,
        }),
      });
    },
    fleet: () => {
      const { iamOptions, ...readers } = readersOn(new RunLoader());
      return new FleetFactCollector({
        readers: {
          ...readers,
          source: new ClusterSnapshotSource({
            kubernetes: readers.kubernetes,
            eks: readers.eks,
          }),
        },
        iam: iamOptions,
        iamReader: new FleetIamReader({
          simulate: true,
          resimulateIntervalMs: 60_000,
          logger,
        }),
      });
    },
  };
}

/** The facts without the times they were read at. */
const timeless = (facts: EntityFacts[]) =>
  JSON.parse(JSON.stringify(facts, (k, v) => (k === 'fetchedAt' ? 'T' : v)));

describe('the two fact collectors', () => {
  it('read the same facts for every entity, the fleet with calls that do not grow with the entities', async () => {
    const fleet = new SimulatedFleet({
      entities: 30,
      clusters: 2,
      podsPerEntity: 2,
      roles: 4,
      latencyMs: 0,
    });
    server.resetHandlers(...fleet.kubernetesHandlers());
    const mocks = fleet.mockAws();
    try {
      const { perEntity, fleet: fleetWide } = collectors(fleet);
      const one = await perEntity().collect(fleet.entities);
      const perEntityCalls = { ...fleet.calls };
      const all = await fleetWide().collect(fleet.entities);
      const fleetCalls = Object.fromEntries(
        Object.entries(fleet.calls).map(([k, v]) => [
          k,
          v - perEntityCalls[k as keyof typeof perEntityCalls],
        ]),
      );

      expect(timeless(all)).toEqual(timeless(one));
      // Every mode of the simulated fleet is there, judged alike.
      const modes = new Set(
        all.flatMap(f => {
          const { workloads } = assessEntity(f);
          return workloads.status === 'ok'
            ? workloads.data.map(w => w.mode)
            : [];
        }),
      );
      expect([...modes].sort()).toEqual([
        'irsa',
        'node-role',
        'pod-identity',
        'static-keys',
      ]);
      // Per entity: a list per kind for each entity; the fleet: per cluster.
      expect(fleetCalls.kubernetes).toBeLessThan(perEntityCalls.kubernetes / 5);
      // The fleet simulates once per role; the entity page once per entity.
      expect(fleetCalls.iam).toBeLessThan(perEntityCalls.iam);
    } finally {
      mocks.forEach(m => m.restore());
    }
  });
});
