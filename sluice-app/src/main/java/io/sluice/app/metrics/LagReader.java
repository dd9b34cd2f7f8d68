package io.sluice.app.metrics;

import java.util.Map;
import java.util.Optional;

/**
 * Reads a pipeline's current {@link Lag} by name (empty for a pipeline it has no metrics of), and its events written
 * per table and op.
 */
@FunctionalInterface
public interface LagReader {
    /** Never lag: for servers that run without metrics. */
    LagReader NONE = name -> Optional.empty();

    Optional<Lag> lag(String pipeline);

    /**
     * The change events written to the sink since the process started, by table ({@code db.table}) and op code
     * ({@code c}, {@code u}, {@code d}, {@code r}, ...), as the {@code sluice_events_total} counters count them;
     * empty by default.
     */
    default Map<String, Map<String, Long>> tableEvents(String pipeline) {
        return Map.of();
    }
}
