import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createHandler } from './app.ts';
import { readConfig } from './config.ts';
import { createDynamoClient, VoteStore } from './votes.ts';

const config = readConfig();
const store = new VoteStore(
  createDynamoClient(config.region, config.endpoint),
  config.table,
  config.options,
);
let ready = true;
// Read on each use: the driver rewrites the file when the secret rotates.
const adminToken = () =>
  config.adminTokenFile
    ? readFileSync(config.adminTokenFile, 'utf8').trim() || undefined
    : undefined;
const server = createServer(createHandler(store, () => ready, adminToken));

server.listen(config.port, () => {
  console.log(
    `vote service on :${config.port}, table ${
      config.table
    }, options ${config.options.join(', ')}`,
  );
});

// Kubernetes sends SIGTERM, then waits: stop taking traffic, finish what is in flight.
process.on('SIGTERM', () => {
  ready = false;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
