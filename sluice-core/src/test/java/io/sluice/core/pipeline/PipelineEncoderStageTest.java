package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.schema.TestSchemas;
import io.sluice.core.sink.JsonSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The encoder stage between the source and the sink: a sink that writes JSON gets each event with its JSON made
 * ahead ({@link Encoded}), a typed sink the very events the source emitted (the encoder does nothing for it).
 */
class PipelineEncoderStageTest {
    private static final TableSchema ORDERS = TestSchemas.of("shop", "orders", 3, new String[] {"id", "note"}, 0);

    /** Three typed events, a commit, then idles until stopped. */
    private static final class ThreeEvents implements Source {
        final List<ChangeEvent> emitted = new ArrayList<>();
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            for (int i = 1; i <= 3; i++) {
                Row key = new Row(ORDERS.keyNames(), ORDERS.keyColumns(), new Object[] {(long) i});
                Row after = new Row(ORDERS.names(), ORDERS.columns(), new Object[] {(long) i, "n\u00e9 " + i});
                ChangeEvent e = ChangeEvent.row(Op.CREATE, ORDERS, key, null, after)
                        .withSource(
                                "s:t:" + i,
                                new SourceInfo("s", 1, null, "f.000001", 4, i, 1000, "shop", "orders", false));
                emitted.add(e);
                out.event(e);
            }
            out.commit(new Checkpoint(new BinlogPosition("f.000001", 99, null), List.of(), Map.of()));
            stopped.await();
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }

    /** A typed sink recording what it is handed. */
    static class Typed extends TestSink {
        final List<ChangeEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public long write(ChangeEvent event) {
            events.add(event);
            return 1;
        }
    }

    /** A JSON sink recording the lines it would write. */
    private static final class Json extends Typed implements JsonSink {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public long write(Encoded event) {
            lines.add(new String(event.toJson(5), java.nio.charset.StandardCharsets.UTF_8));
            return write(event.event());
        }
    }

    private static void run(ThreeEvents source, Typed sink) throws Exception {
        Pipeline p = new Pipeline("e", source, sink, new BatchPolicy(10, 1 << 20, 20), 64, Clock.systemUTC());
        p.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.durableCheckpoint != null);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aTypedSinkGetsTheSourcesEventsThemselves() throws Exception {
        ThreeEvents source = new ThreeEvents();
        Typed sink = new Typed();
        run(source, sink);
        assertThat(sink.events).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(sink.events.get(i)).isSameAs(source.emitted.get(i));
            assertThat(sink.events.get(i).table()).isSameAs(ORDERS);
            assertThat(sink.events.get(i).after().column(1).name()).isEqualTo("note");
        }
    }

    @Test
    void aJsonSinkGetsEachEventEncodedAheadExactlyAsTheContractsJson() throws Exception {
        ThreeEvents source = new ThreeEvents();
        Json sink = new Json();
        run(source, sink);
        assertThat(sink.events).containsExactlyElementsOf(source.emitted);
        for (int i = 0; i < 3; i++) {
            assertThat(sink.lines.get(i))
                    .isEqualTo(new String(
                            EventCodec.toJson(source.emitted.get(i), 5), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"key\":{\"id\":" + (i + 1) + "}")
                    .contains("\"after\":{\"id\":" + (i + 1) + ",\"note\":\"n\u00e9 " + (i + 1) + "\"}");
        }
    }
}
