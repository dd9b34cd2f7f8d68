/** Time as the pipeline sees it: the clock and the scheduler that main code takes instead of the system's. */
package io.sluice.core.time;
