/** Benchmark peer: Maxwell's daemon reading the benchmark's binlog into a file, run by BinlogBench part x. */
package io.sluice.bench.peers.maxwell;
