/** The {@code sluice} command line: option parsing, config loading, and errors turned into exit codes. */
package io.sluice.app.cli;
