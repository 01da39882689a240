import { entityRefreshPermission } from '@aws-workload/plugin-aws-workload-common';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { awsWorkloadApiRef } from '../api';
import { useEntityAwsWorkload } from '../hooks';
import { relativeTime } from './format';

/**
 * "Checked 2 minutes ago · Re-check": when the chain was read, and a way to
 * read it anew after a fix, for those allowed to. IAM is eventually
 * consistent, which the card says, so a fix that does not show at once is
 * not taken for a failed one.
 */
export function RecheckBar() {
  const { entity, value } = useEntityAwsWorkload();
  const api = useApi(awsWorkloadApiRef);
  const { allowed } = usePermission({ permission: entityRefreshPermission });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const workloads = value?.workloads;
  const fetchedAt =
    workloads?.status === 'ok' ? workloads.fetchedAt : undefined;
  const checked = relativeTime(fetchedAt);

  const recheck = async () => {
    setBusy(true);
    setMessage('');
    try {
      await api.recheckEntity!(getCompoundEntityRef(entity));
      setMessage('Re-checked just now.');
    } catch (e) {
      // A refusal's reason is in the backend's error body, not the status line.
      const reason =
        (e as { body?: { error?: { message?: string } } }).body?.error
          ?.message ?? (e as Error).message;
      setMessage(`Could not re-check: ${reason}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box mt={1}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        {fetchedAt && (
          <Typography variant="body2" color="textSecondary">
            Checked{' '}
            <time dateTime={fetchedAt} title={checked.exact}>
              {checked.relative}
            </time>
          </Typography>
        )}
        {allowed && typeof api.recheckEntity === 'function' && (
          <Button
            size="small"
            variant="outlined"
            onClick={recheck}
            disabled={busy}
          >
            {busy ? 'Re-checking…' : 'Re-check'}
          </Button>
        )}
        <Typography variant="body2" role="status">
          {message}
        </Typography>
      </Box>
      <Typography variant="caption" color="textSecondary" component="p">
        A change in IAM can take a little while to show: IAM is eventually
        consistent.
      </Typography>
    </Box>
  );
}
