/**
 * Pipeline configuration: one YAML file per pipeline, every key declared once in {@link io.sluice.app.config.ConfigKeys},
 * loaded by {@link io.sluice.app.config.ConfigLoader} into a {@link io.sluice.app.config.PipelineConfig}.
 */
package io.sluice.app.config;
