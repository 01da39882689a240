import {
  chainHealth,
  Check,
  CHECK_STATUS_LABELS,
  checksByUrgency,
  checkTitle,
  WorkloadInfo,
} from '@aws-workload/plugin-aws-workload-common';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { Fragment } from 'react';
import { ModeChip } from './ModeChip';
import { PodList } from './PodList';
import { SectionCard } from './SectionCard';

const STATUS_ICON = {
  pass: StatusOK,
  fail: StatusError,
  warn: StatusWarning,
  unknown: StatusPending,
};

const useStyles = makeStyles(theme => ({
  checks: { listStyle: 'none', paddingLeft: theme.spacing(1), margin: 0 },
  check: { marginTop: theme.spacing(1) },
  // Backstage's status icon is a block of its own; keep it on the title's line.
  title: { display: 'flex', alignItems: 'center', flexWrap: 'wrap' },
  id: {
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
    marginLeft: theme.spacing(1),
  },
  passed: { marginTop: theme.spacing(1) },
  summary: { cursor: 'pointer', color: theme.palette.text.secondary },
}));

/**
 * One link of the chain: its status in words (the icon beside it is hidden
 * from assistive technology, as Backstage's status components are), its
 * title, its id as a small code for search and the API, what was found and
 * how to fix it.
 */
function CheckRow({ check }: { check: Check }) {
  const classes = useStyles();
  const Icon = STATUS_ICON[check.status];
  return (
    <li
      className={classes.check}
      data-check={check.check}
      data-status={check.status}
    >
      <Typography variant="body2" component="div" className={classes.title}>
        <Icon />
        <strong>
          {CHECK_STATUS_LABELS[check.status]}: {checkTitle(check.check)}
        </strong>
        <code className={classes.id}>{check.check}</code>
      </Typography>
      <Typography variant="body2" component="div">
        {check.message}
      </Typography>
      {check.fix && (
        <Typography variant="body2" color="textSecondary" component="div">
          Fix: {check.fix}
        </Typography>
      )}
    </li>
  );
}

/**
 * Failing checks first, then warnings and what could not be verified; the
 * checks that passed are folded under one line.
 */
function Checklist({ workload }: { workload: WorkloadInfo }) {
  const classes = useStyles();
  const ordered = checksByUrgency(workload.checks);
  const attention = ordered.filter(c => c.status !== 'pass');
  const passed = ordered.filter(c => c.status === 'pass');
  const subject = `${workload.kind} ${workload.name}`;
  return (
    <>
      {attention.length > 0 && (
        <ul
          className={classes.checks}
          aria-label={`Checks to act on, ${subject}`}
        >
          {attention.map((check, i) => (
            <CheckRow key={`${check.check}-${i}`} check={check} />
          ))}
        </ul>
      )}
      {passed.length > 0 && (
        <details className={classes.passed}>
          <summary className={classes.summary}>
            {passed.length} {passed.length === 1 ? 'check' : 'checks'} passed
          </summary>
          <ul
            className={classes.checks}
            aria-label={`Checks passed, ${subject}`}
          >
            {passed.map((check, i) => (
              <CheckRow key={`${check.check}-${i}`} check={check} />
            ))}
          </ul>
        </details>
      )}
    </>
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
        <ModeChip mode={workload.mode} health={chainHealth(workload.checks)} />
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
      {workload.checks.length > 0 && <Checklist workload={workload} />}
      <PodList workload={workload} />
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
