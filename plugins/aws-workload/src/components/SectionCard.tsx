import { Section } from '@aws-workload/plugin-aws-workload-common';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';
import { useEntityAwsWorkload } from '../hooks';

export interface SectionCardProps<T> {
  title: string;
  /** Which section of the entity view this card shows. */
  section: 'table' | 'images' | 'workloads';
  subheader?: ReactNode;
  deepLink?: (data: T) => { title: string; link: string } | undefined;
  children: (data: T) => ReactNode;
}

const asError = (error: { name: string; message: string }) =>
  Object.assign(new Error(error.message), { name: error.name });

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
        <ResponseErrorPanel
          error={error ?? new Error('No answer from the aws-workload backend')}
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
        <ResponseErrorPanel
          title={`Could not read the ${props.title.toLowerCase()}`}
          error={asError(section.error)}
        />
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
      {props.children(section.data)}
    </InfoCard>
  );
}
