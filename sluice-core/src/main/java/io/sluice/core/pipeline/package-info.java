/** The pipeline runtime: a source thread and a sink thread joined by a bounded queue. */
package io.sluice.core.pipeline;
