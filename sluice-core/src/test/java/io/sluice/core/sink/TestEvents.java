package io.sluice.core.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Events, checkpoints and output readers shared by the sink tests. */
final class TestEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = 1_764_000_000_123L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    static final String BINLOG = "mysql-bin.000001";
    private static final String[] COLUMNS = {"id", "status", "note"};
    private static final String[] KEY = {"id"};

    private TestEvents() {}

    /** Row {@code row} of the transaction starting at binlog position {@code pos}; {@code padding} widens it. */
    static ChangeEvent event(long pos, int row, int padding) {
        SourceInfo source =
                new SourceInfo("shop", 1, null, BINLOG, pos, row, 1_764_000_000_000L, "sales", "orders", false);
        long id = pos * 100 + row;
        return new ChangeEvent(
                ChangeEvent.id("shop", BINLOG + ":" + pos, row),
                Op.CREATE,
                source,
                new Row(KEY, new Object[] {id}),
                null,
                new Row(COLUMNS, new Object[] {id, "naïve 🚀", "x".repeat(padding)}),
                1,
                null);
    }

    static ChangeEvent event(long pos, int row) {
        return event(pos, row, 10);
    }

    /** The checkpoint after the transaction at {@code pos}: resume at the next one. */
    static Checkpoint checkpoint(long nextPos) {
        return new Checkpoint(new BinlogPosition(BINLOG, nextPos, null), List.of(), Map.of());
    }

    /** All segment files of {@code dir}, in name order. */
    static List<Path> segments(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("events-\\d{12}\\.jsonl"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every segment, parsed; fails on a line that is not one complete JSON object. */
    static List<JsonNode> lines(Path dir) {
        List<JsonNode> out = new ArrayList<>();
        for (Path p : segments(dir)) {
            out.addAll(parse(read(p)));
        }
        return out;
    }

    static List<JsonNode> parse(String text) {
        List<JsonNode> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError(
                    "output does not end with a newline: ..." + text.substring(Math.max(0, text.length() - 80)));
        }
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n == null || !n.isObject()) {
                    throw new AssertionError("not a JSON object: " + line);
                }
                out.add(n);
            } catch (IOException e) {
                throw new AssertionError("not valid JSON: " + line, e);
            }
        }
        return out;
    }

    static List<String> ids(List<JsonNode> lines) {
        return lines.stream().map(n -> n.get("id").asText()).toList();
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory and the files in it (as an operator's {@code rm -r} would). */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
