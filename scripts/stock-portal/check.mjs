#!/usr/bin/env node
/**
 * The stock-portal check (`yarn test:stock-portal`): what a new user does, in
 * a portal fresh from @backstage/create-app, from this repository's packed
 * tarballs and the README's "Install into your portal" section.
 *
 *  1. packs every published package (`backstage-cli package build`, `yarn pack`);
 *  2. creates a portal with the newest @backstage/create-app the registry
 *     serves and bumps it to our Backstage release with the committed manifest
 *     (scripts/backstage-release/), then checks backstage.json;
 *  3. follows the README: its `yarn add` lines (as package.json edits pointing
 *     at the tarballs: `yarn add <file.tgz>` crashes on these machines, see
 *     the README's Maintenance section), its backend lines, its config and
 *     its permission policy, then `yarn install`, `yarn tsc`, and checks with
 *     `yarn why` that each @backstage package our packages depend on is there
 *     once;
 *  4. starts the portal's backend and checks: the three scaffolder actions
 *     are listed, the template is in the catalog and a dry run renders it, an
 *     annotated entity gets per-section errors and no 500 (no AWS here), the
 *     fleet is refused to a user outside the policy's team;
 *  5. adds the demo the README's way, restarts, and checks the five modes;
 *  6. builds the app;
 *  7. runs the packed CLI on a manifest with static keys: exit code 1.
 *
 * The machine fixes of ../../../shared/setup-notes.md (registry gaps: pinned
 * native binaries, better-sqlite3 13) are copied from this repository's own
 * root package.json, so they stay the same in both places.
 *
 * STOCK_PORTAL_DIR keeps the work in a folder of your choice (default: a new
 * temporary folder, removed on success).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const MANIFEST = path.join(
  ROOT,
  'scripts/backstage-release/manifest-1.57.0.json',
);
const PUBLISHED = [
  'plugins/aws-workload-common',
  'plugins/aws-workload-node',
  'plugins/aws-workload',
  'plugins/aws-workload-backend',
  'plugins/aws-workload-backend-module-demo',
  'plugins/scaffolder-backend-module-aws-workload',
  'plugins/catalog-backend-module-aws-workload-templates',
  // Built and packed like the others; the stock portal does not install the
  // tech-insights backend it plugs into (its own tests run it in the portal).
  'plugins/tech-insights-backend-module-aws-workload',
  'packages/aws-workload-cli',
];
const OUR_ACTIONS = [
  'aws:eks:describe-cluster',
  'aws-workload:iac:render',
  'aws-workload:manifests:render',
];
const DEMO_MODES = {
  'vote-node-role': ['node-role'],
  'vote-static-keys': ['static-keys'],
  'vote-irsa': ['irsa'],
  'vote-pod-identity': ['pod-identity'],
  'vote-broken-irsa': ['irsa'],
};

const keep = Boolean(process.env.STOCK_PORTAL_DIR);
const WORK = process.env.STOCK_PORTAL_DIR
  ? path.resolve(process.env.STOCK_PORTAL_DIR)
  : fs.mkdtempSync(path.join(os.tmpdir(), 'aws-workload-stock-'));
const PORTAL = path.join(WORK, 'portal');
const TARBALLS = path.join(WORK, 'tarballs');
const started = Date.now();
const backends = new Set();

const log = message =>
  process.stdout.write(
    `[stock-portal ${((Date.now() - started) / 1000).toFixed(
      0,
    )}s] ${message}\n`,
  );

function fail(message) {
  throw new Error(message);
}

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      timeout: 15 * 60_000,
      ...options,
      env: { ...process.env, ...options.env },
    });
  } catch (e) {
    fail(
      `${command} ${args.join(' ')} (in ${
        options.cwd ?? process.cwd()
      }) failed:\n${String(e.stdout ?? '').slice(-3000)}\n${String(
        e.stderr ?? '',
      ).slice(-3000)}`,
    );
  }
}

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** The README's code blocks between `<!-- install:NAME -->` markers, by NAME. */
function readmeBlocks() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = {};
  for (const [, name, body] of readme.matchAll(
    /<!-- install:([a-z]+) -->([\s\S]*?)<!-- \/install:\1 -->/g,
  )) {
    blocks[name] = [...body.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(
      ([, lang, code]) => ({ lang, code }),
    );
  }
  for (const name of ['packages', 'backend', 'config', 'permission', 'demo']) {
    if (!blocks[name]?.length) fail(`README.md has no install:${name} block`);
  }
  return blocks;
}

