import {
  PodInfo,
  WorkloadInfo,
} from '@aws-workload/plugin-aws-workload-common';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import { useState } from 'react';
import { imageAnchor, relativeTime, shortDigest } from './format';

/** Pods shown before "Show all": a workload with many replicas stays short. */
export const PODS_SHOWN = 5;

function Images({ pod }: { pod: PodInfo }) {
  return (
    <>
      {pod.images.map(image => (
        <div key={image.container}>
          {image.digest ? (
            // The row of that image in the ECR images card, on this page: a
            // plain anchor (a router link would resolve it against the root).
            <Link href={`#${imageAnchor(image.digest)}`}>
              <code>{shortDigest(image.digest)}</code>
            </Link>
          ) : (
            <code>{image.image ?? '—'}</code>
          )}
          {pod.images.length > 1 && ` (${image.container})`}
        </div>
      ))}
    </>
  );
}

function Age({ since }: { since?: string }) {
  const time = relativeTime(since);
  return (
    <Tooltip title={time.exact}>
      <time dateTime={since}>{time.relative}</time>
    </Tooltip>
  );
}

/** The workload's pods: name, phase, readiness, restarts, age and image. */
export function PodList({ workload }: { workload: WorkloadInfo }) {
  const [showAll, setShowAll] = useState(false);
  const { pods } = workload;
  if (pods.length === 0) return null;
  const shown = showAll ? pods : pods.slice(0, PODS_SHOWN);
  return (
    <>
      <Table
        size="small"
        aria-label={`Pods of ${workload.kind} ${workload.name}`}
      >
        <TableHead>
          <TableRow>
            <TableCell>Pod</TableCell>
            <TableCell>Phase</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell>Restarts</TableCell>
            <TableCell>Age</TableCell>
            <TableCell>Image</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(pod => (
            <TableRow key={pod.name} data-pod={pod.name}>
              <TableCell>{pod.name}</TableCell>
              <TableCell>{pod.phase ?? '—'}</TableCell>
              <TableCell>
                {pod.containers === undefined
                  ? '—'
                  : `${pod.readyContainers}/${pod.containers}`}
              </TableCell>
              <TableCell>{pod.restarts ?? '—'}</TableCell>
              <TableCell>
                <Age since={pod.startedAt} />
              </TableCell>
              <TableCell>
                <Images pod={pod} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {pods.length > PODS_SHOWN && (
        <Button
          size="small"
          onClick={() => setShowAll(!showAll)}
          aria-expanded={showAll}
        >
          {showAll ? 'Show fewer pods' : `Show all ${pods.length} pods`}
        </Button>
      )}
    </>
  );
}
