/**
 * The pipeline runtime: a source thread and a sink thread joined by a bounded queue, back-pressure by blocking, the
 * source's failure raised on the sink side. May depend on every other core package; none of them depends on it.
 */
package io.sluice.core.pipeline;
