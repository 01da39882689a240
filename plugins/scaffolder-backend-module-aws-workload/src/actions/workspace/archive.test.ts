import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
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

  it('hands the files to the aws-workload backend, and logs where to download them if a later step fails', async () => {
    const received: { url?: string; auth?: string; body: string }[] = [];
    const backend = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        received.push({ url: req.url, auth: req.headers.authorization, body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>(resolve =>
      backend.listen(0, '127.0.0.1', () => resolve()),
    );
    const baseUrl = `http://127.0.0.1:${
      (backend.address() as AddressInfo).port
    }/api/aws-workload`;
    try {
      const ctx = createMockActionContext({
        input: { name: 'vote' },
        workspacePath: workspaceWith({ 'README.md': '# vote\n' }),
        logger: mockServices.logger.mock(),
      });
      await createWorkspaceArchiveAction({
        handOver: {
          discovery: {
            getBaseUrl: async () => baseUrl,
            getExternalBaseUrl: async () => baseUrl,
          },
          auth: mockServices.auth(),
          appBaseUrl: 'https://portal.example.com/',
        },
      }).handler(ctx as any);
      expect(received).toHaveLength(1);
      expect(received[0].url).toBe(
        '/api/aws-workload/scaffolder/generated-files/mock-task-id',
      );
      expect(received[0].auth).toMatch(/^Bearer /);
      const sent = JSON.parse(received[0].body);
      const outputs = Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
      );
      expect(sent).toEqual({ fileName: 'vote.tar.gz', base64: outputs.base64 });
      expect(outputs.downloadUrl).toBe(
        'https://portal.example.com/aws-workload-files/mock-task-id',
      );
      expect(
        (ctx.logger.info as jest.Mock).mock.calls.flat().join('\n'),
      ).toContain(
        'If a later step fails, the generated files can still be downloaded for 7 days at https://portal.example.com/aws-workload-files/mock-task-id',
      );
    } finally {
      await new Promise(resolve => backend.close(resolve));
    }
  });

  it('still packs when the backend cannot keep the files, saying so', async () => {
    const ctx = createMockActionContext({
      input: { name: 'vote' },
      workspacePath: workspaceWith({ 'README.md': '# vote\n' }),
      logger: mockServices.logger.mock(),
    });
    await createWorkspaceArchiveAction({
      handOver: {
        discovery: {
          getBaseUrl: async () => 'http://127.0.0.1:9/api/aws-workload',
          getExternalBaseUrl: async () => '',
        },
        auth: mockServices.auth(),
        appBaseUrl: '',
      },
    }).handler(ctx as any);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    expect(outputs.base64).toBeDefined();
    expect(outputs.downloadUrl).toBeUndefined();
    expect((ctx.logger.warn as jest.Mock).mock.calls.flat().join('\n')).toMatch(
      /could not be kept for download/,
    );
  });
});
