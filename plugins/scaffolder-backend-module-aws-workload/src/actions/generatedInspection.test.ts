import { execFileSync } from 'node:child_process';
import {
  expectCleanInspection,
  FLAVOURS,
  generate,
  MODES,
  OPTION_SETS,
} from './__testUtils__/generatedRepository';

/**
 * Every flavour and credential mode the template generates, read back by
 * the offline inspector as a CI gate would read the repository: the vote
 * Deployment must come out in the chosen mode with no finding to act on.
 */

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the offline inspector on every generated repository', () => {
  const cases = FLAVOURS.flatMap(f =>
    MODES.flatMap(m =>
      OPTION_SETS.map(
        o =>
          [
            f,
            m,
            o.secrets ? 'the secret and the ALB' : 'no option',
            o,
          ] as const,
      ),
    ),
  );
  // The first CDK synthesis loads aws-cdk-lib: seconds, more on a busy machine.
  const SYNTH_TIMEOUT = 60_000;

  it.each(cases)(
    '%s with %s and %s, its files read as they are',
    async (flavour, mode, _, options) => {
      const dir = await generate(flavour, mode, options);
      await expectCleanInspection(dir, { PATH: '' }, mode);
    },
    SYNTH_TIMEOUT,
  );

  // Reported as skipped, under this name, where kubectl is not on PATH.
  (hasKubectl() ? it.each(cases) : it.skip.each(cases))(
    '%s with %s and %s, its kustomization rendered by kubectl kustomize (needs kubectl on PATH)',
    async (flavour, mode, _, options) => {
      const dir = await generate(flavour, mode, options);
      await expectCleanInspection(dir, { PATH: process.env.PATH }, mode);
    },
    SYNTH_TIMEOUT,
  );
});
