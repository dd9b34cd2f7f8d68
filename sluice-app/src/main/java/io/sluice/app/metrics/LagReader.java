package io.sluice.app.metrics;

import java.util.Optional;

/** Reads a pipeline's current {@link Lag} by name; empty for a pipeline it has no metrics of. */
@FunctionalInterface
public interface LagReader {
    /** Never lag: for servers that run without metrics. */
    LagReader NONE = name -> Optional.empty();

    Optional<Lag> lag(String pipeline);
}
