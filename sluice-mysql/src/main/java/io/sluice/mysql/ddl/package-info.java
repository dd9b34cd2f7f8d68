/**
 * The DDL parser: statements from the binlog (as the server logged them, under its {@code sql_mode}) into
 * {@link io.sluice.mysql.ddl.DdlStatement} values that say what changes in which table. Pure: depends on the JDK
 * only, no connection and no other package of this module.
 */
package io.sluice.mysql.ddl;
