import {
  ChainHealth,
  chainHealth,
  checkTitle,
  CredentialMode,
  FleetEntry,
  FleetFacet,
  FLEET_FACETS,
  FLEET_SORT_FIELDS,
  FleetGroupBy,
  FleetModeBucket,
  FleetQuery,
  FleetResponse,
  FleetSortField,
  FLEET_MAX_LIMIT,
  FLEET_MODE_BUCKETS,
  fleetReadPermission,
} from '@aws-workload/plugin-aws-workload-common';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import { RequirePermission } from '@backstage/plugin-permission-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import WarningIcon from '@material-ui/icons/Warning';
import Papa from 'papaparse';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsWorkloadApiRef } from '../api';
import { BUCKET_LABELS, bucketColour } from './fleetBuckets';
import { relativeTime, shortDigest } from './format';
import { ModeTrendChart } from './ModeTrendChart';
import { ModeChip } from './ModeChip';

type Filters = Pick<FleetQuery, FleetFacet>;

/** What the rows can be grouped by, as the URL spells it. */
const GROUPS: Record<FleetGroupBy, string> = {
  owner: 'Owner',
  cluster: 'Cluster',
  account: 'Account',
  mode: 'Credential mode',
};

/** A group's value as the page shows it. */
const groupLabel = (group: FleetGroupBy, value: string) => {
  if (group === 'mode') return BUCKET_LABELS[value as FleetModeBucket] ?? value;
  return value || '—';
};

/** Groups shown open at first; the others load when opened. */
const OPEN_GROUPS = 5;
const PAGE_SIZE = 20;

/** The server's sort field of each column: its own field, but for the image's age. */
const SORT_OF_COLUMN: Record<string, FleetSortField> = {
  ...Object.fromEntries(FLEET_SORT_FIELDS.map(f => [f, f])),
  'newestImage.pushedAt': 'newestImage',
};

const clustersOf = (e: FleetEntry) => [
  ...new Set(e.workloads.map(w => w.cluster)),
];

/** Critical and high findings of the images the entity runs, summed. */
function imageFindings(
  e: FleetEntry,
): { critical: number; high: number } | undefined {
  const scanned = (e.runningImages ?? []).filter(i => i.critical !== undefined);
  if (scanned.length === 0) return undefined;
  return {
    critical: scanned.reduce((n, i) => n + (i.critical ?? 0), 0),
    high: scanned.reduce((n, i) => n + (i.high ?? 0), 0),
  };
}

const useStyles = makeStyles((theme: Theme) => ({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    textTransform: 'none',
    justifyContent: 'flex-start',
  },
  barLabel: { width: 110, textAlign: 'left' },
  barTrack: { flex: 1, height: 18, background: theme.palette.action.hover },
  barCount: { width: 40, textAlign: 'right' },
  filters: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) },
  select: { minWidth: 200 },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

