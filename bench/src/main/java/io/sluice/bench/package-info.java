/**
 * Benchmarks run by hand ({@code bench/run.sh}, BENCHMARKS.md): whole pipelines on real servers, the raw binlog and
 * SELECT readers they are compared with, and the process statistics they record. May depend on every module, the
 * testkit included; nothing depends on it.
 */
package io.sluice.bench;
