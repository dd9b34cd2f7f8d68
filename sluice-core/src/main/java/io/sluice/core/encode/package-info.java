/**
 * The encoder stage: where typed change events become the contract's JSON ({@code docs/change-event.md}). It runs
 * after the source (and, to come, the rules) on the reader thread, so that the sink's thread only copies bytes.
 */
package io.sluice.core.encode;
