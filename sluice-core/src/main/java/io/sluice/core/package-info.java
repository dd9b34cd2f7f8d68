/** Sluice core: no MySQL or Kafka dependency. */
package io.sluice.core;
