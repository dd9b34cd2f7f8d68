/** The binlog source: replication connection, transaction assembly, positions. */
package io.sluice.mysql.source;
