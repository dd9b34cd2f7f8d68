package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** Rows rendered into a {@link RenderedRows} as a row renderer does, for tests. */
public final class TestRows {
    private TestRows() {}

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a row {"v":"<text>"} (plain ASCII text) with key {"k":NN} (k's digits twice). */
    public static void row(RenderedRows rows, String text, long k) {
        rows.beginRow();
        rows.put(ascii("{\"v\":"));
        assertThat(rows.putString(ascii(text), text.length())).isTrue();
        rows.put((byte) '}');
        rows.endAfter();
        rows.put(ascii("{\"k\":"));
        int from = rows.position();
        rows.putLong(k);
        int to = rows.position();
        rows.copy(from, to); // as a key value is copied from the row's JSON: {"k":NN}
        rows.put((byte) '}');
        rows.endRow(null, null);
    }

    /**
     * The schema of {@link #keyed} rows at {@code version}: one column {@code v}, which is also the key (the rows'
     * key JSON {@code {"k":..}} stands for it: these rows test the arena, not the names).
     */
    public static io.sluice.core.schema.TableSchema schema(int version) {
        return io.sluice.core.schema.TestSchemas.of("d", "t", version, new String[] {"v"}, 0);
    }

    /** Keyed rows {"v":text} of these texts, keys {"k":11}, {"k":22}, ... (row i's key k is i + 1), finished. */
    public static RenderedRows keyed(String idPrefix, String... texts) {
        RenderedRows rows = new RenderedRows(idPrefix, true, texts.length, 1 << 16);
        for (int i = 0; i < texts.length; i++) {
            row(rows, texts[i], i + 1);
        }
        return rows.finish(
                new String[] {"v"},
                (json, off, len) -> new Object[] {field(json, off, len, "v").asText()},
                new String[] {"k"},
                (json, off, len) -> new Object[] {field(json, off, len, "k").asLong()});
    }

    private static com.fasterxml.jackson.databind.JsonNode field(byte[] json, int off, int len, String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json, off, len)
                    .get(name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
