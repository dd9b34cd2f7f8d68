/**
 * The Sluice application's entry point, {@code Main}, and the process's log setup (human or JSON lines on stderr).
 * The top of everything: may depend on every module and package; nothing depends on it.
 */
package io.sluice.app;
