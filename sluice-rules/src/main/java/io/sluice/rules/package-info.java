/**
 * Transformation rules (issue 15): a versioned rule file of filters ({@code where}), column edits ({@code drop},
 * {@code rename}, {@code keep}, {@code set}, {@code mask}), routes, keys and delete handling, with expressions in
 * CEL typed from the table's {@link io.sluice.core.schema.TableSchema}. {@link io.sluice.rules.RuleSet} is a parsed
 * rule file; {@link io.sluice.rules.RulesStage} is the pipeline's rules stage (a {@link
 * io.sluice.core.pipeline.Transform}). Depends on sluice-core and CEL only, never on a source or sink module.
 */
package io.sluice.rules;
