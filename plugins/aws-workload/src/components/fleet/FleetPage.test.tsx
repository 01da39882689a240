import {
  answerFleetQuery,
  FleetEntry,
  FleetQuery,
  FleetResponse,
} from '@aws-workload/plugin-aws-workload-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import Papa from 'papaparse';
import { awsWorkloadApiRef } from '../../api';
import { fleetCsv, FleetPage } from './FleetPage';

const entry = (
  name: string,
  modes: FleetEntry['modes'],
  extra: Partial<FleetEntry> = {},
): FleetEntry => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  owner: 'group:default/vote-team',
  modes,
  workloads: [],
  failingChecks: [],
  tableStatus: 'ACTIVE',
  newestImage: {
    digest: `sha256:${'b2'.padEnd(64, '0')}`,
    tags: ['git-3f9c2ab'],
    pushedAt: '2026-11-20T09:00:00.000Z',
  },
  errors: {},
  refreshedAt: '2026-11-22T06:00:00.000Z',
  ...extra,
});

const entries = [
  entry('vote-irsa', ['irsa']),
  entry('vote-pod-identity', ['pod-identity']),
  entry('vote-static-keys', ['static-keys'], {
    failingChecks: ['static-keys-present'],
    failingSince: { 'static-keys-present': '2026-11-20T06:00:00.000Z' },
    owner: 'group:default/legacy-team',
  }),
  entry('vote-node-role', ['node-role'], {
    warningChecks: ['node-role-fallback'],
    account: '210987654321',
    runningImages: [
      { digest: 'sha256:a', tags: ['v2'], critical: 1, high: 4 },
      { digest: 'sha256:b', tags: ['v1'], critical: 0, high: 2 },
    ],
    stale: {
      since: '2026-11-22T05:00:00.000Z',
      reason: 'workloads: connect ECONNREFUSED',
      sections: ['workloads'],
    },
  }),
  entry('vote-broken-irsa', ['irsa'], {
    failingChecks: ['trust-sub'],
    workloads: [
      {
        cluster: 'vote-demo',
        namespace: 'vote',
        kind: 'Deployment',
        name: 'vote',
        mode: 'irsa',
        failingChecks: ['trust-sub'],
      },
    ],
  }),
];

/** The backend's answers (-common's in-memory path), on the fixture. */
function fakeFleet(all = entries) {
  return jest.fn(
    async (query: FleetQuery): Promise<FleetResponse> => ({
      ...answerFleetQuery(all, query),
      lastRefresh: {
        startedAt: '2026-11-22T06:00:00.000Z',
        finishedAt: '2026-11-22T06:00:03.000Z',
        status: 'succeeded',
        entities: all.length,
      },
    }),
  );
}

/** Two days of history, as GET /fleet/trend answers. */
const TREND = {
  days: [
    {
      day: '2026-11-21',
      countsByMode: { irsa: 1, 'static-keys': 2, 'node-role': 1 },
    },
    {
      day: '2026-11-22',
      countsByMode: {
        irsa: 2,
        'pod-identity': 1,
        'static-keys': 1,
        'node-role': 1,
      },
    },
  ],
  retentionDays: 90,
};

function render(
  getFleet: jest.Mock,
  permission = AuthorizeResult.ALLOW as
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY,
  url = '/',
  getFleetTrend: jest.Mock = jest.fn(async () => TREND),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          awsWorkloadApiRef,
          { getEntityView: jest.fn(), getFleet, getFleetTrend },
        ],
        [permissionApiRef, new MockPermissionApi(() => permission)],
      ]}
    >
      <FleetPage />
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [url],
    },
  );
}

const countOf = (bucket: string) =>
  within(screen.getByTestId(`mode-bar-${bucket}`)).getByTestId('count')
    .textContent;

