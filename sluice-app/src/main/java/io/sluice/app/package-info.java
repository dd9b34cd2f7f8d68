/** The Sluice application: the {@code sluice} command line and pipeline configuration. */
package io.sluice.app;
