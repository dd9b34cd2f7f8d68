/**
 * The HTTP control server: health, Prometheus metrics, the JSON API over the running pipelines and the web console.
 * May depend on the app's config, metrics and run packages and the modules below; not on the CLI, which starts it.
 */
package io.sluice.app.http;