describe('FleetPage', () => {
  it('draws the trend per mode, says it in words, and gives the numbers as a table', async () => {
    const getFleetTrend = jest.fn(async () => TREND);
    await render(fakeFleet(), AuthorizeResult.ALLOW, '/', getFleetTrend);
    const chart = await screen.findByRole('img', {
      name: /^Entities per credential mode from 2026-11-21 to 2026-11-22: /,
    });
    expect(chart).toHaveAccessibleName(
      'Entities per credential mode from 2026-11-21 to 2026-11-22: IRSA 1 → 2, Pod Identity 0 → 1, Static keys 2 → 1, Node role 1 → 1.',
    );
    expect(getFleetTrend).toHaveBeenCalledWith(30);
    expect(chart.querySelectorAll('polyline')).toHaveLength(4);
    const legend = screen.getByRole('list', { name: 'Latest counts' });
    expect(within(legend).getByText('Static keys: 1')).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Entities per credential mode per day',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(c => c.textContent),
    ).toEqual(['Day', 'IRSA', 'Pod Identity', 'Static keys', 'Node role']);
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => [
          within(r).getByRole('rowheader').textContent,
          ...within(r)
            .getAllByRole('cell')
            .map(c => c.textContent),
        ]),
    ).toEqual([
      ['2026-11-21', '1', '0', '2', '1'],
      ['2026-11-22', '2', '1', '1', '1'],
    ]);
  });

  it('says there is no history yet when the refresh has recorded none', async () => {
    await render(
      fakeFleet(),
      AuthorizeResult.ALLOW,
      '/',
      jest.fn(async () => ({ days: [], retentionDays: 90 })),
    );
    expect(
      await screen.findByText(/No history yet: each refresh records/),
    ).toBeInTheDocument();
  });

  it('charts the entities per mode and lists them, each linked to its AWS tab', async () => {
    await render(fakeFleet());
    expect(await screen.findByText('Entities (5)')).toBeInTheDocument();
    expect(countOf('irsa')).toBe('2');
    expect(countOf('pod-identity')).toBe('1');
    expect(countOf('static-keys')).toBe('1');
    expect(countOf('node-role')).toBe('1');
    expect(countOf('none')).toBe('0');
    expect(screen.getByText('vote-irsa').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/vote-irsa/aws',
    );
    expect(screen.getByText('static-keys-present')).toBeInTheDocument();
    // Since when, from the fleet's history; a check without a date says none.
    const keys = screen.getByText('vote-static-keys').closest('tr')!;
    expect(within(keys).getByText(/^failing since /)).toHaveAttribute(
      'title',
      expect.stringMatching(/2026/),
    );
    // A broken chain is not a plain green IRSA chip; checks read as titles.
    const broken = screen.getByText('vote-broken-irsa').closest('tr')!;
    expect(within(broken).getByText('IRSA · 1 check failing')).toBeVisible();
    expect(
      within(broken).getByText(/Trust policy names this ServiceAccount/),
    ).toBeVisible();
    expect(within(broken).queryByText(/^failing since /)).toBeNull();
    const healthy = screen.getByText('vote-irsa').closest('tr')!;
    expect(within(healthy).getByText('IRSA')).toBeVisible();
    expect(
      screen.getByLabelText('Stale: workloads: connect ECONNREFUSED'),
    ).toBeInTheDocument();
  });

  it('filters by mode from the chart, keeping the other bars', async () => {
    const getFleet = fakeFleet();
    await render(getFleet);
    await screen.findByText('Entities (5)');
    fireEvent.click(screen.getByTestId('mode-bar-irsa'));
    expect(await screen.findByText('Entities (2)')).toBeInTheDocument();
    expect(getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ mode: ['irsa'] }),
    );
    expect(screen.queryByText('vote-pod-identity')).not.toBeInTheDocument();
    expect(countOf('pod-identity')).toBe('1');
    expect(screen.getByTestId('mode-bar-irsa')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('searches every column it shows, and the count follows the search', async () => {
    await render(fakeFleet());
    await screen.findByText('Entities (5)');
    fireEvent.change(
      screen.getByRole('searchbox', { name: 'Search the fleet' }),
      {
        target: { value: 'legacy' },
      },
    );
    expect(await screen.findByText('Entities (1)')).toBeInTheDocument();
    expect(screen.getByText('vote-static-keys')).toBeInTheDocument();
    fireEvent.change(
      screen.getByRole('searchbox', { name: 'Search the fleet' }),
      {
        target: { value: 'trust policy names' },
      },
    );
    expect(await screen.findByText('Entities (1)')).toBeInTheDocument();
    expect(screen.getByText('vote-broken-irsa')).toBeInTheDocument();
  });

  it('reads its filters, search and grouping from the URL, so a view can be shared', async () => {
    const getFleet = fakeFleet();
    await render(
      getFleet,
      AuthorizeResult.ALLOW,
      '/?warningCheck=node-role-fallback&group=account&q=vote',
    );
    expect(
      await screen.findByText('Account 210987654321 (1)'),
    ).toBeInTheDocument();
    expect(getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ warningCheck: ['node-role-fallback'] }),
    );
    expect(
      screen.getByRole('searchbox', { name: 'Search the fleet' }),
    ).toHaveValue('vote');
    const row = screen.getByText('vote-node-role').closest('tr')!;
    expect(
      within(row).getByText(/Pods do not fall back to the node's role/),
    ).toBeVisible();
    expect(within(row).getByText('1 critical, 6 high')).toBeVisible();
  });

  it('groups by cluster, an entity in each group of its clusters', async () => {
    await render(fakeFleet(), AuthorizeResult.ALLOW, '/?group=cluster');
    expect(
      await screen.findByText('Cluster vote-demo (1)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Cluster — (4)')).toBeInTheDocument();
  });

  it('asks the server for one page at a time, sorted and searched there', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      entry(`svc-${String(i).padStart(4, '0')}`, ['irsa']),
    );
    const getFleet = fakeFleet(many);
    await render(getFleet, AuthorizeResult.ALLOW, '/?sort=name&dir=desc&q=svc');
    expect(await screen.findByText('Entities (200)')).toBeInTheDocument();
    expect(await screen.findByText('svc-0199')).toBeInTheDocument();
    expect(screen.queryByText('svc-0000')).not.toBeInTheDocument();
    expect(getFleet).toHaveBeenCalledWith(
      expect.objectContaining({
        q: 'svc',
        sort: 'name',
        order: 'desc',
        offset: 0,
        limit: 20,
      }),
    );
    // Nothing asks for the whole fleet to show a page.
    expect(getFleet.mock.calls.every(([q]) => (q.limit ?? 100) <= 20)).toBe(
      true,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(await screen.findByText('svc-0179')).toBeInTheDocument();
    expect(getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 20, limit: 20 }),
    );
    // Two renders of a paged table: seconds on a machine running every
    // package's tests at once, where the default 5 s once ran out.
  }, 15_000);

  it('says when the fleet has not been refreshed yet', async () => {
    const getFleet = jest.fn(async () => ({
      ...(await fakeFleet([])({})),
      lastRefresh: undefined,
    }));
    await render(getFleet);
    expect(
      await screen.findByText('The fleet has not been refreshed yet'),
    ).toBeInTheDocument();
  });

  it('says when no entity carries the annotations', async () => {
    await render(fakeFleet([]));
    expect(
      await screen.findByText("No entity carries the plugin's annotations"),
    ).toBeInTheDocument();
  });

  it('shows the error of the backend', async () => {
    await render(
      jest.fn(async () => {
        throw new Error('fleet unavailable');
      }),
    );
    expect(
      (await screen.findAllByText(/fleet unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});

describe('fleetCsv', () => {
  it('writes one row per entity, and keeps spreadsheet formulas as text', () => {
    const rows = Papa.parse<Record<string, string>>(
      fleetCsv([
        entries[2],
        entry('=HYPERLINK("x")', ['irsa'], { owner: '+cmd' }),
      ]),
      { header: true },
    ).data;
    expect(
      Papa.parse<Record<string, string>>(fleetCsv([entries[3]]), {
        header: true,
      }).data[0],
    ).toMatchObject({
      warningChecks: 'node-role-fallback',
      account: '210987654321',
      runningImagesCritical: '1',
      runningImagesHigh: '6',
    });
    expect(rows[0]).toMatchObject({
      entity: 'component:default/vote-static-keys',
      owner: 'group:default/legacy-team',
      modes: 'static-keys',
      failingChecks: 'static-keys-present',
      tableStatus: 'ACTIVE',
      newestImageTags: 'git-3f9c2ab',
    });
    expect(rows[1].owner).toBe("'+cmd");
  });
});
