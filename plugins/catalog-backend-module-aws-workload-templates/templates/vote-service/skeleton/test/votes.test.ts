import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnknownOption, VoteStore } from '../src/votes.ts';
import { startDynamo } from './helpers.ts';

describe('VoteStore', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let store: VoteStore;

  before(async () => {
    dynamo = await startDynamo('votes');
    store = new VoteStore(dynamo.client, 'votes', ['up', 'down']);
  });
  after(() => dynamo.close());

  it('counts zero for options nobody voted for', async () => {
    assert.deepEqual(await store.counts(), { up: 0, down: 0 });
  });

  it('adds votes atomically, even when they arrive together', async () => {
    await Promise.all(Array.from({ length: 20 }, () => store.vote('up')));
    await store.vote('down');
    assert.deepEqual(await store.counts(), { up: 20, down: 1 });
  });

  it('refuses an option that is not configured', async () => {
    await assert.rejects(store.vote('sideways'), UnknownOption);
  });

  it('retries the keys DynamoDB leaves unprocessed', async () => {
    const calls: unknown[] = [];
    const flaky = {
      async send(command: { input: any }) {
        calls.push(command.input);
        const keys = command.input.RequestItems.t.Keys;
        if (calls.length === 1) {
          return {
            Responses: { t: [{ name: { S: 'up' }, count: { N: '3' } }] },
            UnprocessedKeys: {
              t: { Keys: keys.filter((k: any) => k.name.S === 'down') },
            },
          };
        }
        return {
          Responses: { t: [{ name: { S: 'down' }, count: { N: '4' } }] },
        };
      },
    };
    const counts = await new VoteStore(flaky as any, 't', [
      'up',
      'down',
    ]).counts();
    assert.deepEqual(counts, { up: 3, down: 4 });
    assert.equal(calls.length, 2);
  });
});
