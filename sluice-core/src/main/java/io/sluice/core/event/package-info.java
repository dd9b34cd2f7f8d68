/**
 * The change event model: typed events ({@link io.sluice.core.event.ChangeEvent}) whose rows hold values of the value
 * model and refer to their table's schema; no encoded bytes (the encoder, {@code io.sluice.core.encode}, writes the
 * contract's JSON). Depends on {@code io.sluice.core.schema} and {@code io.sluice.core.value} at most; every other
 * package may use it.
 */
package io.sluice.core.event;
