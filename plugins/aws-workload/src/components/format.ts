import { DateTime } from 'luxon';

export function formatBytes(bytes?: number): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function relativeTime(iso?: string): {
  relative: string;
  exact: string;
} {
  if (!iso) return { relative: '—', exact: '' };
  const time = DateTime.fromISO(iso);
  return {
    relative: time.toRelative() ?? iso,
    exact: time.toLocaleString(DateTime.DATETIME_FULL),
  };
}

/** `sha256:0123456789ab…`: enough to tell images apart. */
export const shortDigest = (digest: string) =>
  digest.replace(/^(sha256:[0-9a-f]{12}).*$/, '$1');

/**
 * The id of an image's row in the ECR images card, so a pod's digest can
 * link to it on the same page.
 */
export const imageAnchor = (digest: string) =>
  `ecr-image-${digest.replace(/^sha256:/, '').slice(0, 32)}`;
