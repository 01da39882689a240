import {
  FleetQuery,
  fleetReadPermission,
} from '@aws-workload/plugin-aws-workload-common';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { RequirePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsWorkloadApiRef } from '../../api';
import { relativeTime } from '../format';
import { downloadCsv, fleetCsv, loadFleet } from './fleetCsv';
import { FleetFilters } from './FleetFilters';
import { FleetTables } from './FleetTable';
import { Filters, useFleetUrlState } from './fleetUrlState';
import { ModeCountChart } from './ModeCountChart';
import { ModeTrendChart } from './ModeTrendChart';

export { fleetCsv } from './fleetCsv';

/** The fleet: its counts, filters, trend and tables, for one view of the URL. */
function FleetContent() {
  const api = useApi(awsWorkloadApiRef);
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
      downloadCsv(fleetCsv(await loadFleet(api, query)));
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
        <ModeCountChart
          counts={value.countsByMode}
          selected={filters.mode?.[0]}
          onSelect={bucket => set('mode')(bucket)}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Filters">
          <FleetFilters
            filters={filters}
            group={group}
            search={search}
            facets={value.facets}
            update={update}
          />
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
