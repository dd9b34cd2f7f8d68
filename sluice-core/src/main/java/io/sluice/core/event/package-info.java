/** The change event model and its one JSON codec. */
package io.sluice.core.event;
