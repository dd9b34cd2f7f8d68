/**
 * Real servers for Sluice's integration tests. {@link io.sluice.testkit.MariaDbServer} runs a private
 * {@code mariadbd} (Debian's MariaDB 10.11) in a temporary directory on a free port, configured for row-based
 * binlog capture by default, with options to start it misconfigured, and with stop, kill and restart for fault
 * tests. Use {@link io.sluice.testkit.MariaDbServer#shared()} where the default settings will do.
 * {@link io.sluice.testkit.KafkaBroker} runs a single-node KRaft Kafka (broker and controller) in a child JVM from the
 * Apache Kafka jars, with stop, kill and restart on the same data for outage tests. Depends on the JDK, the MariaDB
 * driver and the Kafka jars only, no Sluice module, so every module's tests may use it.
 */
package io.sluice.testkit;
