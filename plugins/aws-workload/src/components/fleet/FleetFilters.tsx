import {
  checkTitle,
  FleetGroupBy,
  FleetResponse,
  FLEET_MODE_BUCKETS,
} from '@aws-workload/plugin-aws-workload-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { BUCKET_LABELS } from './fleetBuckets';
import { Filters, GROUPS } from './fleetUrlState';

const useStyles = makeStyles((theme: Theme) => ({
  filters: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) },
  select: { minWidth: 200 },
}));

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

/**
 * The fleet's filters, grouping and search, each choice offered from the
 * server's facets; every change goes to the URL.
 */
export function FleetFilters(props: {
  filters: Filters;
  group?: FleetGroupBy;
  search: string;
  facets: FleetResponse['facets'];
  update: (changes: Record<string, string | undefined>) => void;
}) {
  const classes = useStyles();
  const { filters, group, search, facets, update } = props;
  const set = (key: keyof Filters) => (v?: string) => update({ [key]: v });
  return (
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
        options={facets.owners.map(o => ({ value: o, label: o }))}
        onChange={set('owner')}
      />
      <FilterSelect
        label="Kind"
        value={filters.kind?.[0]}
        options={facets.kinds.map(k => ({ value: k, label: k }))}
        onChange={set('kind')}
      />
      <FilterSelect
        label="Failing check"
        value={filters.failingCheck?.[0]}
        options={facets.failingChecks.map(c => ({
          value: c,
          label: checkTitle(c),
        }))}
        onChange={set('failingCheck')}
      />
      <FilterSelect
        label="Warning"
        value={filters.warningCheck?.[0]}
        options={(facets.warningChecks ?? []).map(c => ({
          value: c,
          label: checkTitle(c),
        }))}
        onChange={set('warningCheck')}
      />
      <FilterSelect
        label="Cluster"
        value={filters.cluster?.[0]}
        options={(facets.clusters ?? []).map(c => ({
          value: c,
          label: c,
        }))}
        onChange={set('cluster')}
      />
      <FilterSelect
        label="Account"
        value={filters.account?.[0]}
        options={(facets.accounts ?? []).map(a => ({
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
  );
}
