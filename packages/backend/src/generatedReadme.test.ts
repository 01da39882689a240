import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import { REPO_ROOT, renderVoteTemplate } from './__testUtils__/renderTemplate';

/**
 * A repository as the vote-service template generates it, then its README's
 * "Run locally" steps as a developer runs them: the emulator, the table
 * script, the server, a vote. Its own tests run too.
 */
const values = {
  name: 'lunch-poll',
  owner: 'group:default/vote-team',
  voteOptions: ['pizza', 'salad'],
  awsAccountId: '123456789012',
  awsRegion: 'eu-west-3',
  iac: 'cdk',
  credentials: 'pod-identity',
  clusterName: 'vote-demo',
  oidcIssuer:
    'https://oidc.eks.eu-west-3.amazonaws.com/id/5C5F3E2B7A1D4E6F8A9B0C1D2E3F4A5B',
  namespace: 'lunch',
  ingress: true,
  ingressHost: 'lunch.example.com',
  secrets: true,
  repoUrl: 'github.com?owner=acme&repo=lunch-poll',
};

let repo: string;

beforeAll(() => {
  const result = renderVoteTemplate(values);
  if (result.status !== 0) {
    throw new Error(`template:render failed: ${result.stderr}`);
  }
  repo = result.output;
  // `npm ci`, here: the repository's dependencies are this monorepo's.
  fs.symlinkSync(
    path.join(REPO_ROOT, 'node_modules'),
    path.join(repo, 'node_modules'),
  );
}, 120_000);

/**
 * A script of the repository, run without blocking this process: the
 * emulator it talks to runs here.
 */
function runScript(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [script],
      { cwd: repo, env, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          status: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** The README's "Run locally" block. */
function runLocallyBlock(readme: string): string[] {
  const section = readme.split('## Run locally')[1].split('\n## ')[0];
  const block = section.split('```sh\n')[1].split('```')[0];
  return block
    .split('\n')
    .map(line => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe('the generated README, followed as written', () => {
  it('says how to run it locally with scripts the repository has, in an order that works', () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const scripts = JSON.parse(
      fs.readFileSync(path.join(repo, 'package.json'), 'utf8'),
    ).scripts;
    const steps = runLocallyBlock(readme);
    expect(steps[0]).toBe('npm ci');
    const named = steps.flatMap(
      step => step.match(/^npm run ([\w:-]+)/)?.slice(1) ?? [],
    );
    expect(named.length).toBeGreaterThan(0);
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(named));
    const order = ['npm run local:dynamo', 'npm run local:table', 'npm start'];
    const at = order.map(s => steps.findIndex(step => step.startsWith(s)));
    expect(at.every(i => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('creates the table in the emulator, then the server takes a vote and counts it', async () => {
    const emulator = dynalite({ createTableMs: 0 });
    await new Promise<void>(resolve =>
      emulator.listen(0, '127.0.0.1', () => resolve()),
    );
    const endpoint = `http://127.0.0.1:${
      (emulator.address() as net.AddressInfo).port
    }`;
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      DYNAMO_ENDPOINT: endpoint,
      PORT: String(port),
    };
    const server = spawn(process.execPath, ['src/server.ts'], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const table = await runScript('scripts/create-local-table.ts', env);
      expect(table.stderr).toBe('');
      expect(table.stdout).toMatch(/created table lunch-poll/);
      expect(table.status).toBe(0);
      // Run twice, as people do: the second time says it is there.
      const again = await runScript('scripts/create-local-table.ts', env);
      expect(again.stdout).toMatch(/already exists/);

      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        const up = await fetch(`${base}/healthz`).catch(() => undefined);
        if (up?.ok) break;
        if (i > 100) throw new Error('the server did not start');
        await new Promise(r => setTimeout(r, 100));
      }
      const vote = await fetch(`${base}/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vote: 'pizza' }),
      });
      expect(vote.status).toBe(200);
      const counts = await (await fetch(`${base}/vote`)).json();
      expect(counts).toMatchObject({ pizza: 1, salad: 0 });
    } finally {
      server.kill('SIGTERM');
      await new Promise(resolve => emulator.close(resolve));
    }
  }, 90_000);

  it('refuses to create a table without the emulator’s endpoint (on AWS the infrastructure does)', () => {
    const result = spawnSync(
      process.execPath,
      ['scripts/create-local-table.ts'],
      { cwd: repo, env: { PATH: process.env.PATH }, encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Set DYNAMO_ENDPOINT/);
  });

  it('passes its own tests (node --test)', () => {
    const result = spawnSync(
      process.execPath,
      ['--test', 'test/**/*.test.ts'],
      { cwd: repo, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.stdout).toMatch(/(ℹ|#) fail 0/);
    expect(result.status).toBe(0);
  }, 150_000);

  it('says how to reach it through the ALB it asked for, and which controller that needs', () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toMatch(/AWS Load Balancer Controller/);
    expect(readme).toMatch(/Point `lunch\.example\.com` at that name/);
    expect(readme).toMatch(/npx cdk deploy/);
    expect(readme).not.toMatch(/terraform apply/);
    expect(readme).toMatch(/eks-pod-identity-agent/);
  });

  it('says where the application secret lives, what mounts it and what the cluster must run for it', () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toMatch(/`lunch-poll-app`/);
    expect(readme).toMatch(
      /--addon-name aws-secrets-store-csi-driver-provider/,
    );
    expect(readme).toMatch(/does not run on Fargate/);
    expect(readme).toMatch(/usePodIdentity: "true"/);
    expect(readme).toMatch(/CDK creates the secret with a generated value/);
  });
});
