/**
 * Configuration keys declared as data ({@link io.sluice.core.config.ConfigKey}: name, type and validation, default,
 * doc) and their validated values; the application reads YAML against them, a sink provider declares its own.
 */
package io.sluice.core.config;
