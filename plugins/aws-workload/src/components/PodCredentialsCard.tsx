import {
  chainHealth,
  Check,
  CHECK_STATUS_LABELS,
  FixArtefact,
  iamRoleConsoleUrl,
  checksByUrgency,
  checkTitle,
  pullRequestFixesFor,
  pullRequestFixUrl,
  WorkloadInfo,
} from '@aws-workload/plugin-aws-workload-common';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CopyTextButton,
  Link,
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
import { RecheckBar } from './RecheckBar';
import { SectionCard } from './SectionCard';
import { relativeTime } from './format';

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
  artefact: { marginTop: theme.spacing(0.5) },
  code: {
    margin: 0,
    padding: theme.spacing(1),
    maxHeight: 240,
    overflow: 'auto',
    // Long command lines wrap rather than hide their end; copying is exact.
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontSize: theme.typography.caption.fontSize,
    backgroundColor: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
  },
  summary: { cursor: 'pointer', color: theme.palette.text.secondary },
}));

/** The role in the IAM console of its partition, where the ARN parses. */
function RoleConsoleLink({ roleArn }: { roleArn: string }) {
  const url = iamRoleConsoleUrl(roleArn);
  if (!url) return null;
  return (
    <>
      {' '}
      (
      <Link to={url} underline="always">
        open the role in the AWS console
      </Link>
      )
    </>
  );
}

/** A fix to apply as it is (a corrected policy, a command), with a copy button. */
function FixArtefactBlock({ artefact }: { artefact: FixArtefact }) {
  const classes = useStyles();
  return (
    <div className={classes.artefact}>
      <Typography variant="caption" component="div" className={classes.title}>
        {artefact.label}
        <CopyTextButton
          text={artefact.content}
          tooltipText="Copied"
          aria-label={`Copy: ${artefact.label}`}
        />
      </Typography>
      <pre className={classes.code} data-artefact={artefact.language}>
        {artefact.content}
      </pre>
    </div>
  );
}

/**
 * One link of the chain: its status in words (the icon beside it is hidden
 * from assistive technology, as Backstage's status components are), its
 * title, its id as a small code for search and the API, what was found and
 * how to fix it.
 */
function CheckRow({
  check,
  failingSince,
}: {
  check: Check;
  /** When the fleet's refreshes first found this check failing. */
  failingSince?: string;
}) {
  const classes = useStyles();
  const Icon = STATUS_ICON[check.status];
  const since =
    check.status === 'fail' && failingSince
      ? relativeTime(failingSince)
      : undefined;
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
      {since && (
        <Typography
          variant="body2"
          color="textSecondary"
          component="div"
          data-failing-since={failingSince}
        >
          Failing since {since.exact} ({since.relative})
        </Typography>
      )}
      {check.fix && (
        <Typography variant="body2" color="textSecondary" component="div">
          Fix: {check.fix}
        </Typography>
      )}
      {check.artefacts?.map(artefact => (
        <FixArtefactBlock key={artefact.label} artefact={artefact} />
      ))}
    </li>
  );
}

/**
 * Failing checks first, then warnings and what could not be verified; the
 * checks that passed are folded under one line.
 */
function Checklist({
  workload,
  failingSince,
}: {
  workload: WorkloadInfo;
  failingSince?: Record<string, string>;
}) {
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
            <CheckRow
              key={`${check.check}-${i}`}
              check={check}
              failingSince={failingSince?.[check.check]}
            />
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

/**
 * One click to the "Fix AWS credentials in a pull request" template, its
 * form prefilled from the entity and this workload.
 */
function PullRequestFixLinks({ workload }: { workload: WorkloadInfo }) {
  const { entity } = useEntity();
  const fixes = pullRequestFixesFor(entity, workload);
  if (fixes.length === 0) return null;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mt={1}>
      {fixes.map(fix => (
        <Link key={fix.fix} to={pullRequestFixUrl(fix)} underline="always">
          {fix.title}
        </Link>
      ))}
    </Box>
  );
}

function WorkloadCredentials({
  workload,
  failingSince,
}: {
  workload: WorkloadInfo;
  failingSince?: Record<string, string>;
}) {
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
            <RoleConsoleLink roleArn={workload.roleArn} />
          </>
        )}
      </Typography>
      {workload.checks.length > 0 && (
        <Checklist workload={workload} failingSince={failingSince} />
      )}
      <PullRequestFixLinks workload={workload} />
      <PodList workload={workload} />
    </Box>
  );
}

/** How each workload's pods get AWS credentials, with the chain checked link by link. */
export function PodCredentialsCard() {
  return (
    <SectionCard<WorkloadInfo[]>
      title="Pod credentials"
      section="workloads"
      footer={<RecheckBar />}
    >
      {(workloads, view) =>
        workloads.length === 0 ? (
          <Typography>
            No workload found with the entity's label selector.
          </Typography>
        ) : (
          workloads.map((w, i) => (
            <Fragment key={`${w.cluster}/${w.namespace}/${w.kind}/${w.name}`}>
              {i > 0 && <Divider />}
              <WorkloadCredentials
                workload={w}
                failingSince={view.failingSince}
              />
            </Fragment>
          ))
        )
      }
    </SectionCard>
  );
}
