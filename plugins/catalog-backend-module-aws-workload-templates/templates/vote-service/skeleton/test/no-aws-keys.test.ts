import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', '.git']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Credentials come from IRSA or Pod Identity; no file of this repository may carry keys.
it('no manifest, infrastructure file or source carries AWS access keys', () => {
  const offenders = files(ROOT)
    .filter(f => !f.endsWith('no-aws-keys.test.ts'))
    .filter(f => {
      const text = readFileSync(f, 'utf8');
      return (
        /\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(text) ||
        /AWS_SECRET_ACCESS_KEY|aws_secret_access_key/.test(text)
      );
    });
  assert.deepEqual(offenders, []);
});
