/**
 * yarn bench:fleet — the fleet refresh against the naive alternative (the
 * entity view computed once per entity), in one run, on a simulated fleet:
 * 1,000 entities on 5 clusters, 3,000 pods, 1,000 tables and repositories,
 * 300 roles shared between entities; every upstream answers after 50 ms and
 * throttles above 50 requests per second per service (per account for AWS,
 * per cluster for Kubernetes); at most 20 calls in flight per account.
 * Then a load run with autocannon against a running backend: 200 clients
 * on /fleet and on the entity endpoint for 30 s each.
 *
 * Flags: --scale <0..1> shrinks the fleet (for a quick try), --no-load
 * and --no-compare skip a part, --duration <s> sets the load run's length.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import knexFactory from 'knex';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { awsWorkloadPlugin } from '../src/plugin';
import { arg, loadFromChild, markdownTable, silentLogger } from './benchKit';
import { testAwsClients } from '../src/__testUtils__/awsClients';
import { FleetRefresher } from '../src/fleet/FleetRefresher';
import { FleetStore } from '../src/fleet/FleetStore';
import { CachedLoader } from '../src/clients/CachedLoader';
import { DynamoDbService } from '../src/clients/DynamoDbService';
import { EcrService } from '../src/clients/EcrService';
import { EksService } from '../src/clients/EksService';
import { EntityViewService } from '../src/views/EntityViewService';
import { IamService } from '../src/clients/IamService';
import { KubernetesService } from '../src/clients/KubernetesService';
import { memoryCache } from '../src/__testUtils__/memoryCache';
import { RequestGate } from '../src/clients/RequestGate';
import { ACCOUNT } from '../src/__fixtures__/aws';
import {
  SERVICES,
  SimService,
  SimulatedFleet,
} from '../src/__testUtils__/simulatedFleet';

const SCALE = Number(arg('scale') ?? 1);
const LOAD = !process.argv.includes('--no-load');
const COMPARE = !process.argv.includes('--no-compare');
const DURATION_S = Number(arg('duration') ?? 30);
const RATE = 50;
const LATENCY_MS = 50;
const IN_FLIGHT = 20;
const MAX_ATTEMPTS = 8;
/** The memory run: distinct large /fleet queries from one caller. */
const DISTINCT_QUERIES = 1000;
const DISTINCT_CONCURRENCY = 8;
const MEMORY_SETTLE_S = 11;
const MEMORY_TARGET_MIB = 250;

const shape = {
  entities: Math.round(1000 * SCALE),
  clusters: 5,
  podsPerEntity: 3,
  roles: Math.max(1, Math.round(300 * SCALE)),
  latencyMs: LATENCY_MS,
  ratePerSecond: RATE,
};

/**
 * The client-side bounds both ways share: 20 in flight, and a pace per
 * service at the limit (or off from it by a factor, to provoke throttling).
 */
function gate(paceFactor = 1) {
  return new RequestGate({
    maxConcurrentPerAccount: IN_FLIGHT,
    requestsPerSecond: Object.fromEntries(
      SERVICES.map(s => [s, RATE * paceFactor]),
    ),
  });
}

function clients(g: RequestGate, attempts: number) {
  return testAwsClients({ timeoutMs: 30_000, maxAttempts: attempts, gate: g });
}

/** Peak heap above the starting point, sampled every 10 ms. */
function memoryProbe() {
  (global as any).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 10);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return (peak - base) / 2 ** 20;
  };
}

interface Measured {
  wallMs: number;
  calls: Record<SimService, number>;
  throttled: Record<SimService, number>;
  peakMiB: number;
  failedSections: number;
  /** Calls the gate gave up on after every attempt was throttled. */
  dropped: number;
}

async function measure(
  fleet: SimulatedFleet,
  run: () => Promise<{ failedSections: number; dropped: number }>,
): Promise<Measured> {
  const callsBefore = { ...fleet.calls };
  const throttledBefore = { ...fleet.throttled };
  const stop = memoryProbe();
  const started = performance.now();
  const { failedSections, dropped } = await run();
  const wallMs = performance.now() - started;
  const peakMiB = stop();
  const sub = (a: Record<SimService, number>, b: Record<SimService, number>) =>
    Object.fromEntries(SERVICES.map(s => [s, a[s] - b[s]])) as Record<
      SimService,
      number
    >;
  return {
    wallMs,
    calls: sub(fleet.calls, callsBefore),
    throttled: sub(fleet.throttled, throttledBefore),
    peakMiB,
    failedSections,
    dropped,
  };
}

