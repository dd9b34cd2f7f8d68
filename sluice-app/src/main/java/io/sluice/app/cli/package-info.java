/**
 * The {@code sluice} command line: option parsing, config loading, listings as tables or JSON, the commands that ask a
 * running process over its HTTP API, and errors turned into the exit codes of docs/cli.md.
 */
package io.sluice.app.cli;
