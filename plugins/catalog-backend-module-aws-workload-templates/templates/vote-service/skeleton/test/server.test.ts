import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHandler } from '../src/app.ts';
import { VoteStore } from '../src/votes.ts';
import { startDynamo } from './helpers.ts';

describe('HTTP API', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let server: Server;
  let base: string;
  let ready = true;

  before(async () => {
    dynamo = await startDynamo('votes');
    const store = new VoteStore(dynamo.client, 'votes', ['up', 'down']);
    server = createServer(createHandler(store, () => ready));
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise(resolve => server.close(resolve));
    await dynamo.close();
  });

  const vote = (body: unknown) =>
    fetch(`${base}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('serves a page with one button per option', async () => {
    const html = await (await fetch(base)).text();
    assert.match(html, /data-option="up"/);
    assert.match(html, /data-option="down"/);
  });

  it('counts a vote and returns every count in one GET', async () => {
    assert.equal((await vote({ vote: 'up' })).status, 200);
    assert.deepEqual(await (await fetch(`${base}/vote`)).json(), {
      up: 1,
      down: 0,
    });
  });

  it('answers 400 for anything that is not a configured option', async () => {
    for (const body of [{ vote: 'sideways' }, { vote: 1 }, {}, 'up']) {
      assert.equal((await vote(body)).status, 400, JSON.stringify(body));
    }
    const raw = await fetch(`${base}/vote`, {
      method: 'POST',
      body: '{not json',
    });
    assert.equal(raw.status, 400);
  });

  it('is healthy, and not ready once it shuts down', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    ready = false;
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    ready = true;
  });
});
