import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory from 'knex';
import { visibilityOf } from './catalogVisibility';

const knex = knexFactory({ client: 'better-sqlite3', useNullAsDefault: true });
const sqlOf = (visibility: ReturnType<typeof visibilityOf>) => {
  const builder = knex('aws_workload_fleet as f').select('f.entity_ref');
  visibility!.where?.(builder);
  return builder.toSQL().toNative();
};
const conditional = (conditions: any) =>
  createCatalogConditionalDecision(catalogEntityReadPermission, conditions);

describe('visibilityOf', () => {
  afterAll(() => knex.destroy());

  it('lets everything through on ALLOW and nothing on DENY', () => {
    expect(sqlOf(visibilityOf({ result: AuthorizeResult.ALLOW })).sql).toBe(
      'select `f`.`entity_ref` from `aws_workload_fleet` as `f`',
    );
    expect(sqlOf(visibilityOf({ result: AuthorizeResult.DENY })).sql).toContain(
      'where 1 = 0',
    );
  });

  it('applies owner and kind rules, with allOf, anyOf and not, as SQL', () => {
    const visibility = visibilityOf(
      conditional({
        anyOf: [
          catalogConditions.isEntityOwner({
            claims: ['group:default/team-a', 'user:default/ana'],
          }),
          {
            allOf: [
              catalogConditions.isEntityKind({ kinds: ['Resource'] }),
              { not: catalogConditions.isEntityOwner({ claims: [] }) },
            ],
          },
        ],
      }),
    );
    const { sql, bindings } = sqlOf(visibility);
    expect(sql).toBe(
      'select `f`.`entity_ref` from `aws_workload_fleet` as `f` where ((f.owner in (?, ?)) or ((lower(f.kind) in (?)) and (not (1 = 0))))',
    );
    expect(bindings).toEqual([
      'group:default/team-a',
      'user:default/ana',
      'resource',
    ]);
  });

  it('gives up on a rule the fleet table does not hold, so that the catalog answers', () => {
    expect(
      visibilityOf(
        conditional({
          allOf: [
            catalogConditions.isEntityKind({ kinds: ['Component'] }),
            catalogConditions.hasAnnotation({ annotation: 'x' }),
          ],
        }),
      ),
    ).toBeUndefined();
  });
});
