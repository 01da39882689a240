import { DefaultTemplateOutputs } from '@backstage/plugin-scaffolder-react/alpha';
import { ScaffolderTaskOutput } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useEffect, useMemo } from 'react';

/**
 * The archive a template hands over in `output.archiveFileName` and
 * `output.archiveBase64` (a v1beta3 template's extra outputs are strings).
 */
export interface ArchiveOutput {
  fileName: string;
  base64: string;
}

function archiveOf(output?: ScaffolderTaskOutput): ArchiveOutput | undefined {
  const fileName = output?.archiveFileName;
  const base64 = output?.archiveBase64;
  return typeof fileName === 'string' &&
    typeof base64 === 'string' &&
    base64.length > 0
    ? { fileName, base64 }
    : undefined;
}

/** A blob URL for the archive, revoked when the page leaves it. */
function useDownloadUrl(archive?: ArchiveOutput) {
  const url = useMemo(() => {
    if (!archive) return undefined;
    const bytes = Uint8Array.from(atob(archive.base64), c => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/gzip' }));
  }, [archive]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

/** A button that saves a run's generated files, and what they are. */
export function ArchiveDownload(props: { archive: ArchiveOutput }) {
  const url = useDownloadUrl(props.archive);
  if (!url) return null;
  return (
    <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
      <Button
        variant="contained"
        color="primary"
        startIcon={<GetAppIcon />}
        href={url}
        download={props.archive.fileName}
      >
        Download the generated files
      </Button>
      <Typography variant="body2" color="textSecondary">
        {props.archive.fileName}: every file this run generated, as a gzipped
        tarball.
      </Typography>
    </Box>
  );
}

/**
 * The run's outputs as the scaffolder shows them, and the generated files as
 * a download: what a run that could not publish still hands over.
 */
export function GeneratedFilesOutput(props: { output?: ScaffolderTaskOutput }) {
  const archive = archiveOf(props.output);
  return (
    <>
      {archive && <ArchiveDownload archive={archive} />}
      <DefaultTemplateOutputs output={props.output} />
    </>
  );
}
