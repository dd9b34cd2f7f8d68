/**
 * Table definitions and their versions: from TABLE_MAP full metadata, completed from information_schema where the
 * server sends less, the durable schema history, compatibility policies, approvals and quarantine. May depend on the
 * core, {@code io.sluice.mysql.ddl} and {@code io.sluice.mysql.server}; not on the source, the snapshot or checks.
 */
package io.sluice.mysql.schema;
