/*
 * Posture history: when each entity's modes or failing checks changed, and
 * a daily count of entities per mode and per failing check. Runs on SQLite
 * and PostgreSQL. Rows older than the retention are deleted by the refresh.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_workload_posture_changes', table => {
    table.comment(
      'One row each time a refresh found the modes or failing checks of an entity different',
    );
    table.increments('id');
    table.string('entity_ref').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.text('modes').notNullable().comment('JSON array, sorted');
    table.text('failing_checks').notNullable().comment('JSON array, sorted');
    table.index(['entity_ref', 'changed_at']);
    table.index(['changed_at']);
  });
  await knex.schema.createTable('aws_workload_posture_daily', table => {
    table.comment(
      'Entities per mode and per failing check, as the last refresh of each day (UTC) counted them',
    );
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table.string('dimension', 16).notNullable().comment('mode or check');
    table.string('value', 255).notNullable();
    table.integer('entities').notNullable();
    table.primary(['day', 'dimension', 'value']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_workload_posture_daily');
  await knex.schema.dropTable('aws_workload_posture_changes');
};
