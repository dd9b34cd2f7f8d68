/** Running pipelines: the composition root and the process-level runner. */
package io.sluice.app.run;
