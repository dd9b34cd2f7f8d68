/**
 * Source-neutral table schemas: {@link io.sluice.core.schema.TableSchema} and its
 * {@link io.sluice.core.schema.Column}s, versioned, as rows, rules and sinks see them (never a source's own types).
 */
package io.sluice.core.schema;
