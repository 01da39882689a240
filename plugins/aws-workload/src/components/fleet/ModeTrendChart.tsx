import {
  FLEET_MODE_BUCKETS,
  FleetModeBucket,
  FleetTrendDay,
} from '@aws-workload/plugin-aws-workload-common';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { awsWorkloadApiRef } from '../../api';
import { BUCKET_LABELS, bucketColour } from './fleetBuckets';

const WIDTH = 600;
const HEIGHT = 160;
const PAD = { left: 32, right: 12, top: 8, bottom: 24 };

const useStyles = makeStyles(theme => ({
  chart: { width: '100%', maxWidth: WIDTH * 1.5, height: 'auto' },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0),
  },
  swatch: {
    display: 'inline-block',
    width: 12,
    height: 12,
    marginRight: 6,
    verticalAlign: 'middle',
  },
  table: {
    borderCollapse: 'collapse',
    '& th, & td': {
      padding: theme.spacing(0.5, 1),
      textAlign: 'right',
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
    '& th:first-child, & td:first-child': { textAlign: 'left' },
  },
}));

const countOf = (day: FleetTrendDay, bucket: FleetModeBucket) =>
  day.countsByMode[bucket] ?? 0;

/** The buckets that had an entity on any day, in the fleet's order. */
const bucketsIn = (days: FleetTrendDay[]) =>
  FLEET_MODE_BUCKETS.filter(b => days.some(d => countOf(d, b) > 0));

/** "IRSA 3 → 5, static keys 2 → 0": what the lines say, for a screen reader. */
function summaryOf(days: FleetTrendDay[]): string {
  const first = days[0];
  const last = days[days.length - 1];
  const changes = bucketsIn(days).map(b =>
    days.length === 1
      ? `${BUCKET_LABELS[b]} ${countOf(last, b)}`
      : `${BUCKET_LABELS[b]} ${countOf(first, b)} → ${countOf(last, b)}`,
  );
  const span =
    days.length === 1 ? `on ${last.day}` : `from ${first.day} to ${last.day}`;
  return `Entities per credential mode ${span}: ${changes.join(', ')}.`;
}

function TrendLines({ days }: { days: FleetTrendDay[] }) {
  const theme = useTheme();
  const classes = useStyles();
  const buckets = bucketsIn(days);
  const max = Math.max(
    1,
    ...days.flatMap(d => buckets.map(b => countOf(d, b))),
  );
  const x = (i: number) =>
    PAD.left +
    (days.length === 1
      ? (WIDTH - PAD.left - PAD.right) / 2
      : (i / (days.length - 1)) * (WIDTH - PAD.left - PAD.right));
  const y = (n: number) =>
    PAD.top + (1 - n / max) * (HEIGHT - PAD.top - PAD.bottom);
  const summary = summaryOf(days);
  return (
    <svg
      className={classes.chart}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={summary}
      data-testid="mode-trend"
    >
      <line
        x1={PAD.left}
        x2={WIDTH - PAD.right}
        y1={y(0)}
        y2={y(0)}
        stroke={theme.palette.divider}
      />
      <text
        x={4}
        y={y(max) + 4}
        fontSize={11}
        fill={theme.palette.text.secondary}
      >
        {max}
      </text>
      <text x={4} y={y(0)} fontSize={11} fill={theme.palette.text.secondary}>
        0
      </text>
      <text
        x={PAD.left}
        y={HEIGHT - 6}
        fontSize={11}
        fill={theme.palette.text.secondary}
      >
        {days[0].day}
      </text>
      {days.length > 1 && (
        <text
          x={WIDTH - PAD.right}
          y={HEIGHT - 6}
          fontSize={11}
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          {days[days.length - 1].day}
        </text>
      )}
      {buckets.map((bucket, k) => {
        // Dodged a few pixels apart: equal counts stay visible side by side.
        const dodge = (k - (buckets.length - 1) / 2) * 7;
        const points = days.map(
          (d, i) => `${x(i) + dodge},${y(countOf(d, bucket))}`,
        );
        return (
          <g key={bucket} data-bucket={bucket}>
            <polyline
              points={points.join(' ')}
              fill="none"
              stroke={bucketColour(theme, bucket)}
              strokeWidth={2}
            />
            {days.map((d, i) => (
              <circle
                key={d.day}
                cx={x(i) + dodge}
                cy={y(countOf(d, bucket))}
                r={days.length === 1 ? 5 : 3}
                fill={bucketColour(theme, bucket)}
              />
            ))}
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Entities per credential mode over the last days, from the daily counts
 * the refresh records: a line per mode, a legend with the latest counts,
 * and the numbers as a table for whoever prefers them.
 */
export function ModeTrendChart({ days }: { days: number }) {
  const api = useApi(awsWorkloadApiRef);
  const classes = useStyles();
  const theme = useTheme();
  const { value, loading, error } = useAsync(
    () => api.getFleetTrend(days),
    [api, days],
  );
  const title = `Credential modes, last ${days} days`;
  if (loading) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title={title}>
        <ResponseErrorPanel error={error ?? new Error('no answer')} />
      </InfoCard>
    );
  }
  if (value.days.length === 0) {
    return (
      <InfoCard title={title}>
        <Typography>
          No history yet: each refresh records the day's counts.
        </Typography>
      </InfoCard>
    );
  }
  const last = value.days[value.days.length - 1];
  return (
    <InfoCard
      title={title}
      subheader={`Counted over the whole fleet by the last refresh of each day (UTC); kept ${value.retentionDays} days.`}
    >
      <TrendLines days={value.days} />
      <ul className={classes.legend} aria-label="Latest counts">
        {bucketsIn(value.days).map(bucket => (
          <li key={bucket}>
            <span
              className={classes.swatch}
              style={{ background: bucketColour(theme, bucket) }}
              aria-hidden
            />
            {BUCKET_LABELS[bucket]}: {countOf(last, bucket)}
          </li>
        ))}
      </ul>
      <details>
        <summary>The numbers per day</summary>
        <Box mt={1}>
          <table className={classes.table}>
            <caption style={{ textAlign: 'left' }}>
              Entities per credential mode per day
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {bucketsIn(value.days).map(b => (
                  <th scope="col" key={b}>
                    {BUCKET_LABELS[b]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {value.days.map(d => (
                <tr key={d.day}>
                  <th scope="row">{d.day}</th>
                  {bucketsIn(value.days).map(b => (
                    <td key={b}>{countOf(d, b)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Box>
      </details>
    </InfoCard>
  );
}
