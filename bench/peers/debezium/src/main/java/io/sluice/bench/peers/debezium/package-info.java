/** Benchmark peer: Debezium's embedded engine reading the benchmark's binlog into a file, run by BinlogBench part z. */
package io.sluice.bench.peers.debezium;
