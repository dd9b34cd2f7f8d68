package io.sluice.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.kafka.KafkaSinks;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What {@code sluice tail} prints of the copies the Kafka sink writes of a {@code t} or {@code s} event. */
class TailCommandTest {
    private static ConsumerRecord<byte[], byte[]> record(int partition, String id, String op) {
        RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader(KafkaSinks.HEADER_ID, id.getBytes(StandardCharsets.UTF_8)));
        h.add(new RecordHeader(KafkaSinks.HEADER_OP, op.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(
                "shop.sales.orders",
                partition,
                0,
                0,
                TimestampType.CREATE_TIME,
                0,
                0,
                null,
                "{}".getBytes(StandardCharsets.UTF_8),
                h,
                Optional.empty());
    }

    @Test
    void theCopiesOfATruncateOrSchemaEventArePrintedOnceAndRowEventsAlways() {
        TailCommand.TableEventCopies copies = new TailCommand.TableEventCopies();
        assertThat(copies.first(record(0, "shop:0-1-7:0", "t"))).isTrue();
        assertThat(copies.first(record(1, "shop:0-1-7:0", "t"))).isFalse();
        assertThat(copies.first(record(2, "shop:0-1-7:0", "t"))).isFalse();
        assertThat(copies.first(record(1, "shop:0-1-8:0", "s"))).isTrue();
        assertThat(copies.first(record(0, "shop:0-1-8:0", "s"))).isFalse();
        // row events are never copies: the same id twice (a consumer's own replay) is printed twice
        assertThat(copies.first(record(0, "shop:0-1-9:0", "c"))).isTrue();
        assertThat(copies.first(record(0, "shop:0-1-9:0", "c"))).isTrue();
    }
}
