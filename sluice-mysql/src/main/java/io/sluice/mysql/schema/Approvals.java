package io.sluice.mysql.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Operator decisions that let a halted pipeline continue: a table version approved despite breaking the
 * compatibility policy ({@code sluice schema approve --table db.t --version N}), or a statement the parser could
 * not read, accepted at its binlog position ({@code sluice schema approve --at file:pos}). Kept as JSON lines in
 * {@value #FILE_NAME} in the state directory; read afresh at each check, so an approval written while the
 * pipeline is stopped applies at its next start.
 */
public final class Approvals {
    public static final String FILE_NAME = "schema-approvals.jsonl";

    /** One approval: a table version, or a statement position. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Approval(String table, Integer version, String at, String note) {
    }

    private final Path file;

    public Approvals(Path stateDir) {
        this.file = stateDir == null ? null : stateDir.resolve(FILE_NAME);
    }

    public List<Approval> all() {
        List<Approval> out = new ArrayList<>();
        if (file == null || !Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        JsonNode n = SchemaHistory.JSON.readTree(line);
                        out.add(SchemaHistory.JSON.treeToValue(n, Approval.class));
                    } catch (IOException torn) {
                        // a torn last line: not an approval
                    }
                }
            }
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read " + file + ": " + e.getMessage(), e);
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
        if (file == null) {
            throw new IllegalStateException("no state directory");
        }
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (SchemaHistory.JSON.writeValueAsString(a) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(line));
                ch.force(true);
            }
        } catch (IOException e) {
            throw SluiceException.fatal("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
