/**
 * The typed column values of a change event: one small, source-neutral, immutable model (see {@link
 * io.sluice.core.value.Values} for the list), each value with exactly one contract encoding given its column type.
 */
package io.sluice.core.value;
