/*
 * Fleet queries in SQL: what a row sorts and is searched by, and one row
 * per (entity, facet, value) for the filters, counts and groups. Runs on
 * SQLite and PostgreSQL. Rows stored before this migration are filled in
 * from their posture when the store starts.
 */

const SORT_COLUMNS = [
  ['s_name', 'string'],
  ['s_owner', 'string'],
  ['s_modes', 'string'],
  ['s_failing', 'integer'],
  ['s_warning', 'integer'],
  ['s_clusters', 'text'],
  ['s_account', 'string'],
  ['s_table_status', 'string'],
  ['s_findings', 'bigInteger'],
  ['s_newest_image', 'bigInteger'],
  ['s_refreshed', 'string'],
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('aws_workload_fleet', table => {
    table
      .text('search_text')
      .nullable()
      .comment('What a row shows, lower case, for the search box');
    for (const [name, type] of SORT_COLUMNS) table[type](name).nullable();
    table.index(['s_name']);
  });
  await knex.schema.createTable('aws_workload_fleet_values', table => {
    table.comment(
      'The values of each entity for each filter: mode, owner, kind, checks, cluster, account',
    );
    table.string('entity_ref').notNullable();
    table.string('facet', 32).notNullable();
    table.string('value', 512).notNullable();
    table.primary(['entity_ref', 'facet', 'value']);
    table.index(['facet', 'value', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_workload_fleet_values');
  await knex.schema.alterTable('aws_workload_fleet', table => {
    table.dropIndex(['s_name']);
    table.dropColumn('search_text');
    for (const [name] of SORT_COLUMNS) table.dropColumn(name);
  });
};
