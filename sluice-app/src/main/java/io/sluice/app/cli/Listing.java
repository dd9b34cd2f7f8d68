package io.sluice.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * What a listing command prints, as {@code -o table} (a header row and aligned columns, for people) or {@code -o
 * json} (an array of objects, one per row, for scripts). Each column has a JSON key and a header; values stay typed
 * (numbers, booleans, lists, null) until they are rendered here.
 */
final class Listing {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code -o} values. */
    enum Format {
        TABLE,
        JSON
    }

    /** The {@code -o/--output} option of a listing command (a mixin). */
    static final class Output {
        @Option(
                names = {"-o", "--output"},
                paramLabel = "<format>",
                defaultValue = "table",
                description = "table (a header row and aligned columns) or json (an array of objects); default:"
                        + " ${DEFAULT-VALUE}.")
        Format format = Format.TABLE;
    }

    /** A column: its key in JSON and its header in the table. */
    record Column(String key, String header) {}

    private final List<Column> columns;
    private final List<Object[]> rows = new ArrayList<>();

    Listing(Column... columns) {
        this.columns = List.of(columns);
    }

    /** Adds a row, one value per column (null: none). */
    Listing row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values, got " + values.length);
        }
        rows.add(values.clone());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the rows in {@code format}; a table without rows is its header alone. */
    void print(PrintWriter out, Format format) {
        if (format == Format.JSON) {
            out.println(json());
        } else {
            table().forEach(out::println);
        }
        out.flush();
    }

    String json() {
        ArrayNode array = JSON.createArrayNode();
        for (Object[] r : rows) {
            ObjectNode o = array.addObject();
            for (int i = 0; i < columns.size(); i++) {
                o.set(columns.get(i).key(), JSON.valueToTree(r[i]));
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table's lines: columns padded to their widest cell, two spaces apart, the last one not padded. */
    List<String> table() {
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (Object[] r : rows) {
            cells.add(Arrays.stream(r).map(Listing::cell).toArray(String[]::new));
        }
        int[] width = new int[columns.size()];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] line : cells) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(line[i]);
                if (i < line.length - 1) {
                    b.append(" ".repeat(width[i] - line[i].length() + 2));
                }
            }
            lines.add(b.toString().stripTrailing());
        }
        return lines;
    }

    private static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty()
                    ? "-"
                    : String.join("; ", l.stream().map(Objects::toString).toList());
        }
        return v.toString().replaceAll("\\s+", " ").strip();
    }
}
