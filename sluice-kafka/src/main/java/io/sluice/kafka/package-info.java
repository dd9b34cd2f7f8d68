/** The Kafka sink: exactly-once delivery into per-table topics, with the checkpoint in a transactional offsets topic. */
package io.sluice.kafka;
