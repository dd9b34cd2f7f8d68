package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A run's events, made one by one or rendered straight into an array, are those of {@link EventBodies}. */
class EventRunTest {
    private static final String PREFIX = "shop:snapshot:r7:sales.orders:";
    private static final SourceInfo SOURCE =
            new SourceInfo("shop", 3, null, "mysql-bin.000004", 1234, 0, 1_764_000_000_000L, "sales", "orders", true);

    private static String[] texts(int n) {
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = "t" + i + "-" + "x".repeat(i * 37 % 900);
        }
        return t;
    }

    @Test
    void eventsRenderedFromTheRunEqualThoseOfEventBodiesByteForByte() {
        RenderedRows rows = TestRows.keyed(PREFIX, texts(120));
        EventBodies bodies = new EventBodies(Op.READ, SOURCE, TestRows.schema(4), PREFIX);
        // every third row left out (a key the binlog changed in the window): the events are numbered as emitted
        int[] picks = new int[rows.size()];
        int size = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (i % 3 != 1) {
                picks[size++] = i;
            }
        }
        EventRun run = new EventRun(bodies, rows, picks, size);
        assertThat(run.size()).isEqualTo(80);
        assertThat(run.source()).isEqualTo(SOURCE);
        byte[] into = new byte[1 << 20];
        int at = 17;
        for (int k = 0; k < run.size(); k++) {
            Encoded expectedEncoded = bodies.encoded(rows, picks[k], k);
            byte[] expectedBody = Arrays.copyOf(
                    expectedEncoded.toJson(5), expectedEncoded.toJson(5).length - ",\"ts_ms\":5}".length());
            ChangeEvent e = run.event(k);
            assertThat(e)
                    .isEqualTo(bodies.event(rows, picks[k], k))
                    .isEqualTo(run.encoded(k).event());
            assertThat(run.encoded(k).toJson(5)).isEqualTo(expectedEncoded.toJson(5));
            assertThat(e.id()).isEqualTo(PREFIX + "{\"k\":" + (picks[k] + 1) + (picks[k] + 1) + "}");
            assertThat(e.source().row()).isEqualTo(k);
            assertThat(e.after().get("v")).isEqualTo(texts(120)[picks[k]]);
            assertThat(run.bodyLength(k)).isEqualTo(expectedBody.length);
            int end = run.render(k, into, at);
            assertThat(end - at).isEqualTo(expectedBody.length);
            assertThat(Arrays.copyOfRange(into, at, end)).isEqualTo(expectedBody);
            // the body is the generic encoder's JSON up to the emit time
            byte[] generic = EventCodec.toJson(
                    new ChangeEvent(e.id(), e.op(), e.source(), e.key(), null, e.after(), 4, null), 5);
            assertThat(new String(generic, java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(run.encoded(k).toJson(5), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith(new String(expectedBody, java.nio.charset.StandardCharsets.UTF_8));
            // with an ending in place of the body's last bytes: the body, then what the ending adds
            byte[] then = {',', '!', '\n'};
            byte[] withEnding = new byte[expectedBody.length + then.length + 7];
            int stop = run.render(k, withEnding, 7, run.ending(then));
            assertThat(stop).isEqualTo(withEnding.length);
            byte[] both = Arrays.copyOf(expectedBody, expectedBody.length + then.length);
            System.arraycopy(then, 0, both, expectedBody.length, then.length);
            assertThat(Arrays.copyOfRange(withEnding, 7, stop)).isEqualTo(both);
            at = end;
        }
    }

    @Test
    void aRunChecksItsRowsAndIndexes() {
        RenderedRows rows = TestRows.keyed(PREFIX, texts(3));
        EventBodies bodies = new EventBodies(Op.READ, SOURCE, TestRows.schema(4), PREFIX);
        EventRun run = new EventRun(bodies, rows, new int[] {0, 2, 1}, 2);
        assertThatThrownBy(() -> run.event(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> run.bodyLength(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new EventRun(bodies, rows, new int[] {0}, 2))
                .isInstanceOf(IllegalArgumentException.class);
        EventBodies other = new EventBodies(Op.READ, SOURCE, TestRows.schema(4), "shop:snapshot:r8:sales.orders:");
        assertThatThrownBy(() -> new EventRun(other, rows, new int[] {0}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("r7");
    }
}
