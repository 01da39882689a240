import {
  FleetModeBucket,
  FLEET_MODE_BUCKETS,
} from '@aws-workload/plugin-aws-workload-common';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import { BUCKET_LABELS, bucketColour } from './fleetBuckets';

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
export function ModeCountChart(props: {
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