function pack() {
  fs.mkdirSync(TARBALLS, { recursive: true });
  // The builds take their type declarations from dist-types.
  run('yarn', ['tsc'], { cwd: ROOT });
  const tarballs = {};
  for (const dir of PUBLISHED) {
    const cwd = path.join(ROOT, dir);
    const { name } = readJson(path.join(cwd, 'package.json'));
    const out = path.join(
      TARBALLS,
      `${name.replace('@', '').replace('/', '-')}.tgz`,
    );
    run('yarn', ['build'], { cwd });
    run('yarn', ['pack', '--out', out], { cwd });
    tarballs[name] = out;
  }
  return tarballs;
}

/** `yarn --cwd <workspace> add <packages…>` lines, applied as package.json edits. */
function applyYarnAdd(code, tarballs, manifest) {
  for (const line of code.split('\n').filter(l => l.trim())) {
    const m = /^yarn --cwd (\S+) add (.+)$/.exec(line.trim());
    if (!m) fail(`not a "yarn --cwd <workspace> add" line: ${line}`);
    const file = path.join(PORTAL, m[1], 'package.json');
    const pkg = readJson(file);
    for (const name of m[2].split(/\s+/)) {
      const released = manifest.packages.find(p => p.name === name)?.version;
      const range = tarballs[name]
        ? `file:${tarballs[name]}`
        : released && `^${released}`;
      if (!range) fail(`${name} is neither ours nor in the release manifest`);
      pkg.dependencies = { ...pkg.dependencies, [name]: range };
    }
    writeJson(file, pkg);
  }
}

/** Backend lines go before `backend.start()`, as the README says. */
function addBackendLines(code) {
  const file = path.join(PORTAL, 'packages/backend/src/index.ts');
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes('backend.start();'))
    fail(`${file} has no backend.start()`);
  fs.writeFileSync(
    file,
    source.replace('backend.start();', `${code.trim()}\n\nbackend.start();`),
  );
}

/** The policy file of the README replaces create-app's allow-all policy. */
function addPermissionPolicy(code) {
  const target = /^\/\/ (packages\/backend\/src\/\S+\.ts)$/m.exec(code)?.[1];
  if (!target) fail('the permission block names no file');
  fs.writeFileSync(path.join(PORTAL, target), code);
  const index = path.join(PORTAL, 'packages/backend/src/index.ts');
  const source = fs.readFileSync(index, 'utf8');
  const allowAll =
    /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);/;
  if (!allowAll.test(source))
    fail('the stock backend has no allow-all policy line to replace');
  fs.writeFileSync(
    index,
    source.replace(
      allowAll,
      `backend.add(import('./${path.basename(target, '.ts')}'));`,
    ),
  );
}

/** This machine's registry gaps, fixed as this repository fixes them. */
function applyMachineFixes() {
  const ours = readJson(path.join(ROOT, 'package.json'));
  const rootFile = path.join(PORTAL, 'package.json');
  const root = readJson(rootFile);
  root.resolutions = { ...root.resolutions };
  for (const name of [
    '@yarnpkg/core',
    'better-sqlite3',
    '@swc/core',
    'unrs-resolver',
    'rollup',
  ]) {
    if (ours.resolutions[name]) root.resolutions[name] = ours.resolutions[name];
  }
  root.dependenciesMeta = {
    ...root.dependenciesMeta,
    ...ours.dependenciesMeta,
  };
  writeJson(rootFile, root);
  const backendFile = path.join(PORTAL, 'packages/backend/package.json');
  const backend = readJson(backendFile);
  backend.dependencies['better-sqlite3'] = ours.resolutions['better-sqlite3'];
  writeJson(backendFile, backend);
}

function resolveOurPackages(tarballs) {
  const rootFile = path.join(PORTAL, 'package.json');
  const root = readJson(rootFile);
  // Our packages depend on each other by version until they are published.
  for (const [name, file] of Object.entries(tarballs)) {
    root.resolutions[name] = `file:${file}`;
  }
  writeJson(rootFile, root);
}

