#!/usr/bin/env node
/**
 * Builds a Backstage release manifest ({ releaseVersion, packages: [{ name, version }] })
 * from what the npm registry serves, for `backstage-cli versions:bump` through
 * BACKSTAGE_MANIFEST_FILE, where versions.backstage.io cannot be reached.
 *
 *   node scripts/backstage-release/build-manifest.mjs 1.57.0 @backstage/frontend-plugin-api@1.0.0 > manifest.json
 *
 * The marker is a package version that only that release published. Every
 * @backstage package named in this repository's manifests and yarn.lock, and
 * in the portal that @backstage/create-app writes, gets the newest stable
 * version the registry published no later than the marker plus a grace period
 * (a release publishes its packages over a few minutes; packages it did not
 * change keep their older version).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GRACE_MS = 36 * 60 * 60 * 1000;
const [releaseVersion, marker, ...extraNames] = process.argv.slice(2);
if (!releaseVersion || !marker?.includes('@', 1)) {
  process.stderr.write(
    'usage: build-manifest.mjs <release version> <marker package@version> [more package names]\n',
  );
  process.exit(2);
}

const root = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../..',
);

async function npmJson(args) {
  const { stdout } = await run('npm', ['view', '--json', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

function namesInRepository() {
  const names = new Set(extraNames);
  const lock = fs.readFileSync(path.join(root, 'yarn.lock'), 'utf8');
  for (const match of lock.matchAll(/^"?(@backstage\/[a-z0-9-]+)@/gm)) {
    names.add(match[1]);
  }
  return names;
}

async function namesInCreateApp() {
  const dir = fs.mkdtempSync(
    path.join(process.env.TMPDIR ?? '/tmp', 'create-app-'),
  );
  await run('npm', ['pack', '--silent', '@backstage/create-app@latest'], {
    cwd: dir,
  });
  const tarball = fs.readdirSync(dir).find(f => f.endsWith('.tgz'));
  await run('tar', ['xzf', tarball], { cwd: dir });
  const names = new Set();
  const walk = d => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.startsWith('package.json')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/"(@backstage\/[a-z0-9-]+)"/g))
          names.add(m[1]);
      }
    }
  };
  walk(path.join(dir, 'package', 'templates'));
  fs.rmSync(dir, { recursive: true, force: true });
  return names;
}

const compare = (a, b) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};

async function releaseVersionOf(name, cutoff) {
  const times = await npmJson([name, 'time']);
  const stable = Object.entries(times).filter(
    ([version, at]) =>
      /^\d+\.\d+\.\d+$/.test(version) && Date.parse(at) <= cutoff,
  );
  if (stable.length === 0) return undefined;
  return stable
    .map(([v]) => v)
    .sort(compare)
    .at(-1);
}

const [markerName, markerVersion] = [
  marker.slice(0, marker.lastIndexOf('@')),
  marker.slice(marker.lastIndexOf('@') + 1),
];
const markerTimes = await npmJson([markerName, 'time']);
if (!markerTimes[markerVersion]) {
  throw new Error(`${marker} is not served by the registry`);
}
const cutoff = Date.parse(markerTimes[markerVersion]) + GRACE_MS;
const names = [
  ...new Set([...namesInRepository(), ...(await namesInCreateApp())]),
].sort();

const packages = [];
const queue = [...names];
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const version = await releaseVersionOf(name, cutoff).catch(
        () => undefined,
      );
      if (version) packages.push({ name, version });
      else process.stderr.write(`not served: ${name}\n`);
    }
  }),
);
packages.sort((a, b) => a.name.localeCompare(b.name));
process.stdout.write(
  `${JSON.stringify({ releaseVersion, packages }, null, 2)}\n`,
);
