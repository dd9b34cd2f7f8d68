package io.sluice.mysql.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.RecordLog;
import io.sluice.core.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The durable schema history of one pipeline: one {@link SchemaVersion} per record of the store's
 * {@link StateStore#schemaHistory() schema history log} (in the state directory, {@value #FILE_NAME}, one JSON
 * document per line). Each append is durable before it returns, and the source appends a version when it reads the
 * change, before the event that announces it is emitted, so no checkpoint can point past a version the history does
 * not hold. Re-reading the same change (a restart from an older checkpoint) appends nothing. The log is read once,
 * when the history is opened; afterwards this object is the live history every reader in the process shares.
 */
public final class SchemaHistory {
    public static final String FILE_NAME = FileStateStore.SCHEMA_HISTORY;
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final RecordLog log;
    private final List<SchemaVersion> entries = new ArrayList<>();

    private SchemaHistory(RecordLog log) {
        this.log = log;
    }

    /** Opens the history kept in {@code log}, reading what it holds. */
    public static SchemaHistory open(RecordLog log) {
        SchemaHistory h = new SchemaHistory(log);
        h.load();
        return h;
    }

    /** The history in the state directory {@code stateDir} (for tools and tests); null gives an in-memory one. */
    public static SchemaHistory open(Path stateDir) {
        return stateDir == null
                ? inMemory()
                : open(FileStateStore.open(stateDir).schemaHistory());
    }

    /**
     * True for a durable history whose log was not there when it was opened and that has recorded nothing since:
     * a new pipeline's, or one that was lost. A pipeline whose checkpoint names table versions refuses to start
     * with a lost history ({@link SchemaTracker#start}).
     */
    public synchronized boolean missing() {
        return !log.existed() && entries.isEmpty();
    }

    public static SchemaHistory inMemory() {
        return open(StateStore.inMemory().schemaHistory());
    }

    /** Where the history is kept, for messages (the file's path). */
    public String file() {
        return log.where();
    }

    private void load() {
        List<byte[]> records;
        try {
            records = log.read();
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read the schema history " + log.where() + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < records.size(); i++) {
            String line = new String(records.get(i), StandardCharsets.UTF_8).strip();
            if (!line.isEmpty()) {
                try {
                    entries.add(JSON.readValue(line, SchemaVersion.class));
                } catch (IOException e) {
                    throw SluiceException.fatal(
                            "the schema history " + log.where() + " is damaged at line " + (i + 1) + " ("
                                    + e.getMessage() + "); move it away and run `sluice schema rebuild`",
                            e);
                }
            }
        }
    }

    /** Every entry, oldest first. */
    public synchronized List<SchemaVersion> all() {
        return List.copyOf(entries);
    }

    /** The tables the history knows, sorted. */
    public synchronized List<String> tables() {
        return List.copyOf(
                new TreeSet<>(entries.stream().map(SchemaVersion::table).toList()));
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
        return byNumber.values().stream()
                .sorted((a, b) -> Integer.compare(a.version(), b.version()))
                .toList();
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
        try {
            log.append(SchemaVersionJson.write(JSON.getFactory(), v));
            log.sync();
        } catch (IOException e) {
            throw SluiceException.fatal(
                    "cannot write the schema history " + log.where() + ": " + e.getMessage()
                            + "; nothing after this schema change was emitted; free disk space or fix permissions and"
                            + " restart",
                    e);
        }
        entries.add(v);
        return true;
    }
}