function yarnInstall() {
  // CI=true makes Yarn refuse to write the lockfile; a new portal has to.
  run('yarn', ['install', '--no-immutable'], {
    cwd: PORTAL,
    env: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' },
  });
}

function checkSingleCopies(tarballs) {
  const wanted = new Set();
  for (const file of Object.values(tarballs)) {
    const pkg = JSON.parse(
      run('tar', ['xzf', file, '-O', 'package/package.json']),
    );
    for (const name of Object.keys({
      ...pkg.dependencies,
      ...pkg.peerDependencies,
    })) {
      if (name.startsWith('@backstage/')) wanted.add(name);
    }
  }
  const duplicated = [];
  for (const name of [...wanted].sort()) {
    const why = run('yarn', ['why', name], { cwd: PORTAL });
    const versions = new Set(
      [
        ...why.matchAll(
          new RegExp(
            `${name.replace('/', '\\/')}@npm:(\\d+\\.\\d+\\.\\d+[^ ]*)`,
            'g',
          ),
        ),
      ].map(m => m[1]),
    );
    if (versions.size !== 1)
      duplicated.push(`${name}: ${[...versions].join(', ') || 'none'}`);
  }
  if (duplicated.length) {
    fail(
      `@backstage packages not present exactly once:\n  ${duplicated.join(
        '\n  ',
      )}`,
    );
  }
  log(
    `each of ${wanted.size} @backstage packages our packages use is there once`,
  );
}

