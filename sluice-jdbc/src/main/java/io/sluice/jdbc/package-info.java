/**
 * The JDBC sink ({@code sink.type: jdbc}): applies change events to tables of PostgreSQL or the MySQL family
 * (MySQL, MariaDB, TiDB) exactly once, by committing the rows and the pipeline's checkpoint in one database
 * transaction. Depends on the core and the two JDBC drivers only; never on a source module.
 */
package io.sluice.jdbc;
