/**
 * The MySQL source's configuration keys, declared once as data ({@code source.*}, {@code snapshot.*},
 * {@code schema.*}) with their value types, and the typed configuration built from their values. The application's
 * YAML loader and the Kafka Connect connector both read these declarations, so the same key has the same name,
 * validation and documentation everywhere. Depends on the core's config seam and on the source, snapshot and
 * schema packages whose configuration it builds.
 */
package io.sluice.mysql.config;
