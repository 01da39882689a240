import { Check, WorkloadInfo } from '@aws-workload/plugin-aws-workload-common';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { Fragment } from 'react';
import { ModeChip } from './ModeChip';
import { SectionCard } from './SectionCard';

const STATUS_ICON = {
  pass: StatusOK,
  fail: StatusError,
  warn: StatusWarning,
  unknown: StatusPending,
};

function CheckRow({ check }: { check: Check }) {
  const Icon = STATUS_ICON[check.status];
  return (
    <li data-check={check.check} data-status={check.status}>
      <Icon>
        <strong>{check.check}</strong> ({check.status}): {check.message}
      </Icon>
      {check.fix && (
        <Typography variant="body2" color="textSecondary" component="div">
          Fix: {check.fix}
        </Typography>
      )}
    </li>
  );
}

function WorkloadCredentials({ workload }: { workload: WorkloadInfo }) {
  return (
    <Box
      component="section"
      aria-label={`${workload.kind} ${workload.name}`}
      mb={2}
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <ModeChip mode={workload.mode} />
        <Typography variant="subtitle1" component="h3">
          {workload.kind} {workload.namespace}/{workload.name}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          cluster {workload.cluster}, {workload.pods.length} pod
          {workload.pods.length === 1 ? '' : 's'}
        </Typography>
      </Box>
      <Typography variant="body2">
        ServiceAccount <code>{workload.serviceAccount}</code>
        {workload.roleArn && (
          <>
            {' '}
            → role <code>{workload.roleArn}</code>
          </>
        )}
      </Typography>
      {workload.checks.length > 0 && (
        <Box component="ul" pl={2} mt={1} mb={0} style={{ listStyle: 'none' }}>
          {workload.checks.map((check, i) => (
            <CheckRow key={`${check.check}-${i}`} check={check} />
          ))}
        </Box>
      )}
    </Box>
  );
}

/** How each workload's pods get AWS credentials, with the chain checked link by link. */
export function PodCredentialsCard() {
  return (
    <SectionCard<WorkloadInfo[]> title="Pod credentials" section="workloads">
      {workloads =>
        workloads.length === 0 ? (
          <Typography>
            No workload found with the entity's label selector.
          </Typography>
        ) : (
          workloads.map((w, i) => (
            <Fragment key={`${w.cluster}/${w.namespace}/${w.kind}/${w.name}`}>
              {i > 0 && <Divider />}
              <WorkloadCredentials workload={w} />
            </Fragment>
          ))
        )
      }
    </SectionCard>
  );
}
