/**
 * The sink seam ({@link io.sluice.core.sink.Sink}, made by a {@link io.sluice.core.sink.SinkProvider} found through
 * {@link java.util.ServiceLoader}) and the built-in sinks that need no external system (file, stdout). May depend on
 * {@code io.sluice.core.event}, {@code io.sluice.core.checkpoint}, {@code io.sluice.core.config} and
 * {@code io.sluice.core.state}; not on the pipeline runtime, which drives sinks.
 */
package io.sluice.core.sink;
