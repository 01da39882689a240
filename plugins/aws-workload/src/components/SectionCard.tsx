import {
  EntityAwsWorkloadResponse,
  Section,
} from '@aws-workload/plugin-aws-workload-common';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';
import { useEntityAwsWorkload } from '../hooks';

export interface SectionCardProps<T> {
  title: string;
  /** Which section of the entity view this card shows. */
  section: 'table' | 'images' | 'workloads';
  subheader?: ReactNode;
  deepLink?: (data: T) => { title: string; link: string } | undefined;
  /** Shown under the data and under the section's error alike (a re-check). */
  footer?: ReactNode;
  /** The section's data, and the whole view (for what spans sections). */
  children: (data: T, view: EntityAwsWorkloadResponse) => ReactNode;
}

/**
 * A failure said in words: the reason (and what to do, which the backend puts
 * in its messages) in the title (WarningPanel prefixes it with "Error:"); the error's class below it for
 * whoever reports it. No stack trace: a browser stack means nothing to the
 * reader, and the backend's own detail stays in its log.
 */
function FailurePanel(props: {
  what: string;
  error: { name?: string; message: string };
}) {
  return (
    <WarningPanel
      severity="error"
      title={`${props.what}: ${props.error.message}`}
      message={
        props.error.name ? `Reported as ${props.error.name}.` : undefined
      }
    />
  );
}

/**
 * A card over one section: loading, the annotation to add when it is
 * missing, the section's own error, or its data. One failing section
 * leaves the other cards working.
 */
export function SectionCard<T>(props: SectionCardProps<T>) {
  const { value, loading, error } = useEntityAwsWorkload();
  if (loading) {
    return (
      <InfoCard title={props.title}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title={props.title}>
        <FailurePanel
          what="The aws-workload backend did not answer"
          error={
            error ?? {
              message: 'no answer; check that the backend plugin is installed',
            }
          }
        />
      </InfoCard>
    );
  }
  const section = value[props.section] as Section<T>;
  if (section.status === 'absent') {
    return <MissingAnnotationEmptyState annotation={section.annotation} />;
  }
  if (section.status === 'error') {
    return (
      <InfoCard title={props.title}>
        <FailurePanel
          what={`Could not read the ${props.title}`}
          error={section.error}
        />
        {props.footer}
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title={props.title}
      subheader={props.subheader}
      deepLink={props.deepLink?.(section.data)}
      variant="gridItem"
    >
      {props.children(section.data, value)}
      {props.footer}
    </InfoCard>
  );
}