/** A refresher on its own in-memory store, as the plugin builds it. */
async function fleetRefresher(fleet: SimulatedFleet, paceFactor = 1) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await knex.migrate.latest({
    directory: path.resolve(__dirname, '../migrations'),
  });
  const store = new FleetStore(knex);
  const g = gate(paceFactor);
  const refresher = new FleetRefresher({
    catalog: catalogServiceMock({ entities: fleet.entities }),
    auth: mockServices.auth(),
    logger: silentLogger,
    store,
    clients: clients(g, 1),
    gate: g,
    maxAttempts: MAX_ATTEMPTS,
    clusters: fleet.clusters,
    simulatePolicies: true,
    demo: false,
  });
  /** One refresh, checked to have stored every entity. */
  const run = async () => {
    const exhaustedBefore = Object.values(g.stats.exhausted).reduce(
      (a, b) => a + b,
      0,
    );
    await refresher.refresh();
    const entries = await store.readAll();
    if (entries.length !== fleet.entities.length) {
      throw new Error(`stored ${entries.length} of ${fleet.entities.length}`);
    }
    return {
      failedSections: entries.filter(e => Object.keys(e.errors).length > 0)
        .length,
      dropped:
        Object.values(g.stats.exhausted).reduce((a, b) => a + b, 0) -
        exhaustedBefore,
    };
  };
  return { run, close: () => knex.destroy() };
}

async function naiveRun(
  fleet: SimulatedFleet,
): Promise<{ failedSections: number; dropped: number }> {
  const g = gate();
  const aws = clients(g, MAX_ATTEMPTS);
  const loader = new CachedLoader({
    cache: memoryCache(),
    logger: silentLogger,
  });
  const view = EntityViewService.fromReaders({
    dynamoDb: new DynamoDbService({ clients: aws, loader, ttlMs: 300_000 }),
    ecr: new EcrService({
      clients: aws,
      loader,
      ttlMs: 120_000,
      maxImages: 20,
    }),
    eks: new EksService({ clients: aws, loader, ttlMs: 600_000 }),
    iam: new IamService({
      clients: aws,
      loader,
      ttlMs: 300_000,
      simulate: true,
    }),
    kubernetes: new KubernetesService({
      clients: aws,
      loader,
      timeoutMs: 30_000,
      ttlMs: 30_000,
      gate: g,
      gateAttempts: MAX_ATTEMPTS,
    }),
    clusters: fleet.clusters,
    logger: silentLogger,
    demo: false,
  });
  const views = await Promise.all(
    fleet.entities.map(e => view.getEntityView(e)),
  );
  return {
    failedSections: views.filter(v =>
      [v.table, v.images, v.workloads].some(s => s.status === 'error'),
    ).length,
    dropped: Object.values(g.stats.exhausted).reduce((a, b) => a + b, 0),
  };
}

const total = (c: Record<SimService, number>) =>
  SERVICES.reduce((n, s) => n + c[s], 0);

