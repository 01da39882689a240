import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { x as extract } from 'tar';
import { createWorkspaceArchiveAction } from './archive';

function workspaceWith(files: Record<string, string>) {
  const workspace = createMockDirectory();
  workspace.setContent(files);
  return workspace.path;
}

describe('aws-workload:workspace:archive', () => {
  it('packs every generated file, and only those, into a tarball that unpacks as written', async () => {
    const workspacePath = workspaceWith({
      'README.md': '# vote\n',
      'k8s/deployment.yaml': 'kind: Deployment\n',
      'infra/cdk/lib/stack.ts': 'export {};\n',
      'infra/cdk/cdk.out/vote.template.json': '{}',
      'node_modules/left-pad/index.js': 'x',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.github/workflows/deploy.yaml': 'on: push\n',
    });
    const ctx = createMockActionContext({
      input: { name: 'vote' },
      workspacePath,
    });
    await createWorkspaceArchiveAction().handler(ctx as any);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    expect(outputs.fileName).toBe('vote.tar.gz');
    expect(outputs.files).toEqual([
      '.github/workflows/deploy.yaml',
      'README.md',
      'infra/cdk/lib/stack.ts',
      'k8s/deployment.yaml',
    ]);
    const archive = Buffer.from(outputs.base64, 'base64');
    expect(outputs.bytes).toBe(archive.length);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'unpacked-'));
    const file = path.join(out, 'vote.tar.gz');
    fs.writeFileSync(file, archive);
    await extract({ file, cwd: out });
    expect(fs.readFileSync(path.join(out, 'k8s/deployment.yaml'), 'utf8')).toBe(
      'kind: Deployment\n',
    );
    expect(fs.existsSync(path.join(out, 'node_modules'))).toBe(false);
  });

  it('refuses an archive over maxBytes, and an empty workspace, saying why', async () => {
    const big = createMockActionContext({
      input: { name: 'vote', maxBytes: 64 },
      workspacePath: workspaceWith({
        'a.txt': 'x'
          .repeat(10_000)
          .replace(/x/g, () => Math.random().toString(36)),
      }),
    });
    await expect(
      createWorkspaceArchiveAction().handler(big as any),
    ).rejects.toThrow(/more than maxBytes \(64\)/);
    expect(big.output).not.toHaveBeenCalled();
    const empty = createMockActionContext({
      input: { name: 'vote' },
      workspacePath: workspaceWith({}),
    });
    await expect(
      createWorkspaceArchiveAction().handler(empty as any),
    ).rejects.toThrow(InputError);
  });
});
