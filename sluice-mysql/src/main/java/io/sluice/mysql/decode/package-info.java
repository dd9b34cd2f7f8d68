/** Binlog row cells to contract values: temporal formats, character sets, unsigned numbers, labels. */
package io.sluice.mysql.decode;
