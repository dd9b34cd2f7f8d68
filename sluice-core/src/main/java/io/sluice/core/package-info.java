/**
 * Sluice core: what every pipeline shares, whatever its source and sinks: {@link io.sluice.core.SluiceException}
 * (fatal or retriable, with a sentence for the operator) and small helpers. Its packages depend on the JDK, Jackson
 * and SLF4J only: never on a source or sink module (no MySQL, no Kafka, no {@code java.sql}) nor on the app.
 */
package io.sluice.core;