async function compare() {
  const fleet = new SimulatedFleet(shape);
  const server = setupServer(...fleet.kubernetesHandlers());
  server.listen({ onUnhandledRequest: 'error' });
  const mocks = fleet.mockAws();
  const refresher = await fleetRefresher(fleet);
  const refresh = await measure(fleet, refresher.run);
  // Let the simulated rate limits refill between the runs.
  await new Promise(r => setTimeout(r, 1500));
  // The same refresher again, nothing changed upstream: it reuses what
  // decides each role's simulation.
  const again = await measure(fleet, refresher.run);
  await refresher.close();
  await new Promise(r => setTimeout(r, 1500));
  // A pace 20% above the limits: the upstreams throttle, the gate retries.
  const overPacedRefresher = await fleetRefresher(fleet, 1.2);
  const overPaced = await measure(fleet, overPacedRefresher.run);
  await overPacedRefresher.close();
  await new Promise(r => setTimeout(r, 1500));
  const naive = await measure(fleet, () => naiveRun(fleet));
  mocks.forEach(m => m.restore());
  server.close();

  const runs = [refresh, again, overPaced, naive];
  const rows: [string, number[]][] = [
    ['wall time (s)', runs.map(r => r.wallMs / 1000)],
    ...SERVICES.map(
      s => [`${s} calls`, runs.map(r => r.calls[s])] as [string, number[]],
    ),
    ['all calls', runs.map(r => total(r.calls))],
    ['throttled answers', runs.map(r => total(r.throttled))],
    ['entities with a failed section', runs.map(r => r.failedSections)],
    ['calls dropped after all attempts', runs.map(r => r.dropped)],
    ['peak heap above start (MiB)', runs.map(r => r.peakMiB)],
  ];
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const ratio = (r: number, n: number) => {
    if (r !== 0) return `${(n / r).toFixed(1)}x`;
    return n === 0 ? '—' : '∞';
  };
  const busiest = SERVICES.reduce((a, b) =>
    refresh.calls[a] >= refresh.calls[b] ? a : b,
  );
  // Kubernetes limits apply per cluster, AWS limits per account (one here).
  const floorS =
    busiest === 'kubernetes'
      ? refresh.calls.kubernetes / shape.clusters / RATE
      : refresh.calls[busiest] / RATE;
  const kubeRatio = naive.calls.kubernetes / refresh.calls.kubernetes;
  const callRatio = total(naive.calls) / total(refresh.calls);
  const floorRatio = refresh.wallMs / 1000 / floorS;
  process.stdout.write(
    [
      `fleet refresh vs naive per-entity views: ${shape.entities} entities, ${
        shape.clusters
      } clusters, ${shape.entities * shape.podsPerEntity} pods, ${
        shape.roles
      } roles; upstream latency ${LATENCY_MS} ms, ${RATE} req/s per service, ${IN_FLIGHT} in flight per account (Node ${
        process.version
      })`,
      markdownTable(
        [
          '',
          'refresh',
          'second refresh, nothing changed',
          'refresh, pace 1.2x limit',
          'naive',
          'naive / refresh',
        ],
        rows.map(([k, [r, a, o, n]]) => [
          k,
          fmt(r),
          fmt(a),
          fmt(o),
          fmt(n),
          ratio(r, n),
        ]),
      ),
      `throttling floor of the refresh: ${busiest} ${
        refresh.calls[busiest]
      } calls / ${RATE} req/s = ${floorS.toFixed(1)} s; refresh took ${(
        refresh.wallMs / 1000
      ).toFixed(1)} s = ${floorRatio.toFixed(2)}x the floor (target <= 1.1x)`,
      `targets: Kubernetes calls ${kubeRatio.toFixed(0)}x fewer (>= 100x) ${
        kubeRatio >= 100 ? 'met' : 'MISSED'
      }; all calls ${callRatio.toFixed(1)}x fewer (>= 3x) ${
        callRatio >= 3 ? 'met' : 'MISSED'
      }; refresh ${floorRatio.toFixed(2)}x the floor (<= 1.1x) ${
        floorRatio <= 1.1 ? 'met' : 'MISSED'
      }; IAM calls ${refresh.calls.iam} on a first refresh (<= 310) ${
        refresh.calls.iam <= 310 ? 'met' : 'MISSED'
      } and ${again.calls.iam} on a second with nothing changed (<= 10) ${
        again.calls.iam <= 10 ? 'met' : 'MISSED'
      }; paced 1.2x above the limits: ${total(
        overPaced.throttled,
      )} throttled answers retried, ${overPaced.dropped} calls dropped, ${
        overPaced.failedSections
      } entities with a failed section`,
      '',
    ].join('\n'),
  );
}

/**
 * 200 clients on one route for the duration, from a separate process (see
 * loadClient.js); every request must answer 200 within autocannon's 10 s.
 */
async function load(url: string, paths: string[], name: string) {
  const job = {
    url,
    paths,
    connections: 200,
    duration: DURATION_S,
    // As browsers ask: the backend's compression middleware then gzips.
    headers: {
      authorization: mockCredentials.user.header(),
      'accept-encoding': 'gzip',
    },
  };
  const result = await loadFromChild(job);
  return [
    name,
    String(Math.round(result.requests.average)),
    String(result.latency.p50),
    String(result.latency.p99),
    String(result.requests.total),
    String(result.errors - result.timeouts),
    String(result.timeouts),
    String(result.non2xx),
  ];
}

