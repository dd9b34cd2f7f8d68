package io.sluice.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A sink's state file, {@code <stateDir>/checkpoint.json}, written atomically: the new content goes to
 * {@code checkpoint.json.tmp}, is fsynced, renamed over {@code checkpoint.json} (an atomic move), and then the
 * directory is fsynced. A reader therefore sees the old document or the new one, never a mix.
 *
 * <p>The document: {@code {"format": 1, "sink": "<kind>", ...sink fields..., "checkpoint": {...}}}, the checkpoint
 * serialised by {@link CheckpointCodec}; {@code checkpoint} is absent while the sink has committed nothing yet.
 *
 * <p>As a {@link CheckpointStore} (the file sinks, stdout, and tools through {@link FileStateStore#checkpoint()})
 * it reads and writes the checkpoint alone; the file sink also keeps where its output ends in the same document
 * ({@link #write(Checkpoint, Consumer)}, {@link #readDocument()}).
 */
public final class CheckpointFile implements CheckpointStore {
    /** The state document's name in the state directory. */
    public static final String NAME = "checkpoint.json";

    static final String TEMP_NAME = NAME + ".tmp";
    /** Version of the state document; a reader refuses any other. */
    static final int FORMAT = 1;

    /** A state document read back: its checkpoint (null when none was committed yet) and its raw fields. */
    public record Stored(Path file, Checkpoint checkpoint, JsonNode doc) {

        /** A text field of the document; a clear error when it is missing. */
        public String text(String field) {
            JsonNode n = doc.get(field);
            if (n == null || !n.isTextual()) {
                throw corrupt(file, "field '" + field + "' is missing or not a string", null);
            }
            return n.asText();
        }

        /** A non-negative integer field of the document; a clear error when it is missing. */
        public long number(String field) {
            JsonNode n = doc.get(field);
            if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
                throw corrupt(file, "field '" + field + "' is missing or not a non-negative integer", null);
            }
            return n.asLong();
        }
    }

    private final Path dir;
    private final Path file;
    private final Path temp;
    private final String kind;
    private final Durability durability;

    /** The state document of a {@code kind} sink in {@code stateDir}, made durable by {@code durability}. */
    public CheckpointFile(Path stateDir, String kind, Durability durability) {
        this.dir = stateDir;
        this.file = stateDir.resolve(NAME);
        this.temp = stateDir.resolve(TEMP_NAME);
        this.kind = kind;
        this.durability = durability;
    }

    /** The document's path. */
    public Path path() {
        return file;
    }

    /** The committed checkpoint; read only, so safe while the sink that owns the document writes it. */
    @Override
    public Optional<Checkpoint> read() throws IOException {
        return parse().map(Stored::checkpoint);
    }

    @Override
    public void write(Checkpoint checkpoint) throws IOException {
        write(checkpoint, doc -> {});
    }

    /** Reads the state document; empty when there is none. A document that cannot be used is a clear error. */
    public Optional<Stored> readDocument() throws IOException {
        Files.deleteIfExists(temp); // a write interrupted before its rename: never part of the state
        return parse();
    }

    private Optional<Stored> parse() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IOException("cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        }
        JsonNode doc;
        try {
            doc = CheckpointCodec.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw corrupt(file, "it is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new IOException("cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        }
        if (doc == null || !doc.isObject()) {
            throw corrupt(file, "it is not a JSON object", null);
        }
        JsonNode format = doc.get("format");
        if (format == null || !format.isInt() || format.asInt() != FORMAT) {
            throw corrupt(file, "its format is " + format + ", this version of Sluice reads format " + FORMAT, null);
        }
        JsonNode sink = doc.get("sink");
        if (sink == null || !kind.equals(sink.asText())) {
            throw SluiceException.fatal(
                    "checkpoint file " + file + " belongs to a '" + (sink == null ? "?" : sink.asText())
                            + "' sink, not to this '" + kind + "' sink: give each sink its own state directory");
        }
        Checkpoint cp = null;
        JsonNode cpNode = doc.get("checkpoint");
        if (cpNode != null && !cpNode.isNull()) {
            try {
                cp = CheckpointCodec.fromJson(cpNode);
            } catch (RuntimeException e) {
                throw corrupt(file, "its checkpoint cannot be read (" + e.getMessage() + ")", e);
            }
            if (cp.position() == null) {
                throw corrupt(file, "its checkpoint has no position", null);
            }
        }
        return Optional.of(new Stored(file, cp, doc));
    }

    /**
     * Atomically replaces the state document with one holding {@code cp} (may be null: nothing committed yet) and
     * the fields {@code fields} adds. Returns only once the new document is durable (unless fsync is off).
     */
    public void write(Checkpoint cp, Consumer<ObjectNode> fields) throws IOException {
        ObjectNode doc = CheckpointCodec.mapper().createObjectNode();
        doc.put("format", FORMAT);
        doc.put("sink", kind);
        fields.accept(doc);
        if (cp != null) {
            doc.set("checkpoint", CheckpointCodec.toJson(cp));
        }
        byte[] bytes = CheckpointCodec.toBytes(doc);
        try (FileChannel ch = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            durability.force(ch, temp);
        } catch (IOException e) {
            throw new IOException("writing checkpoint file " + temp + " failed: " + e.getMessage(), e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("renaming " + temp + " to " + file + " failed: " + e.getMessage(), e);
        }
        durability.forceDirectory(dir);
    }

    private static SluiceException corrupt(Path file, String why, Throwable cause) {
        return SluiceException.fatal(
                "checkpoint file " + file + " is corrupt: " + why
                        + ". Restore it from a backup, or remove it together with the sink's output to start over.",
                cause);
    }
}
