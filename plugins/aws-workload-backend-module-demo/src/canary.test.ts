import fs from 'node:fs';
import path from 'node:path';
import { CANARY_PHASE_MS, canaryPhases, withCanary } from './canary';
import { DEMO_DATA_DIR } from './startDemo';

const recorded = fs
  .readdirSync(path.join(DEMO_DATA_DIR, 'kubernetes'))
  .filter(f => f.endsWith('.json'))
  .flatMap(
    f =>
      JSON.parse(
        fs.readFileSync(path.join(DEMO_DATA_DIR, 'kubernetes', f), 'utf8'),
      ).items,
  );

const envNames = (pod: any) =>
  pod.spec.containers.flatMap((c: any) =>
    (c.env ?? []).map((e: any) => e.name),
  );

describe('the demo canary', () => {
  it("copies vote-irsa's workload in one phase and vote-static-keys' in the other, as vote-canary in vote-irsa's namespace", () => {
    const { irsa, staticKeys } = canaryPhases(recorded);
    for (const phase of [irsa, staticKeys]) {
      expect(phase.map(o => o.kind).sort()).toEqual([
        'Deployment',
        'Pod',
        'Pod',
      ]);
      for (const o of phase) {
        expect(o.metadata.namespace).toBe('vote-irsa');
        expect(o.metadata.name).toMatch(/^vote-canary/);
        expect(o.metadata.labels['backstage.io/kubernetes-id']).toBe(
          'vote-canary',
        );
      }
    }
    const irsaPod = irsa.find(o => o.kind === 'Pod');
    expect(irsaPod.spec.serviceAccountName).toBe('vote-irsa');
    expect(envNames(irsaPod)).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    const keysPod = staticKeys.find(o => o.kind === 'Pod');
    expect(keysPod.spec.serviceAccountName).toBe('default');
    expect(envNames(keysPod)).toContain('AWS_ACCESS_KEY_ID');
    // The recorded services keep their own objects.
    expect(
      recorded.filter(
        o => o.metadata.labels?.['backstage.io/kubernetes-id'] === 'vote-irsa',
      ),
    ).toHaveLength(3);
  });

  it('changes phase every period', () => {
    let now = 0;
    const objects = withCanary(recorded, () => now);
    const canaryPod = () =>
      objects().find(
        o =>
          o.kind === 'Pod' &&
          o.metadata.labels?.['backstage.io/kubernetes-id'] === 'vote-canary',
      );
    expect(canaryPod().spec.serviceAccountName).toBe('vote-irsa');
    now = CANARY_PHASE_MS;
    expect(canaryPod().spec.serviceAccountName).toBe('default');
    now = 2 * CANARY_PHASE_MS + 1;
    expect(canaryPod().spec.serviceAccountName).toBe('vote-irsa');
    expect(objects()).toHaveLength(recorded.length + 3);
  });
});
