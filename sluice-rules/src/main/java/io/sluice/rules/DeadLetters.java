package io.sluice.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;

/**
 * The dead-letter file of a rule set with {@code on-error: dead-letter}: one JSON line per event a rule failed on,
 * {@code {"rule", "event", "version", "table", "op", "value", "error", "time"}}, appended and forced to disk before
 * the pipeline goes on, so an event is never lost between the failure and the file. After a crash the events since
 * the checkpoint are read again and a failing one is written again: deduplicate on {@code event} (the source's id).
 * Written by the source's thread only.
 */
public final class DeadLetters implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private FileChannel out;

    public DeadLetters(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Where the lines go. */
    public Path file() {
        return file;
    }

    /** Appends {@code f} (its rule, event, row and error), shaped by rule version {@code version}, and syncs. */
    void write(RuleFailure f, int version) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule", f.rule());
        n.put("event", f.event().id());
        n.put("version", version);
        n.put("table", f.event().source().db() + "." + f.event().source().table());
        n.put("op", f.event().op().code());
        ObjectNode value = n.putObject("value");
        for (Map.Entry<String, Object> c : f.value().entrySet()) {
            Object v = c.getValue();
            if (v == null
                    || v instanceof Number
                    || v instanceof Boolean
                    || v instanceof String
                    || v instanceof byte[]) {
                value.set(c.getKey(), JSON.valueToTree(v)); // byte strings as base64
            } else {
                value.put(c.getKey(), v.toString());
            }
        }
        n.put("error", f.error());
        n.put("time", clock.instant().toString());
        try {
            if (out == null) {
                Path dir = file.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                out = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            byte[] line = (JSON.writeValueAsString(n) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(false);
        } catch (IOException e) {
            throw SluiceException.fatal(
                    "cannot write to the rules' dead-letter file " + file + " (" + e.getMessage() + "), so the"
                            + " pipeline stops rather than lose " + f.getMessage(),
                    e);
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
