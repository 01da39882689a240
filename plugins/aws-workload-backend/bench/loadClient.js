/**
 * The load generator of `yarn bench:fleet`, in a process of its own so that
 * it does not share the backend's event loop. Reads its job as JSON from
 * argv[2]: { url, paths, connections, duration, headers }; prints the
 * autocannon result as JSON.
 *
 * One path: plain requests. Several: a request sequence, one entry per path;
 * autocannon reconnects at the end of each sequence, so a sequence of one
 * would reconnect after every request (and measure reconnects, not the API).
 */
const autocannon = require('autocannon');

const job = JSON.parse(process.argv[2]);
const sequence =
  job.paths.length > 1
    ? { requests: job.paths.map(path => ({ method: 'GET', path })) }
    : { url: `${job.url}${job.paths[0]}` };
autocannon(
  {
    url: job.url,
    connections: job.connections,
    duration: job.duration,
    headers: job.headers,
    ...sequence,
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
