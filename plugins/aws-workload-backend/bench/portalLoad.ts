/**
 * yarn bench:portal — the plugin's routes under load in a real portal
 * backend, beside the catalog's own read of an entity:
 * - `createBackend()` of @backstage/backend-defaults with its real core
 *   services (auth, httpAuth, userInfo, permissions, discovery, database on
 *   SQLite in memory, memory cache: what `yarn start` runs);
 * - the real auth backend with the guest provider (signed user tokens), the
 *   real catalog backend holding 1,000 generated entities, the real
 *   permission backend with a policy module that grants
 *   `aws-workload.fleet.read` to the signed-in user, and this plugin;
 * - upstreams that cannot run here: Kubernetes API servers on loopback ports
 *   and the AWS SDK clients mocked in-process (the simulated fleet of
 *   bench:fleet, 50 ms per call, no rate limits).
 *
 * 200 clients for 30 s per route, from a separate process; the catalog's
 * `GET /api/catalog/entities/by-name/...` over the 1,000 entities sets the
 * bar (each route's p99 at most 1.5 times its p99). RSS is read at the
 * start, after a warm-up round of every route (the steady state), after the
 * measured round and a minute later.
 *
 * Flags: --duration <s> per route (default 30), --settle <s> before the
 * last RSS reading (default 60), --entities <n> (default 1000), --warmup
 * <n> rounds of every route before the measured one (default 1), --only
 * <keys> for a subset of the routes (catalog, entity, fleet,
 * fleet-static-keys, and two not run by default: fleet-one, the smallest
 * answer, and liveness, the HTTP stack with no auth and no plugin; the
 * first route listed is then the bar), to tell which part of a cost is
 * whose.
 */
import {
  coreServices,
  createBackendModule,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { fleetReadPermission } from '@aws-workload/plugin-aws-workload-common';
import fs from 'node:fs';
import os from 'node:os';
import { awsWorkloadPlugin } from '../src/plugin';
import {
  arg,
  benchPortalBackend,
  benchPortalConfig,
  guestToken,
  loadFromChild,
  markdownTable,
  waitFor,
} from './benchKit';
import { ACCOUNT } from '../src/__fixtures__/aws';
import { SimulatedFleet } from '../src/__testUtils__/simulatedFleet';
import { catalogEntitiesModule } from '../src/__testUtils__/catalogEntities';

const DURATION_S = Number(arg('duration') ?? 30);
const SETTLE_S = Number(arg('settle') ?? 60);
const ENTITIES = Number(arg('entities') ?? 1000);
/**
 * --warmup <n>: rounds of every route (each followed by the settle time)
 * before the measured one, so that RSS is read in the steady state of a
 * portal under this load: the first round raises the process's memory to a
 * level that later rounds do not pass (the allocator's and V8's high water,
 * measured with 2 rounds: 1,455 then 1,445 MiB).
 */
const WARMUP_ROUNDS = Number(arg('warmup') ?? 1);
/** --only catalog,entity,...: a subset of the routes, for a look at one. */
const ONLY = arg('only')?.split(',');
const CONNECTIONS = 200;
const P99_RATIO_TARGET = 1.5;
const RSS_TARGET_MIB = 250;
const FLEET_TASK = 'aws-workload-fleet-refresh';
const SIGNED_IN = 'user:development/guest';

const fleet = new SimulatedFleet({
  entities: ENTITIES,
  clusters: 5,
  podsPerEntity: 3,
  roles: Math.max(1, Math.round(ENTITIES * 0.3)),
  latencyMs: 50,
});

/**
 * The portal's own policy, as the README's install section writes one: the
 * fleet for the readers it names (here the signed-in guest, through the
 * user-info service, as a group check would), everything else allowed.
 */
class FleetReadersPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly readers: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, fleetReadPermission)) {
      const owners = user
        ? (await this.userInfo.getUserInfo(user.credentials))
            .ownershipEntityRefs
        : [];
      return {
        result: owners.some(o => this.readers.includes(o))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const benchPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'bench-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new FleetReadersPolicy(userInfo, [SIGNED_IN]));
      },
    });
  },
});

/** The generated entities, through the catalog's own provider path. */
const benchEntities = catalogEntitiesModule('bench-entities', fleet.entities);

/** Lets the bench start the first fleet refresh once the catalog is full. */
let awsWorkloadScheduler: SchedulerService | undefined;
const schedulerHandle = createBackendModule({
  pluginId: 'aws-workload',
  moduleId: 'bench-scheduler-handle',
  register(env) {
    env.registerInit({
      deps: { scheduler: coreServices.scheduler },
      async init({ scheduler }) {
        awsWorkloadScheduler = scheduler;
      },
    });
  },
});