/** Entities per credential mode; a bar selects that mode as the filter. */
function ModeChart(props: {
  counts: Record<FleetModeBucket, number>;
  selected?: FleetModeBucket;
  onSelect: (bucket?: FleetModeBucket) => void;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const max = Math.max(1, ...Object.values(props.counts));
  return (
    <InfoCard title="Entities per credential mode">
      <Box role="list" aria-label="Entities per credential mode">
        {FLEET_MODE_BUCKETS.map(bucket => {
          const count = props.counts[bucket] ?? 0;
          const selected = props.selected === bucket;
          return (
            <Box role="listitem" key={bucket}>
              <Button
                className={classes.bar}
                data-testid={`mode-bar-${bucket}`}
                aria-pressed={selected}
                variant={selected ? 'outlined' : 'text'}
                onClick={() => props.onSelect(selected ? undefined : bucket)}
              >
                <span className={classes.barLabel}>
                  {BUCKET_LABELS[bucket]}
                </span>
                <span className={classes.barTrack}>
                  <span
                    style={{
                      display: 'block',
                      height: '100%',
                      width: `${(count / max) * 100}%`,
                      background: bucketColour(theme, bucket),
                    }}
                  />
                </span>
                <span className={classes.barCount} data-testid="count">
                  {count}
                </span>
                <span className={classes.visuallyHidden}> entities</span>
              </Button>
            </Box>
          );
        })}
      </Box>
    </InfoCard>
  );
}

function FilterSelect(props: {
  label: string;
  value?: string;
  /** What the empty choice says; "All" unless given. */
  allLabel?: string;
  options: { value: string; label: string }[];
  onChange: (value?: string) => void;
}) {
  const classes = useStyles();
  const id = `fleet-filter-${props.label.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <FormControl className={classes.select} size="small" variant="outlined">
      <InputLabel id={`${id}-label`}>{props.label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label={props.label}
        value={props.value ?? ''}
        onChange={e => props.onChange((e.target.value as string) || undefined)}
      >
        <MenuItem value="">
          <em>{props.allLabel ?? 'All'}</em>
        </MenuItem>
        {props.options.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** Every page of the fleet for a query, for the CSV export. */
async function loadFleet(
  api: { getFleet(q: FleetQuery): Promise<FleetResponse> },
  query: FleetQuery,
): Promise<FleetEntry[]> {
  const first = await api.getFleet({ ...query, limit: FLEET_MAX_LIMIT });
  const items = [...first.items];
  while (items.length < first.totalItems) {
    const next = await api.getFleet({
      ...query,
      limit: FLEET_MAX_LIMIT,
      offset: items.length,
    });
    if (next.items.length === 0) break;
    items.push(...next.items);
  }
  return items;
}

/** The fleet as CSV: one row per entity, what the table shows. */
export function fleetCsv(entries: FleetEntry[]): string {
  return Papa.unparse(
    entries.map(e => ({
      entity: e.entityRef,
      owner: e.owner ?? '',
      modes: e.modes.join(' '),
      failingChecks: e.failingChecks.join(' '),
      warningChecks: (e.warningChecks ?? []).join(' '),
      clusters: clustersOf(e).join(' '),
      account: e.account ?? '',
      tableStatus: e.tableStatus ?? '',
      runningImagesCritical: imageFindings(e)?.critical ?? '',
      runningImagesHigh: imageFindings(e)?.high ?? '',
      newestImagePushedAt: e.newestImage?.pushedAt ?? '',
      newestImageTags: e.newestImage?.tags.join(' ') ?? '',
      refreshedAt: e.refreshedAt,
      stale: e.stale?.reason ?? '',
    })),
    // Cells that start with = + - @ are quoted as text for spreadsheets.
    { escapeFormulae: true },
  );
}

function download(csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'aws-workload-fleet.csv';
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * What the stored fleet tells of a mode's chains: how many checks fail in
 * the entity's workloads of that mode. It stores failing checks only, so a
 * chain without one is shown by its mode alone, never called healthy.
 */
function failingHealth(
  e: FleetEntry,
  mode: CredentialMode,
): ChainHealth | undefined {
  const failing = e.workloads
    .filter(w => w.mode === mode)
    .flatMap(w => w.failingChecks);
  return failing.length
    ? chainHealth(failing.map(() => ({ status: 'fail' as const })))
    : undefined;
}

/** Since when a check has been failing, from the fleet's history. */
function FailingSince({ since }: { since?: string }) {
  if (!since) return null;
  const { relative, exact } = relativeTime(since);
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="span"
      display="block"
      title={exact}
    >
      failing since {relative}
    </Typography>
  );
}

/** The owner as a link where it parses as an entity ref, as text otherwise. */
function OwnerLink({ owner }: { owner?: string }) {
  if (!owner) return <>—</>;
  try {
    return (
      <EntityRefLink
        entityRef={parseEntityRef(owner, { defaultKind: 'group' })}
      />
    );
  } catch {
    return <>{owner}</>;
  }
}

interface Sort {
  field?: string;
  direction?: 'asc' | 'desc';
}

/** What the table asks of material-table's remote data. */
interface TablePageQuery {
  page: number;
  pageSize: number;
  orderBy?: { field?: unknown };
  orderDirection?: string;
}

/**
 * One table of the fleet, a page at a time: the server filters, searches,
 * sorts and pages (GET /fleet), so the page stays as light for 100,000
 * entities as for 10.
 */
function FleetTable(props: {
  /** Without one, the table has no toolbar: its group's heading names it. */
  title?: string;
  query: FleetQuery;
  sort: Sort;
  onSort: (sort: Sort) => void;
}) {
  const api = useApi(awsWorkloadApiRef);
  const loadPage = async (page: TablePageQuery) => {
    const column = page.orderBy?.field
      ? String(page.orderBy.field)
      : props.sort.field;
    const direction = page.orderBy
      ? page.orderDirection || 'asc'
      : props.sort.direction;
    const answer = await api.getFleet({
      ...props.query,
      sort: column ? SORT_OF_COLUMN[column] : undefined,
      order: direction === 'desc' ? 'desc' : 'asc',
      offset: page.page * page.pageSize,
      limit: page.pageSize,
    });
    return {
      data: answer.items,
      page: page.page,
      totalCount: answer.totalItems,
    };
  };
  const entityRoute = useRouteRef(entityRouteRef);
  const awsTab = (e: FleetEntry) =>
    `${entityRoute({
      kind: e.kind.toLocaleLowerCase('en-US'),
      namespace: e.namespace,
      name: e.name,
    })}/aws`;
  const columns: TableColumn<FleetEntry>[] = [
    {
      title: 'Entity',
      field: 'name',
      highlight: true,
      render: e => <Link to={awsTab(e)}>{e.title ?? e.name}</Link>,
    },
    {
      title: 'Owner',
      field: 'owner',
      render: e => <OwnerLink owner={e.owner} />,
    },
    {
      title: 'Modes',
      field: 'modes',
      render: e =>
        e.modes.length ? (
          <Box display="flex" style={{ gap: 4 }} flexWrap="wrap">
            {e.modes.map(m => (
              <ModeChip key={m} mode={m} health={failingHealth(e, m)} />
            ))}
          </Box>
        ) : (
          BUCKET_LABELS.none
        ),
    },
    {
      title: 'Failing checks',
      field: 'failingChecks',
      render: e =>
        e.failingChecks.length ? (
          <Box component="ul" m={0} pl={2}>
            {e.failingChecks.map(c => (
              <li key={c} data-check={c}>
                {checkTitle(c)} <code>{c}</code>
                <FailingSince since={e.failingSince?.[c]} />
              </li>
            ))}
          </Box>
        ) : (
          '—'
        ),
    },
    {
      title: 'Warnings',
      field: 'warningChecks',
      render: e =>
        e.warningChecks?.length ? (
          <Box component="ul" m={0} pl={2}>
            {e.warningChecks.map(c => (
              <li key={c} data-warning={c}>
                {checkTitle(c)} <code>{c}</code>
              </li>
            ))}
          </Box>
        ) : (
          '—'
        ),
    },
    {
      title: 'Clusters',
      field: 'clusters',
      render: e => clustersOf(e).join(', ') || '—',
    },
    { title: 'Account', field: 'account', emptyValue: '—' },
    { title: 'Table status', field: 'tableStatus', emptyValue: '—' },
    {
      title: 'Running image findings',
      field: 'runningImages',
      render: e => {
        const findings = imageFindings(e);
        if (!e.runningImages?.length) return '—';
        if (!findings) return 'not scanned';
        return (
          <span data-findings={`${findings.critical}/${findings.high}`}>
            {findings.critical} critical, {findings.high} high
          </span>
        );
      },
    },
    {
      title: 'Newest image',
      field: 'newestImage.pushedAt',
      render: e => {
        if (!e.newestImage) return '—';
        const time = relativeTime(e.newestImage.pushedAt);
        return (
          <Tooltip
            title={`${
              e.newestImage.tags.join(', ') || shortDigest(e.newestImage.digest)
            } · ${time.exact}`}
          >
            <span>{time.relative}</span>
          </Tooltip>
        );
      },
    },
    {
      title: 'Last refreshed',
      field: 'refreshedAt',
      render: e => {
        const time = relativeTime(e.refreshedAt);
        return (
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            <Tooltip title={time.exact}>
              <span>{time.relative}</span>
            </Tooltip>
            {e.stale && (
              <Tooltip
                title={`Stale since ${relativeTime(e.stale.since).relative}: ${
                  e.stale.reason
                }`}
              >
                <WarningIcon
                  fontSize="small"
                  color="error"
                  aria-label={`Stale: ${e.stale.reason}`}
                />
              </Tooltip>
            )}
          </Box>
        );
      },
    },
  ];
  const sorted = columns.map(c =>
    c.field === props.sort.field
      ? { ...c, defaultSort: props.sort.direction ?? 'asc' }
      : c,
  );
  return (
    <Table<FleetEntry>
      title={props.title}
      columns={sorted}
      data={loadPage}
      onOrderChange={(orderBy: number, direction: 'asc' | 'desc') =>
        props.onSort(
          orderBy >= 0
            ? { field: String(columns[orderBy].field), direction }
            : {},
        )
      }
      options={{
        // The page's own search box filters first, so counts follow it.
        search: false,
        toolbar: props.title !== undefined,
        paging: true,
        pageSize: PAGE_SIZE,
        pageSizeOptions: [PAGE_SIZE, 50, 100],
        padding: 'dense',
        // Draggable headers wrap the sort buttons in another control.
        draggable: false,
      }}
    />
  );
}

/**
 * Filters, search, sort and grouping live in the URL, so a view of the
 * fleet can be shared and survives a reload.
 */
function useFleetUrlState() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = Object.fromEntries(
    FLEET_FACETS.map(k => [
      k,
      params.getAll(k).length ? params.getAll(k) : undefined,
    ]),
  );
  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const group = params.get('group');
  return {
    filters,
    search: params.get('q') ?? '',
    sort: {
      field: params.get('sort') ?? undefined,
      direction: (params.get('dir') as Sort['direction']) ?? undefined,
    },
    group: group && group in GROUPS ? (group as FleetGroupBy) : undefined,
    update,
  };
}

/**
 * The table, or one table per group (an entity with several values is in
 * each), the groups and their counts from the server; the first few open.
 */
function FleetTables(props: {
  query: FleetQuery;
  totalItems: number;
  group?: FleetGroupBy;
  groups?: { value: string; count: number }[];
  sort: Sort;
  onSort: (sort: Sort) => void;
}) {
  const { group } = props;
  if (!group) {
    return (
      <FleetTable
        key={JSON.stringify(props.query)}
        title={`Entities (${props.totalItems})`}
        query={props.query}
        sort={props.sort}
        onSort={props.onSort}
      />
    );
  }
  return (
    <>
      {(props.groups ?? []).map(({ value, count }, index) => {
        const label = `${GROUPS[group]} ${groupLabel(group, value)}`;
        const query = { ...props.query, [group]: [value] };
        return (
          <Box key={value} mb={2} component="section" aria-label={label}>
            <Accordion
              defaultExpanded={index < OPEN_GROUPS}
              TransitionProps={{ unmountOnExit: true }}
            >
              <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                <Typography variant="h6" component="h2">
                  {label} ({count})
                </Typography>
              </AccordionSummary>
              <AccordionDetails style={{ display: 'block' }}>
                <FleetTable
                  key={JSON.stringify(query)}
                  query={query}
                  sort={props.sort}
                  onSort={props.onSort}
                />
              </AccordionDetails>
            </Accordion>
          </Box>
        );
      })}
    </>
  );
}

function FleetContent() {
  const api = useApi(awsWorkloadApiRef);
  const classes = useStyles();
  const { filters, search, sort, group, update } = useFleetUrlState();
  const query: FleetQuery = { ...filters, q: search.trim() || undefined };
  // The counts, facets and groups of the view; the tables page themselves.
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getFleet({ ...query, groupBy: group, limit: 1 }),
    [api, JSON.stringify(query), group],
  );
  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    setExporting(true);
    try {
      download(fleetCsv(await loadFleet(api, query)));
    } finally {
      setExporting(false);
    }
  };
  const set = (key: keyof Filters) => (v?: string) => update({ [key]: v });

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return <Progress />;
  if (!value.lastRefresh) {
    return (
      <EmptyState
        missing="data"
        title="The fleet has not been refreshed yet"
        description="The backend refreshes it on a schedule (awsWorkload.fleet.schedule); the first run starts shortly after the backend does."
        action={
          <Button variant="contained" color="primary" onClick={retry}>
            Check again
          </Button>
        }
      />
    );
  }
  const noneAtAll =
    value.totalItems === 0 && !Object.values(filters).some(Boolean) && !search;
  return (
    <Grid container spacing={3}>
      {value.lastRefresh.status === 'failed' && (
        <Grid item xs={12}>
          <WarningPanel
            title="The last refresh failed; the fleet shows the one before"
            message={value.lastRefresh.error}
          />
        </Grid>
      )}
      <Grid item xs={12} md={5}>
        <ModeChart
          counts={value.countsByMode}
          selected={filters.mode?.[0]}
          onSelect={bucket => set('mode')(bucket)}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Filters">
          <Box className={classes.filters}>
            <FilterSelect
              label="Credential mode"
              value={filters.mode?.[0]}
              options={FLEET_MODE_BUCKETS.map(b => ({
                value: b,
                label: BUCKET_LABELS[b],
              }))}
              onChange={set('mode')}
            />
            <FilterSelect
              label="Owner"
              value={filters.owner?.[0]}
              options={value.facets.owners.map(o => ({ value: o, label: o }))}
              onChange={set('owner')}
            />
            <FilterSelect
              label="Kind"
              value={filters.kind?.[0]}
              options={value.facets.kinds.map(k => ({ value: k, label: k }))}
              onChange={set('kind')}
            />
            <FilterSelect
              label="Failing check"
              value={filters.failingCheck?.[0]}
              options={value.facets.failingChecks.map(c => ({
                value: c,
                label: checkTitle(c),
              }))}
              onChange={set('failingCheck')}
            />
            <FilterSelect
              label="Warning"
              value={filters.warningCheck?.[0]}
              options={(value.facets.warningChecks ?? []).map(c => ({
                value: c,
                label: checkTitle(c),
              }))}
              onChange={set('warningCheck')}
            />
            <FilterSelect
              label="Cluster"
              value={filters.cluster?.[0]}
              options={(value.facets.clusters ?? []).map(c => ({
                value: c,
                label: c,
              }))}
              onChange={set('cluster')}
            />
            <FilterSelect
              label="Account"
              value={filters.account?.[0]}
              options={(value.facets.accounts ?? []).map(a => ({
                value: a,
                label: a,
              }))}
              onChange={set('account')}
            />
            <FilterSelect
              label="Group by"
              value={group}
              allLabel="None"
              options={Object.entries(GROUPS).map(([k, label]) => ({
                value: k,
                label,
              }))}
              onChange={v => update({ group: v })}
            />
            <TextField
              className={classes.select}
              size="small"
              variant="outlined"
              type="search"
              id="fleet-search"
              label="Search the fleet"
              value={search}
              onChange={e => update({ q: e.target.value || undefined })}
            />
          </Box>
          <Box mt={2} display="flex" alignItems="center" style={{ gap: 16 }}>
            <Button
              variant="outlined"
              onClick={exportCsv}
              disabled={value.totalItems === 0 || exporting}
            >
              {exporting ? 'Exporting…' : 'Export CSV'}
            </Button>
            <Typography variant="body2" color="textSecondary">
              Last refresh {relativeTime(value.lastRefresh.startedAt).relative}
              {value.lastRefresh.status === 'running' ? ' (running)' : ''}
              {value.demo ? ' · demo data' : ''}
            </Typography>
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ModeTrendChart days={30} />
      </Grid>
      <Grid item xs={12}>
        {loading && <Progress />}
        {noneAtAll ? (
          <EmptyState
            missing="field"
            title="No entity carries the plugin's annotations"
            description="Add backstage.io/kubernetes-id, aws.amazon.com/dynamodb-table-arn or aws.amazon.com/amazon-ecr-arn to an entity; the next refresh picks it up."
          />
        ) : (
          <FleetTables
            query={query}
            totalItems={value.totalItems}
            group={group}
            groups={value.groups}
            sort={sort}
            onSort={next => update({ sort: next.field, dir: next.direction })}
          />
        )}
      </Grid>
    </Grid>
  );
}

/** The fleet page: the credential posture of every entity, for platform teams. */
export function FleetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="AWS workload fleet"
        subtitle="How every service's pods get AWS credentials, refreshed in the background"
      />
      <Content>
        <ContentHeader title="Credential posture" />
        <RequirePermission
          permission={fleetReadPermission}
          errorPage={
            <WarningPanel
              title="You cannot see the fleet"
              message={`The fleet needs the permission ${fleetReadPermission.name}; ask your portal's administrators.`}
            />
          }
        >
          <FleetContent />
        </RequirePermission>
      </Content>
    </Page>
  );
}
