package io.sluice.mysql.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.SluiceException;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.RecordLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Operator decisions that let a halted pipeline continue: a table version approved despite breaking the
 * compatibility policy ({@code sluice schema approve --table db.t --version N}), or a statement the parser could
 * not read, accepted at its binlog position ({@code sluice schema approve --at file:pos}). Kept in the store's
 * {@linkplain io.sluice.core.state.StateStore#approvals() approvals log} (JSON lines in {@value #FILE_NAME} in the
 * state directory); read afresh at each check, so an approval written by another process while the pipeline runs
 * or is stopped applies at its next check or start.
 */
public final class Approvals {
    public static final String FILE_NAME = FileStateStore.APPROVALS;

    /** One approval: a table version, or a statement position. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Approval(String table, Integer version, String at, String note) {}

    private final RecordLog log;

    /** The approvals kept in {@code log}; null: none, and none can be added. */
    public Approvals(RecordLog log) {
        this.log = log;
    }

    /** The approvals in the state directory {@code stateDir} (for tools and tests); null: none. */
    public Approvals(Path stateDir) {
        this(stateDir == null ? null : FileStateStore.open(stateDir).approvals());
    }

    public List<Approval> all() {
        List<Approval> out = new ArrayList<>();
        if (log == null) {
            return out;
        }
        List<byte[]> records;
        try {
            records = log.read();
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read " + log.where() + ": " + e.getMessage(), e);
        }
        for (byte[] record : records) {
            try {
                JsonNode n = SchemaHistory.JSON.readTree(record);
                if (n != null && !n.isMissingNode()) {
                    out.add(SchemaHistory.JSON.treeToValue(n, Approval.class));
                }
            } catch (IOException torn) {
                // not an approval
            }
        }
        return out;
    }

    public boolean approved(String table, int version) {
        return all().stream().anyMatch(a -> table.equals(a.table()) && a.version() != null && a.version() == version);
    }

    public boolean approvedAt(String file, long pos) {
        String at = file + ":" + pos;
        return all().stream().anyMatch(a -> at.equals(a.at()));
    }

    /** Records an approval durably. */
    public void add(Approval a) {
        if (log == null) {
            throw new IllegalStateException("no state directory");
        }
        try {
            log.append(SchemaHistory.JSON.writeValueAsBytes(a));
            log.sync();
        } catch (IOException e) {
            throw SluiceException.fatal("cannot write " + log.where() + ": " + e.getMessage(), e);
        }
    }
}
