import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { callerKey } from './callerKey';
import { SharedAnswers } from './SharedAnswers';

/**
 * How long the catalog's answer to "this caller reads this entity" is shared
 * between the caller's requests. Each read is the catalog's own
 * permission-checked one; under load (a page many tabs poll) a caller costs
 * the catalog one read per entity in that time. A change of the entity or of
 * the caller's permissions shows within it.
 */
const READ_TTL_MS = 5_000;
const MAX_READS = 10_000;

/** The catalog's entity reads, with the caller's own credentials, shared briefly. */
export class CallerEntityReads {
  private readonly reads = new SharedAnswers<{ entity?: Entity }>({
    ttlMs: READ_TTL_MS,
    maxEntries: MAX_READS,
  });

  constructor(private readonly catalog: CatalogService) {}

  async getEntityByRef(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const read = async () => ({
      entity: await this.catalog.getEntityByRef(entityRef, { credentials }),
    });
    const caller = callerKey(credentials);
    const { entity } = caller
      ? await this.reads.get(JSON.stringify([caller, entityRef]), read)
      : await read();
    return entity;
  }
}
