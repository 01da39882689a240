import { createBackend } from '@backstage/backend-defaults';
import { portalFeatures } from './features';

const backend = createBackend();
for (const feature of portalFeatures()) {
  backend.add(feature);
}
backend.start();
