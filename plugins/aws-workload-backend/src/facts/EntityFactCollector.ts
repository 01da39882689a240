import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityFacts, FactCollector } from './EntityFacts';
import {
  FactReaders,
  readImageFacts,
  readTableFacts,
  readWorkloadFacts,
  tableRefOf,
  withCredentialFacts,
} from './factReads';

/**
 * The entity page's facts: each entity read on its own, through the shared
 * caches, its roles read one at a time (faster than a bulk read for one).
 */
export class EntityFactCollector implements FactCollector {
  constructor(private readonly readers: FactReaders) {}

  collect(entities: Entity[]): Promise<EntityFacts[]> {
    return Promise.all(entities.map(e => this.collectOne(e)));
  }

  private async collectOne(entity: Entity): Promise<EntityFacts> {
    const { readers } = this;
    const [table, images, workloads] = await Promise.all([
      readTableFacts(readers, entity),
      readImageFacts(readers, entity),
      readWorkloadFacts(readers, entity).then(w =>
        withCredentialFacts(readers, entity, w),
      ),
    ]);
    return entityFacts(entity, { table, images, workloads });
  }
}

/** The facts of one entity, from its sections as read. */
export function entityFacts(
  entity: Entity,
  sections: Pick<EntityFacts, 'table' | 'images' | 'workloads'>,
): EntityFacts {
  const tableRef = tableRefOf(entity);
  return {
    entityRef: stringifyEntityRef(entity),
    ...sections,
    ...(tableRef ? { tableRef } : {}),
  };
}
