import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';

type ActionInput = NonNullable<
  Parameters<typeof createMockActionContext>[0]
>['input'];

/**
 * Runs a scaffolder action on `input` in an empty workspace and expects an
 * `InputError` whose message matches `message`, with nothing written: a bad
 * input must leave no half-written repository behind.
 */
export async function expectInputRejected(options: {
  action: { handler: (ctx: any) => Promise<void> };
  input: ActionInput;
  message: RegExp;
}) {
  const workspace = createMockDirectory();
  const ctx = createMockActionContext({
    input: options.input,
    workspacePath: workspace.path,
  });
  const run = options.action.handler(ctx);
  await expect(run).rejects.toThrow(InputError);
  await expect(run).rejects.toThrow(options.message);
  expect(fs.readdirSync(workspace.path)).toEqual([]);
}
