import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsWorkloadApiRef } from './api';

/** The current entity's view: loading, an error of the whole request, or the sections. */
export function useEntityAwsWorkload() {
  const { entity } = useEntity();
  const api = useApi(awsWorkloadApiRef);
  const ref = getCompoundEntityRef(entity);
  const state = useAsyncRetry<EntityAwsWorkloadResponse>(
    () => api.getEntityView(ref),
    [api, ref.kind, ref.namespace, ref.name],
  );
  return { entity, ...state };
}
