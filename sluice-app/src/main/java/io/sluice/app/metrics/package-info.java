/** Prometheus metrics of the pipelines in this process (Micrometer), and the binlog-end poller behind them. */
package io.sluice.app.metrics;