async function freePort() {
  const server = net.createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function startBackend(configFiles, label) {
  const port = await freePort();
  const overrides = path.join(WORK, `app-config.${label}.yaml`);
  fs.writeFileSync(overrides, configOverrides(port));
  const logFile = path.join(WORK, `backend-${label}.log`);
  const out = fs.openSync(logFile, 'w');
  const args = ['workspace', 'backend', 'start'];
  for (const file of ['app-config.yaml', ...configFiles, overrides]) {
    args.push('--config', path.resolve(PORTAL, file));
  }
  const child = spawn('yarn', args, {
    cwd: PORTAL,
    stdio: ['ignore', out, out],
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      // No AWS here: nothing may reach for credentials or instance metadata.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: path.join(WORK, 'no-aws-credentials'),
      AWS_CONFIG_FILE: path.join(WORK, 'no-aws-config'),
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      // The cluster's CA, as the README's config reads it (a placeholder:
      // nothing connects to the cluster here).
      PROD_EU_CA_DATA: Buffer.from('stock-portal-check').toString('base64'),
    },
  });
  const backend = {
    url: `http://127.0.0.1:${port}`,
    logFile,
    async stop() {
      backends.delete(backend);
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      for (
        let i = 0;
        i < 100 && child.exitCode === null && child.signalCode === null;
        i++
      ) {
        await new Promise(r => setTimeout(r, 100));
      }
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
  backends.add(backend);
  await until(
    `the ${label} backend on :${port} (log: ${logFile})`,
    240,
    async () => {
      const output = fs.readFileSync(logFile, 'utf8');
      if (child.exitCode !== null || output.includes('BackendStartupError')) {
        fail(
          `the backend did not start:\n${output
            .replace(/\x1b\[[0-9;]*m/g, '')
            .slice(-4000)}`,
        );
      }
      const res = await fetch(
        `${backend.url}/.backstage/health/v1/readiness`,
      ).catch(() => undefined);
      return res?.ok || undefined;
    },
  );
  return backend;
}

const TOKEN = randomBytes(24).toString('base64url');

function configOverrides(port) {
  return `backend:
  baseUrl: http://127.0.0.1:${port}
  listen:
    port: ${port}
    host: 127.0.0.1
  auth:
    externalAccess:
      - type: static
        options:
          token: ${TOKEN}
          subject: stock-portal-check
catalog:
  locations:
    - type: file
      target: ${path.join(WORK, 'annotated-entity.yaml')}
      rules:
        - allow: [Component]
`;
}

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) fail(`gave up waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

async function api(backend, route, init = {}) {
  const res = await fetch(`${backend.url}${route}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

function directoryContents(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return directoryContents(full, base);
    return [
      {
        path: path.relative(base, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      },
    ];
  });
}

async function checkScaffolder(backend) {
  const actions = await api(backend, '/api/scaffolder/v2/actions');
  const ids = (actions.body ?? []).map(a => a.id);
  const missing = OUR_ACTIONS.filter(id => !ids.includes(id));
  if (actions.status !== 200 || missing.length) {
    fail(
      `scaffolder actions: ${actions.status}, missing ${missing.join(', ')}`,
    );
  }
  log(`the scaffolder lists ${OUR_ACTIONS.join(', ')}`);
  const template = await until('the template in the catalog', 120, async () => {
    const res = await api(
      backend,
      '/api/catalog/entities/by-name/template/default/vote-service',
    );
    return res.status === 200 ? res.body : undefined;
  });
  const templateDir = path.join(
    PORTAL,
    'node_modules/@aws-workload/plugin-catalog-backend-module-aws-workload-templates/templates/vote-service',
  );
  const dryRun = await api(backend, '/api/scaffolder/v2/dry-run', {
    method: 'POST',
    body: JSON.stringify({
      template,
      values: {
        name: 'ballot',
        owner: 'group:default/guests',
        description: 'Votes on lunch',
        voteOptions: ['pizza', 'salad'],
        awsAccountId: '123456789012',
        awsRegion: 'eu-west-3',
        iac: 'terraform',
        credentials: 'irsa',
        createCluster: false,
        clusterName: 'prod-eu',
        namespace: 'ballot',
        repoUrl: 'github.com?owner=acme&repo=ballot',
      },
      secrets: {},
      directoryContents: directoryContents(templateDir),
    }),
  });
  const files = (dryRun.body?.directoryContents ?? []).map(f => f.path);
  if (
    dryRun.status !== 200 ||
    !files.includes('k8s/deployment.yaml') ||
    !files.some(f => f.startsWith('infra/terraform/'))
  ) {
    fail(
      `dry run: ${dryRun.status} ${JSON.stringify(dryRun.body).slice(0, 2000)}`,
    );
  }
  log(
    `the template is in the catalog and its dry run renders ${files.length} files`,
  );
}

async function checkEntityWithoutAws(backend) {
  await until('the annotated entity in the catalog', 120, async () => {
    const res = await api(
      backend,
      '/api/catalog/entities/by-name/component/default/shop-orders',
    );
    return res.status === 200 || undefined;
  });
  const view = await api(
    backend,
    '/api/aws-workload/entity/component/default/shop-orders',
  );
  if (view.status !== 200)
    fail(
      `entity endpoint answered ${view.status}: ${JSON.stringify(view.body)}`,
    );
  const statuses = ['table', 'images', 'workloads'].map(
    s => `${s}: ${view.body[s]?.status}`,
  );
  if (
    !['table', 'images', 'workloads'].every(
      s => view.body[s]?.status === 'error',
    )
  ) {
    fail(
      `expected an error per section without AWS, got ${JSON.stringify(
        view.body,
      ).slice(0, 2000)}`,
    );
  }
  log(
    `the entity endpoint answers 200 with per-section errors (${statuses.join(
      ', ',
    )})`,
  );
  for (const s of ['table', 'images', 'workloads']) {
    log(`  ${s}: ${view.body[s].error.name}: ${view.body[s].error.message}`);
  }
}

async function checkFleetPolicy(backend) {
  const guest = await fetch(
    `${backend.url}/api/auth/guest/refresh?env=development`,
  );
  const token = (await guest.json()).backstageIdentity?.token;
  if (!token) fail('no guest token from the stock portal');
  const asGuest = await api(backend, '/api/aws-workload/fleet', {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (asGuest.status !== 403)
    fail(`the fleet answered a guest outside the team with ${asGuest.status}`);
  log('the README policy refuses the fleet to a user outside its team (403)');
}

async function checkDemo(backend) {
  const fleet = await until(
    'a fleet refresh with the five demo services',
    180,
    async () => {
      const res = await api(backend, '/api/aws-workload/fleet?limit=1000');
      const names = (res.body?.items ?? []).map(i => i.name);
      return res.status === 200 &&
        res.body.lastRefresh?.status === 'succeeded' &&
        Object.keys(DEMO_MODES).every(n => names.includes(n))
        ? res.body
        : undefined;
    },
  );
  const modes = Object.fromEntries(
    fleet.items.filter(i => DEMO_MODES[i.name]).map(i => [i.name, i.modes]),
  );
  if (
    JSON.stringify(modes, Object.keys(DEMO_MODES)) !==
    JSON.stringify(DEMO_MODES, Object.keys(DEMO_MODES))
  ) {
    fail(`demo modes: ${JSON.stringify(modes)}`);
  }
  const view = await api(
    backend,
    '/api/aws-workload/entity/component/default/vote-broken-irsa',
  );
  if (view.status !== 200 || view.body.demo !== true)
    fail(`demo entity view: ${view.status}`);
  log(`the demo gives the five modes: ${JSON.stringify(modes)}`);
}

function checkCli(tarballs) {
  const dir = path.join(WORK, 'cli');
  fs.mkdirSync(path.join(dir, 'k8s'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'k8s/deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: orders, namespace: shop }
spec:
  selector: { matchLabels: { app: orders } }
  template:
    metadata: { labels: { app: orders } }
    spec:
      containers:
        - name: orders
          image: orders:1
          env:
            - { name: AWS_ACCESS_KEY_ID, value: AKIAZZSTOCKPORTAL001 }
            - { name: AWS_SECRET_ACCESS_KEY, value: "stockPortalCheckNotARealSecretKey0000001" }
`,
  );
  const manifest = fs.readFileSync(
    path.join(dir, 'k8s/deployment.yaml'),
    'utf8',
  );
  const gate = generatedCiGate();
  // As the generated repository's CI runs it, from standard input as
  // `kustomize build | ... -` pipes it.
  for (const [args, input] of [
    [gate, undefined],
    [['-', '--format', 'sarif'], manifest],
  ]) {
    const result = spawnSyncNpx(dir, tarballs, args, input);
    if (result.status !== 1 || !/static-keys/.test(result.stdout)) {
      fail(
        `packed CLI ${args.join(' ')}: exit ${result.status}\n${
          result.stdout
        }\n${result.stderr}`,
      );
    }
    if (
      /stockPortalCheckNotARealSecretKey/.test(result.stdout + result.stderr)
    ) {
      fail('the packed CLI printed a secret');
    }
  }
  // A workload bound by IRSA passes the same gate.
  fs.writeFileSync(
    path.join(dir, 'k8s/deployment.yaml'),
    `apiVersion: v1
kind: ServiceAccount
metadata:
  name: orders
  namespace: shop
  annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/orders-service" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: orders, namespace: shop }
spec:
  selector: { matchLabels: { app: orders } }
  template:
    metadata: { labels: { app: orders } }
    spec:
      serviceAccountName: orders
      containers:
        - { name: orders, image: "orders:1" }
`,
  );
  const clean = spawnSyncNpx(dir, tarballs, gate);
  if (clean.status !== 0 || !/irsa/.test(clean.stdout)) {
    fail(
      `packed CLI on an IRSA workload: exit ${clean.status}\n${clean.stdout}\n${clean.stderr}`,
    );
  }
  log(
    "the packed CLI, run as the generated repository's CI runs it, exits 1 on static keys and 0 on IRSA; from standard input (SARIF) too",
  );
}

/**
 * The inspector step of the vote-service template's CI: its arguments, once
 * the pinned version is checked against the CLI packed here.
 */
function generatedCiGate() {
  const workflow = fs.readFileSync(
    path.join(
      ROOT,
      'plugins/catalog-backend-module-aws-workload-templates/templates/vote-service/skeleton/.github/workflows/deploy.yaml',
    ),
    'utf8',
  );
  const { version } = readJson(
    path.join(ROOT, 'packages/aws-workload-cli/package.json'),
  );
  const match = workflow.match(
    /npx --yes --package @aws-workload\/cli@(\S+) aws-workload inspect (.+)/,
  );
  if (!match) fail('the generated CI has no aws-workload inspect step');
  if (match[1] !== version)
    fail(
      `the generated CI pins @aws-workload/cli@${match[1]}, the package is ${version}`,
    );
  return match[2].trim().split(/\s+/);
}

function spawnSyncNpx(cwd, tarballs, args, input) {
  try {
    const stdout = execFileSync(
      'npx',
      [
        '--yes',
        '--package',
        tarballs['@aws-workload/plugin-aws-workload-common'],
        '--package',
        tarballs['@aws-workload/cli'],
        'aws-workload',
        'inspect',
        ...args,
      ],
      {
        cwd,
        encoding: 'utf8',
        input,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        timeout: 300_000,
      },
    );
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return {
      status: e.status,
      stdout: String(e.stdout),
      stderr: String(e.stderr),
    };
  }
}

async function main() {
  const manifest = readJson(MANIFEST);
  const blocks = readmeBlocks();
  log(`working in ${WORK}`);

  const tarballs = pack();
  log(`packed ${Object.keys(tarballs).length} packages`);

  run(
    'npx',
    ['-y', '@backstage/create-app@latest', '--skip-install', '--path', PORTAL],
    {
      cwd: WORK,
      env: { BACKSTAGE_APP_NAME: 'stock-portal' },
    },
  );
  const created = readJson(path.join(PORTAL, 'backstage.json')).version;
  run(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'versions:bump',
      '--skip-install',
    ],
    {
      cwd: PORTAL,
      env: { BACKSTAGE_MANIFEST_FILE: MANIFEST },
    },
  );
  const bumped = readJson(path.join(PORTAL, 'backstage.json')).version;
  if (bumped !== manifest.releaseVersion) {
    fail(
      `backstage.json says ${bumped} after the bump, not ${manifest.releaseVersion}`,
    );
  }
  log(
    `create-app wrote Backstage ${created}; versions:bump moved it to ${bumped}`,
  );

  applyMachineFixes();
  applyYarnAdd(
    blocks.packages.find(b => b.lang === 'sh').code,
    tarballs,
    manifest,
  );
  resolveOurPackages(tarballs);
  addBackendLines(blocks.backend[0].code);
  addPermissionPolicy(blocks.permission[0].code);
  fs.writeFileSync(
    path.join(PORTAL, 'app-config.aws-workload.yaml'),
    blocks.config[0].code,
  );
  fs.writeFileSync(
    path.join(WORK, 'annotated-entity.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop-orders
  annotations:
    aws.amazon.com/dynamodb-table-arn: arn:aws:dynamodb:eu-west-3:123456789012:table/shop-orders
    aws.amazon.com/amazon-ecr-arn: arn:aws:ecr:eu-west-3:123456789012:repository/shop-orders
    backstage.io/kubernetes-id: shop-orders
    aws.amazon.com/eks-cluster-name: prod-eu
spec:
  type: service
  owner: group:default/guests
  lifecycle: production
`,
  );
  yarnInstall();
  log('installed the tarballs the README way');
  checkSingleCopies(tarballs);
  run('yarn', ['tsc'], { cwd: PORTAL });
  log('the portal type-checks with the README lines and policy');

  let backend = await startBackend(['app-config.aws-workload.yaml'], 'readme');
  await checkScaffolder(backend);
  await checkEntityWithoutAws(backend);
  await checkFleetPolicy(backend);
  await backend.stop();

  const [demoAdd, demoLine] = blocks.demo;
  applyYarnAdd(demoAdd.code, tarballs, manifest);
  addBackendLines(demoLine.code);
  yarnInstall();
  backend = await startBackend(['app-config.aws-workload.yaml'], 'demo');
  await checkDemo(backend);
  await backend.stop();

  run('yarn', ['workspace', 'app', 'build'], {
    cwd: PORTAL,
    timeout: 20 * 60_000,
  });
  const bundle = run('grep', [
    '-rl',
    'aws-workload',
    path.join(PORTAL, 'packages/app/dist'),
  ]);
  if (!bundle.trim()) fail('the built app holds no aws-workload code');
  log('the app builds, with the aws-workload plugin in its bundle');

  checkCli(tarballs);
  log('stock-portal check passed');
}

main().then(
  () => {
    if (!keep) fs.rmSync(WORK, { recursive: true, force: true });
    process.exit(0);
  },
  async error => {
    for (const backend of backends) await backend.stop();
    process.stderr.write(
      `[stock-portal] FAILED: ${error.message}\n(work left in ${WORK})\n`,
    );
    process.exit(1);
  },
);
