/**
 * The {@code sluice} command line: option parsing, config loading, and errors turned into exit codes. May depend on
 * every other app package and module; only {@code io.sluice.app.Main} depends on it.
 */
package io.sluice.app.cli;
