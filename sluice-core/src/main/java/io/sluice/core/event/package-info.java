/**
 * The change event model and its one JSON codec ({@code docs/change-event.md}, byte for byte). Depends on the core
 * root and {@code io.sluice.core.checkpoint} at most; every other package may use it.
 */
package io.sluice.core.event;
