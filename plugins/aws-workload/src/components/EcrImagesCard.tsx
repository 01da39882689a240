import { ImageInfo } from '@aws-workload/plugin-aws-workload-common';
import { Table, TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { formatBytes, imageAnchor, relativeTime, shortDigest } from './format';
import { SectionCard } from './SectionCard';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

function Findings({ image }: { image: ImageInfo }) {
  const counts = SEVERITIES.filter(s => (image.findings?.[s] ?? 0) > 0).map(
    s => `${image.findings![s]} ${s.toLowerCase()}`,
  );
  if (!image.scanStatus) return <>not scanned</>;
  return <>{counts.length ? counts.join(', ') : 'no findings'}</>;
}

function Pushed({ at }: { at?: string }) {
  const time = relativeTime(at);
  return (
    <Tooltip title={time.exact}>
      <time dateTime={at}>{time.relative}</time>
    </Tooltip>
  );
}

const columns: TableColumn<ImageInfo>[] = [
  {
    title: 'Tags',
    render: image => (
      <>
        {image.tags.length ? image.tags.join(', ') : <em>untagged</em>}{' '}
        {image.running && <Chip size="small" color="primary" label="running" />}
      </>
    ),
  },
  {
    title: 'Digest',
    render: image => (
      <code id={imageAnchor(image.digest)}>{shortDigest(image.digest)}</code>
    ),
  },
  { title: 'Pushed', render: image => <Pushed at={image.pushedAt} /> },
  { title: 'Size', render: image => formatBytes(image.sizeBytes) },
  { title: 'Scan findings', render: image => <Findings image={image} /> },
];

/** The entity's newest ECR images, the ones its pods run marked "running". */
export function EcrImagesCard() {
  return (
    <SectionCard<ImageInfo[]> title="ECR images" section="images">
      {images => (
        <Table<ImageInfo>
          options={{
            paging: false,
            search: false,
            toolbar: false,
            padding: 'dense',
            // Already newest first; sort labels would nest buttons in headers.
            sorting: false,
          }}
          columns={columns}
          data={images}
          emptyContent={<>No images pushed yet.</>}
        />
      )}
    </SectionCard>
  );
}
