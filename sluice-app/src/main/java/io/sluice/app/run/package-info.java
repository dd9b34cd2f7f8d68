/**
 * Running pipelines: the composition root, the process-level runner, state and locks, and the build's version. May
 * depend on {@code io.sluice.app.config}, {@code io.sluice.app.metrics} and every module below the app; not on the
 * HTTP or CLI packages.
 */
package io.sluice.app.run;
