import { EntityAwsWorkloadResponse } from '@aws-workload/plugin-aws-workload-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { assessEntity } from '../assessment/assessEntity';
import { EntityFactCollector } from '../facts/EntityFactCollector';
import { FactCollector } from '../facts/EntityFacts';
import { FactReaders } from '../facts/factReads';
import { PerEntitySource } from '../facts/WorkloadSource';
import { withFreshReads } from '../lib/freshReads';
import { SharedAnswers } from '../lib/SharedAnswers';

export interface EntityViewOptions {
  /** Reads the entities' facts. */
  facts: FactCollector;
  /** Marks every view as the demo's. */
  demo: boolean;
}

/** The readers of the entity page; the source defaults to one entity at a time. */
export type EntityViewReaders = Omit<FactReaders, 'source'> &
  Partial<Pick<FactReaders, 'source'>> & { demo: boolean };

/**
 * How long an assembled view is shared between requests for the same entity:
 * a page open in many browsers costs one assembly per entity in that time.
 */
const RECENT_VIEW_MS = 5_000;
const MAX_RECENT_VIEWS = 5_000;

/** The key holds the annotations: a changed entity is never answered from before. */
const recentKey = (entity: Entity) =>
  JSON.stringify([
    stringifyEntityRef(entity),
    entity.metadata.annotations ?? {},
  ]);

/**
 * The entity view: the entity's facts, read, then judged by the assessment.
 * Each section is read on its own, so one failing upstream never fails the
 * others.
 */
export class EntityViewService {
  private readonly recent = new SharedAnswers<EntityAwsWorkloadResponse>({
    ttlMs: RECENT_VIEW_MS,
    maxEntries: MAX_RECENT_VIEWS,
  });

  constructor(private readonly options: EntityViewOptions) {}

  /** The entity page's view: per-entity reads through the given clients. */
  static fromReaders(readers: EntityViewReaders): EntityViewService {
    const { demo, ...rest } = readers;
    return new EntityViewService({
      demo,
      facts: new EntityFactCollector({
        ...rest,
        source:
          rest.source ??
          new PerEntitySource({ kubernetes: rest.kubernetes, eks: rest.eks }),
      }),
    });
  }

  /**
   * The view, assembled at most once per entity every few seconds. The key
   * holds the annotations, so a changed entity is never answered from before.
   */
  getRecentEntityView(entity: Entity): Promise<EntityAwsWorkloadResponse> {
    return this.recent.get(recentKey(entity), () => this.getEntityView(entity));
  }

  /**
   * The view read anew from every upstream, caches bypassed for this
   * entity's reads only; the answer then serves the views after it.
   */
  recheckEntityView(entity: Entity): Promise<EntityAwsWorkloadResponse> {
    return withFreshReads(() =>
      this.recent.refresh(recentKey(entity), () => this.getEntityView(entity)),
    );
  }

  async getEntityView(entity: Entity): Promise<EntityAwsWorkloadResponse> {
    const [facts] = await this.options.facts.collect([entity]);
    return assessEntity(facts, { demo: this.options.demo });
  }
}
