import {
  ChainHealth,
  chainHealth,
  checkTitle,
  CredentialMode,
  FleetEntry,
  FleetGroupBy,
  FleetQuery,
  FleetSortField,
  FLEET_SORT_FIELDS,
} from '@aws-workload/plugin-aws-workload-common';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import WarningIcon from '@material-ui/icons/Warning';
import { awsWorkloadApiRef } from '../../api';
import { relativeTime, shortDigest } from '../format';
import { ModeChip } from '../ModeChip';
import { BUCKET_LABELS } from './fleetBuckets';
import { clustersOf, imageFindings } from './fleetEntry';
import { groupLabel, GROUPS, Sort } from './fleetUrlState';

/** Groups shown open at first; the others load when opened. */
const OPEN_GROUPS = 5;
const PAGE_SIZE = 20;

/** The server's sort field of each column: its own field, but for the image's age. */
const SORT_OF_COLUMN: Record<string, FleetSortField> = {
  ...Object.fromEntries(FLEET_SORT_FIELDS.map(f => [f, f])),
  'newestImage.pushedAt': 'newestImage',
};

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
 * The table, or one table per group (an entity with several values is in
 * each), the groups and their counts from the server; the first few open.
 */
export function FleetTables(props: {
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
