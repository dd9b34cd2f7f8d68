/**
 * Table definitions used to decode rows: from TABLE_MAP full metadata, completed from information_schema where
 * the server sends less. The seam for a full schema history.
 */
package io.sluice.mysql.schema;
