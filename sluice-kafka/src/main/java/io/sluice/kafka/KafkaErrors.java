package io.sluice.kafka;

import io.sluice.core.SluiceException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one classifier of Kafka client failures. A fenced producer means another instance of the same pipeline took
 * over: fatal, with a message saying so; unless the broker fenced it by aborting its transaction for outliving
 * {@code transaction.timeout.ms} (the sink asks the broker): retriable, with a message saying that. Authentication, authorization and configuration problems are fatal too.
 * An InvalidTxnStateException is what a fenced producer may see instead: fatal as well. Everything else (an
 * unavailable cluster, timeouts) is retriable: re-opening the sink
 * resumes from the checkpoint in the offsets topic, and nothing uncommitted was ever visible.
 */
final class KafkaErrors {
    private KafkaErrors() {}

    static SluiceException classify(KafkaSinkConfig config, String doing, Throwable error) {
        return classify(config, doing, error, () -> null);
    }

    /**
     * As {@link #classify(KafkaSinkConfig, String, Throwable)}, where the sink can tell a fencing of its own
     * transaction by the broker's transaction timeout from a takeover: {@code abortedForItsAge} says why the broker
     * aborted the open transaction for its age, or null when it did not.
     */
    static SluiceException classify(
            KafkaSinkConfig config, String doing, Throwable error, Supplier<String> abortedForItsAge) {
        if (error instanceof SluiceException se) {
            return se;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException) {
                // the broker fences a transaction it aborted for its age as it fences one a newer instance aborted
                String why = abortedForItsAge.get();
                if (why != null) {
                    return SluiceException.retriable(
                            "the broker aborted the Kafka transaction of pipeline "
                                    + config.pipeline() + " while " + doing + ": " + why + ". Nothing of it is visible;"
                                    + " Sluice resumes from the last committed checkpoint. Sluice commits inside a long"
                                    + " source transaction or a whole-table read of a table without a key before this"
                                    + " happens; what it cannot split (a snapshot chunk, a whole-table read of a table whose"
                                    + " key cannot be read in chunks, a flush waiting for Kafka) must reach Kafka within"
                                    + " transaction.timeout.ms: raise it in sink.properties (up to the broker's"
                                    + " transaction.max.timeout.ms)",
                            error);
                }
            }
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return SluiceException.fatal(
                        "another Sluice instance with pipeline name " + config.pipeline()
                                + " took over (transactional.id " + config.transactionalId() + "); this one stops: two"
                                + " instances of one pipeline must never run at once",
                        error);
            }
            if (t instanceof InvalidTxnStateException) {
                // what a fenced producer may see instead of the fencing itself; retrying would fence the newer
                // instance in turn, and the two would take turns for ever
                return SluiceException.fatal(
                        "the broker aborted this instance's Kafka transaction: another Sluice"
                                + " instance with pipeline name " + config.pipeline() + " took over (transactional.id "
                                + config.transactionalId()
                                + "), or the transaction outlived transaction.timeout.ms; this"
                                + " one stops",
                        error);
            }
            if (t instanceof KafkaException
                    && t.getMessage() != null
                    && t.getMessage().startsWith("Unhandled error in EndTxnResponse")) {
                // seen when another instance's InitProducerId races this one's commit: the coordinator answers
                // the commit with an unknown server error and the producer turns fatal. Retrying would re-init
                // the transactional id and fence the newer instance in turn; a false stop is the safe side
                return SluiceException.fatal(
                        "the broker failed this instance's Kafka commit (" + t.getMessage()
                                + "): most likely another Sluice instance with pipeline name " + config.pipeline()
                                + " took over (transactional.id " + config.transactionalId()
                                + "); this one stops. If no"
                                + " other instance runs, start Sluice again: it resumes from its last committed checkpoint",
                        error);
            }
            if (t instanceof TransactionalIdAuthorizationException || t instanceof AuthorizationException) {
                return SluiceException.fatal(
                        "Kafka refused " + doing + ": " + t.getMessage() + " (the principal needs"
                                + " write access to the topics and to transactional id " + config.transactionalId()
                                + ")",
                        error);
            }
            if (t instanceof AuthenticationException) {
                return SluiceException.fatal(
                        "cannot authenticate to Kafka at " + config.bootstrapServers() + ": " + t.getMessage()
                                + "; check the sasl./ssl. client properties",
                        error);
            }
            if (t instanceof InvalidTopicException
                    || t instanceof InvalidConfigurationException
                    || t instanceof RecordTooLargeException
                    || t instanceof UnsupportedVersionException) {
                return SluiceException.fatal("Kafka refused " + doing + ": " + t.getMessage(), error);
            }
        }
        return SluiceException.retriable(
                "Kafka at " + config.bootstrapServers() + " failed while " + doing + ": " + describe(error), error);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
