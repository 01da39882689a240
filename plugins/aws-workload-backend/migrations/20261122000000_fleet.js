/*
 * The fleet: the stored posture of every entity, and the refresh runs.
 * Runs on SQLite and PostgreSQL.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_workload_fleet', table => {
    table.comment('The credential posture of each catalog entity');
    table.string('entity_ref').primary().notNullable();
    table.string('kind').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.string('owner').nullable();
    table.text('posture').notNullable().comment('FleetEntry as JSON');
    table.boolean('stale').notNullable().defaultTo(false);
    table.timestamp('refreshed_at', { useTz: true }).notNullable();
    table.index(['owner']);
  });
  await knex.schema.createTable('aws_workload_fleet_runs', table => {
    table.comment('One row per refresh run');
    table.increments('id');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('status').notNullable();
    table.string('instance').nullable();
    table.integer('entities').nullable();
    table.text('calls').nullable();
    table.text('error').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_workload_fleet_runs');
  await knex.schema.dropTable('aws_workload_fleet');
};
