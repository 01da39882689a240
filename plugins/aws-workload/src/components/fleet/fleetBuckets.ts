import {
  CREDENTIAL_MODE_LABELS,
  FleetModeBucket,
  NO_WORKLOAD,
} from '@aws-workload/plugin-aws-workload-common';
import { Theme } from '@material-ui/core/styles';

/** What the fleet calls each mode bucket. */
export const BUCKET_LABELS: Record<FleetModeBucket, string> = {
  ...CREDENTIAL_MODE_LABELS,
  [NO_WORKLOAD]: 'No workload',
};

/** One colour per bucket: the healthy modes green, static keys red. */
export const bucketColour = (theme: Theme, bucket: FleetModeBucket) =>
  ({
    irsa: theme.palette.success.main,
    'pod-identity': theme.palette.success.dark,
    'static-keys': theme.palette.error.main,
    'node-role': theme.palette.warning.main,
    none: theme.palette.grey[500],
  }[bucket]);
