/* One inspection in a process of its own, as a CI job runs it: prints the
 * time from start to answer and the peak resident memory. */
const started = process.hrtime.bigint();
// In this repository the -common package is TypeScript (its package.json
// points at src/), so it is transformed as it loads, which this run pays for.
require('@backstage/cli-node/config/nodeTransform.cjs');

const { main } = require(process.argv[2]);
let bytes = 0;
main(['inspect', process.argv[3], '--json'], {
  stdout: text => (bytes += text.length),
  stderr: text => process.stderr.write(text),
  cwd: process.cwd(),
  env: { PATH: '' },
}).then(code => {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    JSON.stringify({
      code,
      ms,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      bytes,
    }),
  );
});