const ALL_ROUTES = (catalogPaths: string[], entityPaths: string[]) => [
  {
    key: 'catalog',
    title: `catalog GET /entities/by-name/... (${ENTITIES} in turn)`,
    paths: catalogPaths,
  },
  {
    key: 'entity',
    title: `GET /aws-workload/entity/... (${ENTITIES} in turn)`,
    paths: entityPaths,
  },
  {
    key: 'fleet',
    title: 'GET /aws-workload/fleet?limit=100',
    paths: ['/api/aws-workload/fleet?limit=100'],
  },
  {
    key: 'fleet-static-keys',
    title: 'GET /aws-workload/fleet?mode=static-keys&limit=100',
    paths: ['/api/aws-workload/fleet?mode=static-keys&limit=100'],
  },
  // Not in the default run: the smallest answer, to tell per-request costs
  // from the cost of an answer's size.
  {
    key: 'fleet-one',
    title: 'GET /aws-workload/fleet?limit=1',
    paths: ['/api/aws-workload/fleet?limit=1'],
    optional: true,
  },
  // Not in the default run: no auth, no plugin, the HTTP stack alone.
  {
    key: 'liveness',
    title: 'GET /.backstage/health/v1/liveness',
    paths: ['/.backstage/health/v1/liveness'],
    optional: true,
  },
];

const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

interface Row {
  route: string;
  reqPerS: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** The backend's RSS right after the route's run. */
  rssAfter: number;
}

/** One route under load from a separate process (loadClient.js). */
async function load(
  url: string,
  paths: string[],
  route: string,
  token: string,
): Promise<Row> {
  const job = {
    url,
    paths,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' },
  };
  const result = await loadFromChild(job);
  return {
    route,
    reqPerS: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rssAfter: rssMiB(),
  };
}

/** RSS after a full collection, with the V8 heap and off-heap parts. */
function settledMemory() {
  (global as any).gc?.();
  const m = process.memoryUsage();
  return {
    rss: m.rss / 2 ** 20,
    heapUsed: m.heapUsed / 2 ** 20,
    heapTotal: m.heapTotal / 2 ** 20,
    external: m.external / 2 ** 20,
  };
}

const describeMemory = (m: ReturnType<typeof settledMemory>) =>
  `RSS ${m.rss.toFixed(0)} MiB (V8 heap ${m.heapUsed.toFixed(
    0,
  )} used of ${m.heapTotal.toFixed(0)}, external ${m.external.toFixed(0)})`;

