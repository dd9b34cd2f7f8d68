/**
 * The {@code sluice} command line: option parsing, config loading, listings as tables or JSON, the commands that ask a
 * running process over its HTTP API, and errors turned into the exit codes of docs/cli.md. May depend on every other
 * app package and module; only {@code io.sluice.app.Main} depends on it.
 */
package io.sluice.app.cli;
