package io.sluice.app.config;

/** The sink families a pipeline can write to; {@code sink.type} in the configuration. */
public enum SinkType {
    /** Rolling, fsynced segment files in a directory. */
    FILE,
    /** One JSON line per event on standard output. */
    STDOUT,
    /** Exactly once into Kafka topics, one per table, with the checkpoint in a transactional offsets topic. */
    KAFKA
}
