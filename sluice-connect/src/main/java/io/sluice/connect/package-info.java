/**
 * Sluice as a Kafka Connect source connector: {@link io.sluice.connect.SluiceSourceConnector} and its task run the
 * MySQL/MariaDB binlog source inside a Connect worker, exactly once with connector-defined transaction boundaries
 * (one source transaction, one Kafka transaction). The task keeps no local state: its checkpoint is Connect's source
 * offset, and its schema history (with approvals and quarantine) is written to a compacted state topic in the same
 * Kafka transaction as the records it precedes. Depends on the core, the MySQL source, the Kafka sink's topic
 * naming and the Connect API (provided by the worker); see docs/kafka-connect.md.
 */
package io.sluice.connect;
