import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AwsClientFactory } from './AwsClientFactory';
import { RequestGate } from './RequestGate';

const credentials: AwsCredentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIALOCALTESTONLY000',
      secretAccessKey: 'local-test-only',
    }),
  }),
};

/**
 * A DynamoDB endpoint on loopback that answers every call as DynamoDB does
 * when it throttles (or with a 503), counting the HTTP requests: what the
 * SDK itself would send, retries included, which a mocked `send` hides.
 */
async function upstream(answer: 'throttle' | 'unavailable') {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      if (answer === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            message: 'Rate of requests exceeds the allowed throughput.',
          }),
        );
      } else {
        res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
            message: 'Service unavailable',
          }),
        );
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise(r => server.close(r)),
  };
}

describe('AwsClientFactory retries', () => {
  it.each([
    ['a throttled call', 'throttle'],
    ['a call answered 503', 'unavailable'],
  ] as const)(
    'tries %s exactly maxAttempts times over HTTP: the gate is the one retry layer',
    async (_, answer) => {
      const dynamodb = await upstream(answer);
      try {
        const gate = new RequestGate({
          maxConcurrentPerAccount: 4,
          baseBackoffMs: 1,
          maxBackoffMs: 2,
        });
        // As the fleet refresh builds its clients: the entity page's
        // factory (3 attempts) behind the refresh's own gate (4 attempts).
        const factory = new AwsClientFactory(credentials, {
          timeoutMs: 2000,
          maxAttempts: 3,
          endpoints: { dynamodb: dynamodb.endpoint },
        }).withGate(gate, 4);
        const client = await factory.client(
          'dynamodb',
          '123456789012',
          'eu-west-3',
        );
        await expect(
          client.send(new DescribeTableCommand({ TableName: 'votes' })),
        ).rejects.toThrow();
        // Not 12: the SDK's 3 attempts inside each of the gate's 4.
        expect(dynamodb.requests()).toBe(4);
        // Every attempt failed: the caller got the error.
        expect(gate.stats.exhausted.dynamodb).toBe(1);
        expect(gate.stats.throttled.dynamodb ?? 0).toBe(
          answer === 'throttle' ? 4 : 0,
        );
      } finally {
        await dynamodb.close();
      }
    },
  );

  it('sends once without a gate', async () => {
    const dynamodb = await upstream('throttle');
    try {
      const factory = new AwsClientFactory(credentials, {
        timeoutMs: 2000,
        maxAttempts: 4,
        endpoints: { dynamodb: dynamodb.endpoint },
      });
      const client = await factory.client('dynamodb', undefined, 'eu-west-3');
      await expect(
        client.send(new DescribeTableCommand({ TableName: 'votes' })),
      ).rejects.toThrow(/Rate of requests exceeds/);
      expect(dynamodb.requests()).toBe(1);
    } finally {
      await dynamodb.close();
    }
  });
});
