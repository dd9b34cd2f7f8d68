/** The sink seam and the built-in sinks that need no external system (file, stdout). */
package io.sluice.core.sink;