async function main() {
  const kubernetes = await fleet.serveKubernetes();
  const awsMocks = fleet.mockAws();
  const { url, configFile, tmpDir } = await benchPortalConfig('bench-portal-', {
    catalog: { rules: [{ allow: ['Component'] }] },
    aws: {
      accounts: [
        {
          accountId: ACCOUNT,
          accessKeyId: 'AKIABENCHLOCAL000000',
          secretAccessKey: 'bench',
        },
      ],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'config', clusters: kubernetes.clusters },
      ],
    },
    // The first run starts with the backend, on a catalog still filling;
    // the bench triggers the next once it is full, and none runs during
    // the load. (A global task's worker starts after initialDelay, so a
    // trigger before then would wait for it.)
    awsWorkload: {
      fleet: {
        schedule: {
          frequency: { hours: 6 },
          timeout: { minutes: 5 },
        },
      },
    },
  });
  const backend = benchPortalBackend(configFile);
  backend.add(benchEntities);
  backend.add(benchPolicy);
  backend.add(awsWorkloadPlugin);
  backend.add(schedulerHandle);
  await backend.start();

  const token = await guestToken(url);
  const headers = { authorization: `Bearer ${token}` };
  const started = Date.now();
  await waitFor(`${ENTITIES} entities in the catalog`, async () => {
    const res = await fetch(
      `${url}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
      { headers },
    );
    const body = (await res.json()) as { totalItems?: number };
    return body.totalItems === ENTITIES ? true : undefined;
  });
  const catalogReadyS = (Date.now() - started) / 1000;
  let lastFleetAnswer: unknown;
  await waitFor(
    () =>
      `a fleet refresh of the full catalog (last answer: ${JSON.stringify(
        lastFleetAnswer,
      )?.slice(0, 300)})`,
    async () => {
      // Refused while a run is under way; the next probe asks again.
      await awsWorkloadScheduler!.triggerTask(FLEET_TASK).catch(() => {});
      const res = await fetch(`${url}/api/aws-workload/fleet?limit=1`, {
        headers,
      });
      const body = (await res.json()) as {
        totalItems?: number;
        lastRefresh?: { status: string };
      };
      lastFleetAnswer = body;
      return body.lastRefresh?.status === 'succeeded' &&
        body.totalItems === ENTITIES
        ? true
        : undefined;
    },
  );

  const names = fleet.members.map(m => m.name);
  const catalogPaths = names.map(
    n => `/api/catalog/entities/by-name/component/default/${n}`,
  );
  const entityPaths = names.map(
    n => `/api/aws-workload/entity/component/default/${n}`,
  );
  const routes = ALL_ROUTES(catalogPaths, entityPaths).filter(r =>
    ONLY ? ONLY.includes(r.key) : !r.optional,
  );
  const coldRss = settledMemory().rss;
  const settledAfterWarmup: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    for (const { title, paths } of routes) {
      await load(url, paths, title, token);
    }
    await new Promise(r => setTimeout(r, SETTLE_S * 1000));
    settledAfterWarmup.push(settledMemory().rss);
  }
  // Every entity viewed once first, 50 at a time, as a portal in use has
  // them; the cold path (AWS latency) is bench:entity-view's.
  for (let i = 0; i < entityPaths.length; i += 50) {
    await Promise.all(
      entityPaths.slice(i, i + 50).map(p =>
        fetch(`${url}${p}`, { headers }).then(async r => {
          if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
          await r.arrayBuffer();
        }),
      ),
    );
  }
  await new Promise(r => setTimeout(r, 2000));
  const before = settledMemory();
  const rssBefore = before.rss;

  const rows: Row[] = [];
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssMiB());
  }, 100);
  for (const { title, paths } of routes) {
    rows.push(await load(url, paths, title, token));
  }
  clearInterval(sampler);
  const rssAfter = rssMiB();
  await new Promise(r => setTimeout(r, SETTLE_S * 1000));
  const settled = settledMemory();
  const rssSettled = settled.rss;

  await backend.stop();
  await kubernetes.close();
  awsMocks.forEach(m => m.restore());
  fs.rmSync(tmpDir, { recursive: true, force: true });

  const bar = rows[0].p99;
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const p99Met = rows.slice(1).every(r => r.p99 <= P99_RATIO_TARGET * bar);
  const clean = rows.every(r => r.errors + r.timeouts + r.non2xx === 0);
  const rssMet = rssSettled - rssBefore <= RSS_TARGET_MIB;
  process.stdout.write(
    [
      `portal load: createBackend() with the real auth (guest), catalog (${ENTITIES} entities, ready after ${catalogReadyS.toFixed(
        0,
      )} s), permission backend (a policy granting ${
        fleetReadPermission.name
      } to ${SIGNED_IN}) and aws-workload; SQLite in memory, memory cache; ${CONNECTIONS} connections, ${DURATION_S} s per route, one signed-in user; upstreams 50 ms, no rate limits; every entity viewed once before (Node ${
        process.version
      }, ${os.cpus().length} cores, ${
        process.env.MALLOC_ARENA_MAX
          ? `MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX}`
          : "glibc's default malloc arenas"
      })`,
      markdownTable(
        [
          'route',
          'req/s',
          'p50 ms',
          'p99 ms',
          'p99 / catalog p99',
          'requests',
          'errors',
          'timeouts (10 s)',
          'non-2xx',
          'RSS after (MiB)',
        ],
        rows.map(r => [
          r.route,
          String(r.reqPerS),
          fmt(r.p50),
          fmt(r.p99),
          `${(r.p99 / bar).toFixed(2)}x`,
          String(r.requests),
          String(r.errors),
          String(r.timeouts),
          String(r.non2xx),
          r.rssAfter.toFixed(0),
        ]),
      ),
      `RSS: ${rssBefore.toFixed(0)} MiB before (${
        WARMUP_ROUNDS ? 'steady state, after the warm-up' : 'no warm-up'
      }), peak ${rssPeak.toFixed(0)} MiB during, ${rssAfter.toFixed(
        0,
      )} MiB right after, ${rssSettled.toFixed(0)} MiB ${SETTLE_S} s after (+${(
        rssSettled - rssBefore
      ).toFixed(0)} MiB)`,
      `RSS at the start (no load yet): ${coldRss.toFixed(
        0,
      )} MiB; ${WARMUP_ROUNDS} warm-up round(s) of every route, RSS ${SETTLE_S} s after each: ${
        settledAfterWarmup.map(r => `${r.toFixed(0)} MiB`).join(', ') || '—'
      }`,
      `memory before: ${describeMemory(
        before,
      )}; ${SETTLE_S} s after: ${describeMemory(settled)}`,
      `targets: each route's p99 <= ${P99_RATIO_TARGET}x the catalog's (${fmt(
        bar,
      )} ms) ${p99Met ? 'met' : 'MISSED'}; no errors, timeouts or non-2xx ${
        clean ? 'met' : 'MISSED'
      }; RSS ${SETTLE_S} s after within ${RSS_TARGET_MIB} MiB of before ${
        rssMet ? 'met' : 'MISSED'
      }`,
      '',
    ].join('\n'),
  );
  process.exit(p99Met && clean && rssMet ? 0 : 1);
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
