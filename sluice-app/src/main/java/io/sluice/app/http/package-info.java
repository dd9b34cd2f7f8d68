/** The HTTP control server: health, Prometheus metrics, the JSON API over the running pipelines and the web console. */
package io.sluice.app.http;
