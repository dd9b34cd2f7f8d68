package io.sluice.app.metrics;

/**
 * A pipeline's lag as its metrics define it, the one definition the {@code /metrics} gauges, the HTTP API and the
 * console all show: 0 when the last binlog poll found nothing past the committed position, else now minus the later
 * of the newest source time handed over (source) or committed (sink) and the last moment a poll found it caught up.
 *
 * @param sourceMs    source lag in milliseconds, or null before anything is known (no event and no poll yet)
 * @param sinkMs      sink lag in milliseconds, or null before anything is known
 * @param bytesBehind bytes of the server's binlog past the committed position, or null before the first poll
 */
public record Lag(Long sourceMs, Long sinkMs, Long bytesBehind) {}
