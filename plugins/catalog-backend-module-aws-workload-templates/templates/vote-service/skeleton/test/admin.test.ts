import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHandler } from '../src/app.ts';
import { VoteStore } from '../src/votes.ts';
import { startDynamo } from './helpers.ts';

describe('resetting the counts with the admin token', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let servers: Server[] = [];
  let store: VoteStore;
  // As the Secrets Store CSI driver mounts it: a file with the value.
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'secret-')), 'admin-token');
  writeFileSync(tokenFile, 's3cret-from-secrets-manager\n');

  const start = async (adminToken: () => string | undefined) => {
    const server = createServer(createHandler(store, () => true, adminToken));
    servers.push(server);
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const reset = (base: string, token?: string) =>
    fetch(`${base}/admin/reset`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  before(async () => {
    dynamo = await startDynamo('votes');
    store = new VoteStore(dynamo.client, 'votes', ['up', 'down']);
  });
  after(async () => {
    await Promise.all(
      servers.map(s => new Promise(resolve => s.close(resolve))),
    );
    servers = [];
    await dynamo.close();
  });

  it('resets every count with the token from the mounted file, and refuses any other', async () => {
    const { readFileSync } = await import('node:fs');
    const base = await start(() => readFileSync(tokenFile, 'utf8').trim());
    await store.vote('up');
    await store.vote('down');
    assert.equal((await reset(base)).status, 401);
    assert.equal((await reset(base, 'guess')).status, 401);
    assert.deepEqual(await store.counts(), { up: 1, down: 1 });
    const ok = await reset(base, 's3cret-from-secrets-manager');
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { up: 0, down: 0 });
  });

  it('has no admin route without a secret', async () => {
    const base = await start(() => undefined);
    assert.equal((await reset(base, 'anything')).status, 404);
  });
});
