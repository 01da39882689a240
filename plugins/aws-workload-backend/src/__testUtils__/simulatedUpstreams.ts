import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { SimulatedFleet } from './simulatedFleet';

/**
 * Puts a simulated fleet in front of a test backend for the whole test file:
 * its Kubernetes API over HTTP (msw, the backend's own loopback calls passed
 * through) and its AWS answers at the SDK clients. Returns the msw server.
 */
export function useSimulatedUpstreams(fleet: SimulatedFleet) {
  const server = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () =>
      passthrough(),
    ),
    ...fleet.kubernetesHandlers(),
  );
  registerMswTestHooks(server);
  let restoreAws = () => {};
  beforeAll(() => {
    const mocks = fleet.mockAws();
    restoreAws = () => mocks.forEach(m => m.restore());
  });
  afterAll(() => restoreAws());
  return server;
}
