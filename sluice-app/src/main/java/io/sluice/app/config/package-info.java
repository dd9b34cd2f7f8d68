/**
 * Pipeline configuration: one YAML file per pipeline, every key declared once in {@link io.sluice.app.config.ConfigKeys},
 * loaded by {@link io.sluice.app.config.ConfigLoader} into a {@link io.sluice.app.config.PipelineConfig}. The bottom
 * of the app: may depend on the core and the source and sink modules' configuration types, on no other app package.
 */
package io.sluice.app.config;
