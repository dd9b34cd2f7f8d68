package io.sluice.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's history of one pipeline kept across restarts: per-minute points (lag, bytes behind, events per
 * second), the events written per table and op so far, and their last rates over each window, in {@value #NAME} in the pipeline's state directory, a
 * small JSON document replaced whole (written to a temporary file, then renamed). Only the console reads it: an unreadable file is logged and started afresh, never a
 * reason to stop the pipeline.
 */
final class HistoryFile {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    /** The file's name in the state directory. */
    static final String NAME = "console-history.json";

    private final Path file;
    private boolean warned;

    HistoryFile(Path stateDirectory) {
        this.file = stateDirectory.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /**
     * What a file holds: per-minute points, oldest first, and the events written per table and op until it was
     * saved (a file from before the totals were kept has none).
     */
    record Kept(
            List<Sampler.Sample> minutes,
            Map<String, Map<String, Long>> tables,
            Map<String, Map<String, double[]>> rates,
            long ratesAt) {
        static final Kept NONE = new Kept(List.of(), Map.of(), Map.of(), -1);

        Kept(List<Sampler.Sample> minutes, Map<String, Map<String, Long>> tables) {
            this(minutes, tables, Map.of(), -1);
        }
    }

    /** What the file keeps; nothing when there is no file or it cannot be read (logged). */
    Kept load() {
        if (!Files.exists(file)) {
            return Kept.NONE;
        }
        try {
            JsonNode doc = JSON.readTree(file.toFile());
            if (doc == null
                    || doc.path("format").asInt() != FORMAT
                    || !doc.path("minutes").isArray()) {
                throw new IOException("not a format " + FORMAT + " console history document");
            }
            List<Sampler.Sample> out = new ArrayList<>();
            for (JsonNode m : doc.get("minutes")) {
                out.add(new Sampler.Sample(
                        m.path("t").asLong(),
                        m.path("lagMs").isNumber() ? m.get("lagMs").asLong() : null,
                        m.path("bytesBehind").isNumber() ? m.get("bytesBehind").asLong() : null,
                        m.path("eventsPerSecond").asDouble()));
            }
            Map<String, Map<String, Long>> tables = new TreeMap<>();
            doc.path("tables").fields().forEachRemaining(t -> {
                Map<String, Long> ops = new TreeMap<>();
                t.getValue()
                        .fields()
                        .forEachRemaining(
                                op -> ops.put(op.getKey(), op.getValue().asLong()));
                tables.put(t.getKey(), ops);
            });
            Map<String, Map<String, double[]>> rates = new TreeMap<>();
            doc.path("rates").fields().forEachRemaining(t -> {
                Map<String, double[]> ops = new TreeMap<>();
                t.getValue().fields().forEachRemaining(op -> {
                    double[] r = new double[op.getValue().size()];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = op.getValue().get(i).asDouble();
                    }
                    ops.put(op.getKey(), r);
                });
                rates.put(t.getKey(), ops);
            });
            return new Kept(out, tables, rates, doc.path("ratesAt").asLong(-1));
        } catch (IOException e) {
            LOG.warn(
                    "the console's lag history {} cannot be read ({}): the chart starts a new one (the pipeline's"
                            + " data and checkpoint are not affected)",
                    file,
                    e.getMessage());
            return Kept.NONE;
        }
    }

    /**
     * Replaces the file with {@code points} and the events written per table and op; a failure is logged once and retried at the next save. Does nothing
     * while the state directory does not exist (the pipeline makes it when it first opens its state).
     */
    void save(List<Sampler.Sample> points, Map<String, Map<String, Long>> tables) {
        save(points, tables, Map.of(), -1);
    }

    /**
     * As {@link #save(List, Map)}, with the last events per second of each table and op over each window and when
     * they were measured ({@code ratesAt}, epoch ms; -1: none), shown after a restart until the windows fill again.
     */
    void save(
            List<Sampler.Sample> points,
            Map<String, Map<String, Long>> tables,
            Map<String, Map<String, double[]>> rates,
            long ratesAt) {
        if (!Files.isDirectory(file.getParent())) {
            return;
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("format", FORMAT);
        ArrayNode minutes = doc.putArray("minutes");
        for (Sampler.Sample s : points) {
            minutes.add(JSON.valueToTree(s));
        }
        doc.set("tables", JSON.valueToTree(new TreeMap<>(tables)));
        if (ratesAt >= 0) {
            doc.set("rates", JSON.valueToTree(new TreeMap<>(rates)));
            doc.put("ratesAt", ratesAt);
        }
        Path tmp = file.resolveSibling(NAME + ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(doc));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            warned = false;
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.warn("cannot keep the console's lag history in {}: {}", file, e.toString());
            }
        }
    }
}
