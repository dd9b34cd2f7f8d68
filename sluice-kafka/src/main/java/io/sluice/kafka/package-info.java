/**
 * The Kafka sink: exactly-once delivery into per-table topics, with the checkpoint in a transactional offsets topic.
 * Depends on the core and kafka-clients only: never on the MySQL source or the app.
 */
package io.sluice.kafka;
