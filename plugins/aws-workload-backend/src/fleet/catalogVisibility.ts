import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { EVERY_ENTITY, FleetVisibility } from './FleetStore';

type Criteria = PermissionCriteria<PermissionCondition>;

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : undefined;

const inList = (builder: Knex.QueryBuilder, column: string, values: string[]) =>
  values.length === 0
    ? builder.whereRaw('1 = 0')
    : builder.whereRaw(
        `${column} in (${values.map(() => '?').join(', ')})`,
        values,
      );

/**
 * The catalog's rules whose answer the fleet table holds: the owner (stored
 * as the full ref the ownedBy relation points at) and the kind. Each reads
 * its parameters, or says it cannot (undefined).
 */
const RULES: Record<
  string,
  (params: any) => ((builder: Knex.QueryBuilder) => void) | undefined
> = {
  IS_ENTITY_OWNER: params => {
    const claims = stringList(params?.claims);
    return claims && (b => inList(b, 'f.owner', claims));
  },
  IS_ENTITY_KIND: params => {
    const kinds = stringList(params?.kinds)?.map(k =>
      k.toLocaleLowerCase('en-US'),
    );
    return kinds && (b => inList(b, 'lower(f.kind)', kinds));
  },
};

/** The criteria as a where clause, or undefined if a rule is not one we hold. */
function translate(
  criteria: Criteria,
): ((builder: Knex.QueryBuilder) => void) | undefined {
  if ('allOf' in criteria || 'anyOf' in criteria) {
    const all = 'allOf' in criteria;
    const parts = (all ? criteria.allOf : criteria.anyOf).map(translate);
    if (parts.some(p => !p)) return undefined;
    return builder => {
      if (!all && parts.length === 0) builder.whereRaw('1 = 0');
      for (const part of parts) {
        if (all) builder.where(sub => part!(sub));
        else builder.orWhere(sub => part!(sub));
      }
    };
  }
  if ('not' in criteria) {
    const inner = translate(criteria.not);
    return inner && (builder => builder.whereNot(sub => inner(sub)));
  }
  return RULES[criteria.rule]?.(criteria.params);
}

/**
 * The catalog's read decision for a caller as a condition on the fleet
 * table (aliased `f`), or undefined when its conditions use a rule the
 * table does not hold: the caller's entities are then asked of the catalog
 * itself.
 */
export function visibilityOf(
  decision: PolicyDecision,
): FleetVisibility | undefined {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    if (decision.result === AuthorizeResult.ALLOW) return EVERY_ENTITY;
    return { key: 'no entity', where: builder => builder.whereRaw('1 = 0') };
  }
  if (decision.resourceType !== RESOURCE_TYPE_CATALOG_ENTITY) return undefined;
  const where = translate(decision.conditions);
  return (
    where && {
      key: JSON.stringify(decision.conditions),
      where: builder => builder.where(sub => where(sub)),
    }
  );
}
