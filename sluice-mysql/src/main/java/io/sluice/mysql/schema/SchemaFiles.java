package io.sluice.mysql.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each table version's schemas next to a sink's output, for consumers:
 * {@code <dir>/<db>.<table>/v<N>.json} (the history's model), {@code v<N>.schema.json} (JSON Schema) and
 * {@code v<N>.avsc} (Avro). Each file is replaced atomically. They are derived from the schema history and can
 * always be printed again with {@code sluice schema show}, so a failure to write them is logged, not fatal.
 */
public final class SchemaFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaFiles.class);
    public static final String DIR_NAME = "_schemas";

    private SchemaFiles() {}

    public static void write(Path dir, SchemaVersion v) {
        if (v.dropped()) {
            return;
        }
        Path tableDir = dir.resolve(v.table());
        try {
            Files.createDirectories(tableDir);
            // the history's record, streamed: the same bytes as the mapper's tree of it, without bean introspection
            // on the binlog reader's thread, which writes these before it hands on the version's first rows
            put(
                    tableDir.resolve("v" + v.version() + ".json"),
                    SchemaVersionJson.write(SchemaHistory.JSON.getFactory(), v, true));
            put(tableDir.resolve("v" + v.version() + ".schema.json"), pretty(ConsumerSchemas.jsonSchema(v)));
            put(tableDir.resolve("v" + v.version() + ".avsc"), pretty(ConsumerSchemas.avro(v)));
        } catch (IOException e) {
            LOG.warn(
                    "could not write the schemas of {} version {} to {}: {}; `sluice schema show` prints them",
                    v.table(),
                    v.version(),
                    tableDir,
                    e.getMessage());
        }
    }

    private static byte[] pretty(Object doc) throws IOException {
        return SchemaHistory.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    }

    private static void put(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
