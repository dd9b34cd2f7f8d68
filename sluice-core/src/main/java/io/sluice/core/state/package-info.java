/**
 * What a pipeline keeps besides its sink's data (schema history, approvals, quarantined events, rule versions, and
 * the checkpoint of sinks that do not keep it with their data), behind {@link io.sluice.core.state.StateStore};
 * files in the state directory are one implementation.
 */
package io.sluice.core.state;
