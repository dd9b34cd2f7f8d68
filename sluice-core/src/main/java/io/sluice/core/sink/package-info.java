/**
 * The sink seam ({@link io.sluice.core.sink.Sink}) and the built-in sinks that need no external system (file,
 * stdout). May depend on {@code io.sluice.core.event} and {@code io.sluice.core.checkpoint}; not on the pipeline
 * runtime, which drives sinks.
 */
package io.sluice.core.sink;
