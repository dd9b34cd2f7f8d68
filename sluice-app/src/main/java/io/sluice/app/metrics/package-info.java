/**
 * Prometheus metrics of the pipelines in this process (Micrometer), and the binlog-end poller behind them. May depend
 * on {@code io.sluice.app.config}, the core and the modules below; not on the runner, HTTP or CLI packages.
 */
package io.sluice.app.metrics;
