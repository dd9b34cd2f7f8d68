package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.SluiceException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which Kafka client failures stop a pipeline and which are retried from the checkpoint. */
class KafkaErrorsTest {
    private static final KafkaSinkConfig CONFIG = KafkaSinkConfig.of("shop", "127.0.0.1:9092");

    @Test
    void fencingAndItsLookAlikesStopThePipeline() {
        for (Throwable t : new Throwable[] {
            new ProducerFencedException("fenced"),
            new KafkaException("commit failed", new InvalidTxnStateException("bad state")),
            // what the losing side of a takeover race saw in CI: retrying it would fence the newer instance
            new KafkaException("Unhandled error in EndTxnResponse: The server experienced an unexpected error"
                    + " when processing the request.")
        }) {
            SluiceException e = KafkaErrors.classify(CONFIG, "committing a Kafka transaction", t);
            assertThat(e.retriable()).as(t.toString()).isFalse();
            assertThat(e.getMessage()).contains("another Sluice instance with pipeline name shop took over");
        }
    }

    @Test
    void aTransactionTheBrokerAbortedForItsAgeIsRetriedWithAMessageSayingSo() {
        String why = "it had been open for 7000 ms, longer than transaction.timeout.ms (4000 ms), and the broker"
                + " aborted it (transaction state CompleteAbort)";
        for (Throwable t : new Throwable[] {
            new InvalidProducerEpochException("Producer attempted to produce with an old epoch."),
            new ProducerFencedException("fenced"),
            new KafkaException("commit failed", new InvalidTxnStateException("bad state"))
        }) {
            SluiceException e = KafkaErrors.classify(CONFIG, "writing event shop:0-1-7:3", t, () -> why);
            assertThat(e.retriable()).as(t.toString()).isTrue();
            assertThat(e.getMessage())
                    .contains(why)
                    .contains("writing event shop:0-1-7:3")
                    .doesNotContain("took over");
        }
        // not aborted for its age: a takeover, as before
        SluiceException e =
                KafkaErrors.classify(CONFIG, "writing", new InvalidProducerEpochException("old epoch"), () -> null);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("took over");
    }

    @Test
    void anUnavailableClusterIsRetried() {
        SluiceException e = KafkaErrors.classify(
                CONFIG,
                "committing a Kafka transaction",
                new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn"));
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("127.0.0.1:9092");
    }
}
