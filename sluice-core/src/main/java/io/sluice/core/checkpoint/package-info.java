/** Source positions and the checkpoints sinks commit together with their data. */
package io.sluice.core.checkpoint;
