package io.sluice.mysql.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable schema history of one pipeline: an append-only JSON-lines file ({@value #FILE_NAME}) in the
 * pipeline's state directory, one {@link SchemaVersion} per line. Each append is fsynced before it returns, and
 * the source appends a version when it reads the change, before the event that announces it is emitted, so no
 * checkpoint can point past a version the history does not hold. Re-reading the same change (a restart from an
 * older checkpoint) appends nothing. A torn last line (a crash while appending) is ignored and overwritten.
 *
 * <p>Without a directory the history lives in memory only (tests and tools).
 */
public final class SchemaHistory {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaHistory.class);
    public static final String FILE_NAME = "schema-history.jsonl";
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final List<SchemaVersion> entries = new ArrayList<>();
    private long validBytes;
    /** The file existed when the history was opened. */
    private boolean found;

    private SchemaHistory(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the history in {@code stateDir}; null gives an in-memory history. */
    public static SchemaHistory open(Path stateDir) {
        SchemaHistory h = new SchemaHistory(stateDir == null ? null : stateDir.resolve(FILE_NAME));
        if (h.file != null && Files.exists(h.file)) {
            h.found = true;
            h.load();
        }
        return h;
    }

    /**
     * True for a durable history whose file was not there when it was opened and that has recorded nothing since:
     * a new pipeline's, or one that was lost. A pipeline whose checkpoint names table versions refuses to start
     * with a lost history ({@link SchemaTracker#start}).
     */
    public synchronized boolean missing() {
        return file != null && !found && entries.isEmpty();
    }

    public static SchemaHistory inMemory() {
        return new SchemaHistory(null);
    }

    public Path file() {
        return file;
    }

    private void load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            int lineNo = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                lineNo++;
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
                if (!line.isEmpty()) {
                    try {
                        entries.add(JSON.readValue(line, SchemaVersion.class));
                    } catch (IOException e) {
                        throw SluiceException.fatal("the schema history " + file + " is damaged at line " + lineNo
                                + " (" + e.getMessage() + "); move it away and run `sluice schema rebuild`", e);
                    }
                }
                start = i + 1;
                validBytes = start;
            }
            if (validBytes < bytes.length) {
                LOG.warn("the schema history {} ends in a torn line (a crash while appending); it is ignored", file);
            }
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read the schema history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every entry, oldest first. */
    public synchronized List<SchemaVersion> all() {
        return List.copyOf(entries);
    }

    /** The tables the history knows, sorted. */
    public synchronized List<String> tables() {
        return List.copyOf(new TreeSet<>(entries.stream().map(SchemaVersion::table).toList()));
    }

    /** A table's versions (the last entry of each number that has a model), by number. */
    public synchronized List<SchemaVersion> versions(String table) {
        Map<Integer, SchemaVersion> byNumber = new LinkedHashMap<>();
        for (SchemaVersion v : entries) {
            if (v.table().equals(table) && !v.dropped()) {
                byNumber.remove(v.version());
                byNumber.put(v.version(), v);
            }
        }
        return byNumber.values().stream().sorted((a, b) -> Integer.compare(a.version(), b.version())).toList();
    }

    /** The table's given version with its model, else null. */
    public synchronized SchemaVersion version(String table, int version) {
        SchemaVersion found = null;
        for (SchemaVersion v : entries) {
            if (v.table().equals(table) && v.version() == version && !v.dropped()) {
                found = v;
            }
        }
        return found;
    }

    /**
     * Per table, the entry in effect just before {@code position}: the last one that begins before it (a drop
     * included, as a model-less entry).
     */
    public synchronized Map<String, SchemaVersion> validAt(BinlogPosition position) {
        Map<String, SchemaVersion> out = new LinkedHashMap<>();
        for (SchemaVersion v : entries) {
            if (v.at().compareTo(position) < 0) {
                SchemaVersion prev = out.get(v.table());
                if (prev == null || prev.at().compareTo(v.at()) <= 0) {
                    out.put(v.table(), v);
                }
            }
        }
        return out;
    }

    /**
     * Appends an entry and makes it durable, unless the history already ends its record of the same change with
     * an equal entry. Returns true when something was written.
     */
    public synchronized boolean append(SchemaVersion v) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            SchemaVersion e = entries.get(i);
            if (e.sameChange(v)) {
                if (e.equals(v)) {
                    return false;
                }
                break;
            }
        }
        if (file != null) {
            write(v);
        }
        entries.add(v);
        return true;
    }

    private void write(SchemaVersion v) {
        try {
            byte[] line = (JSON.writeValueAsString(v) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            if (validBytes > 0 && (!Files.exists(file) || Files.size(file) < validBytes)) {
                rewrite();
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.truncate(validBytes); // drops a torn line left by a crash
                ch.position(validBytes);
                writeAll(ch, line);
            }
            validBytes += line.length;
        } catch (IOException e) {
            throw SluiceException.fatal("cannot write the schema history " + file + ": " + e.getMessage()
                    + "; nothing after this schema change was emitted; free disk space or fix permissions and"
                    + " restart", e);
        }
    }

    /**
     * The file was deleted (or cut short) behind the running pipeline's back: it is written again, whole, from the
     * entries held in memory (a temporary file renamed over it), so the history on disk stays complete.
     */
    private void rewrite() throws IOException {
        LOG.warn("the schema history {} was deleted or cut short while the pipeline ran; writing it again from"
                + " memory ({} entries)", file, entries.size());
        StringBuilder all = new StringBuilder();
        for (SchemaVersion e : entries) {
            all.append(JSON.writeValueAsString(e)).append('\n');
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, bytes);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        validBytes = bytes.length;
    }

    /** Writes the bytes at the channel's position and makes them durable. */
    private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        ch.force(true);
    }
}
