import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsWorkloadApiRef } from './api';

/**
 * The current entity's view: loading, an error of the whole request, or the
 * sections; after a re-check, the re-checked view on every card.
 */
export function useEntityAwsWorkload() {
  const { entity } = useEntity();
  const api = useApi(awsWorkloadApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const state = useAsyncRetry<EntityAwsWorkloadResponse>(
    () => api.getEntityView({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  const [rechecked, setRechecked] = useState<EntityAwsWorkloadResponse>();
  useEffect(() => {
    // Another entity's re-checked view is never shown for this one.
    setRechecked(undefined);
    return api.onRecheck?.({ kind, namespace, name }, setRechecked);
  }, [api, kind, namespace, name]);
  return { entity, ...state, value: rechecked ?? state.value };
}