async function loadRun() {
  // No rate limits here: this run measures the plugin's own serving path.
  const fleet = new SimulatedFleet({ ...shape, ratePerSecond: undefined });
  const server = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () =>
      passthrough(),
    ),
    ...fleet.kubernetesHandlers(),
  );
  server.listen({ onUnhandledRequest: 'error' });
  const mocks = fleet.mockAws();
  const config = {
    aws: {
      accounts: [
        {
          accountId: ACCOUNT,
          accessKeyId: 'AKIABENCHLOCAL000000',
          secretAccessKey: 'bench',
        },
      ],
    },
    awsWorkload: {
      fleet: {
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 0 },
        },
      },
    },
    kubernetes: {
      clusterLocatorMethods: [{ type: 'config', clusters: fleet.clusters }],
    },
  } as unknown as JsonObject;
  const { server: backend } = await startTestBackend({
    features: [
      awsWorkloadPlugin,
      catalogServiceMock.factory({ entities: fleet.entities }),
      mockServices.rootConfig.factory({ data: config }),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
    ],
  });
  const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const headers = { authorization: mockCredentials.user.header() };
  for (;;) {
    const res = await fetch(`${url}/api/aws-workload/fleet?limit=1`, {
      headers,
    });
    const body = (await res.json()) as { lastRefresh?: { status: string } };
    if (body.lastRefresh?.status === 'succeeded') break;
    await new Promise(r => setTimeout(r, 500));
  }
  const entityPaths = fleet.members.map(
    m => `/api/aws-workload/entity/component/default/${m.name}`,
  );
  // Every entity viewed once first, 50 at a time, as a portal in use would
  // have them: the run measures serving, the cold path is bench:entity-view's.
  for (let i = 0; i < entityPaths.length; i += 50) {
    await Promise.all(
      entityPaths
        .slice(i, i + 50)
        .map(p => fetch(`${url}${p}`, { headers }).then(r => r.arrayBuffer())),
    );
  }
  // The entity route right after the warm-up; its 30 s workloads TTL runs
  // out during the run, so it includes the refetches a portal would see.
  const rows = [
    await load(
      url,
      entityPaths,
      `GET /entity/... (${entityPaths.length} entities in turn)`,
    ),
    await load(
      url,
      ['/api/aws-workload/fleet?limit=100'],
      'GET /fleet?limit=100',
    ),
    await load(
      url,
      ['/api/aws-workload/fleet?mode=static-keys&limit=100'],
      'GET /fleet?mode=static-keys',
    ),
  ];
  const memory = await distinctQueries(url);
  mocks.forEach(m => m.restore());
  server.close();
  process.stdout.write(
    [
      `load: autocannon, 200 connections, ${DURATION_S} s per route, ${shape.entities} entities stored and viewed once before; upstream latency ${LATENCY_MS} ms, no rate limits, default cache TTLs`,
      markdownTable(
        [
          'route',
          'req/s (mean)',
          'p50 ms',
          'p99 ms',
          'requests',
          'errors',
          'timeouts (10 s)',
          'non-2xx',
        ],
        rows,
      ),
      '',
    ].join('\n'),
  );
  const growth = memory.peak - memory.steady;
  process.stdout.write(
    [
      `memory under ${DISTINCT_QUERIES} distinct /fleet queries from one caller (limit=${
        shape.entities
      }, offset 0 to ${
        DISTINCT_QUERIES - 1
      }, ${DISTINCT_CONCURRENCY} at a time, ${memory.megabytes.toFixed(
        0,
      )} MB received in ${memory.seconds.toFixed(
        1,
      )} s): RSS ${memory.steady.toFixed(
        0,
      )} MiB before (steady state), peak ${memory.peak.toFixed(
        0,
      )} MiB (+${growth.toFixed(0)} MiB), ${memory.after.toFixed(
        0,
      )} MiB ${MEMORY_SETTLE_S} s after`,
      `target: within ${MEMORY_TARGET_MIB} MiB of the steady state ${
        growth <= MEMORY_TARGET_MIB ? 'met' : 'MISSED'
      }`,
      '',
    ].join('\n'),
  );
  if (rows.some(r => r.slice(5).some(cell => cell !== '0'))) {
    throw new Error('the load run had errors or non-2xx answers');
  }
}

/**
 * Many distinct questions from one caller, each answer large: what the
 * shared answers keep must stay bounded by bytes, not by their count.
 */
async function distinctQueries(url: string) {
  const rss = () => process.memoryUsage().rss / 2 ** 20;
  (global as any).gc?.();
  await new Promise(r => setTimeout(r, 1000));
  const steady = rss();
  let peak = steady;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 20);
  const headers = {
    authorization: mockCredentials.user.header(),
    'accept-encoding': 'gzip',
  };
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: DISTINCT_CONCURRENCY }, async () => {
      for (let i = next++; i < DISTINCT_QUERIES; i = next++) {
        const res = await fetch(
          `${url}/api/aws-workload/fleet?limit=${shape.entities}&offset=${i}`,
          { headers },
        );
        if (res.status !== 200) throw new Error(`query ${i}: ${res.status}`);
        bytes += (await res.arrayBuffer()).byteLength;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rss());
  await new Promise(r => setTimeout(r, MEMORY_SETTLE_S * 1000));
  (global as any).gc?.();
  return { steady, peak, after: rss(), megabytes: bytes / 1e6, seconds };
}

async function main() {
  if (COMPARE) await compare();
  if (LOAD) await loadRun();
  process.exit(0);
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
