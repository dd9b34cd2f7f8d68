/**
 * The sink seam ({@link io.sluice.core.sink.Sink}, made by a {@link io.sluice.core.sink.SinkProvider} found through
 * {@link java.util.ServiceLoader}) and the built-in sinks that need no external system (file, stdout).
 */
package io.sluice.core.sink;
