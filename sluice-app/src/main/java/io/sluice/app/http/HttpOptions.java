package io.sluice.app.http;

/**
 * The {@code sluice run} options of the HTTP server.
 *
 * @param bind  the address to bind ({@code --http-bind})
 * @param port  the port ({@code --http-port}); 0 picks a free one, -1 turns HTTP off
 * @param token the token the API needs ({@code --http-token}, default {@code $SLUICE_HTTP_TOKEN}); null for none
 */
public record HttpOptions(String bind, int port, String token) {
    /** Loopback on the default port, no token. */
    public static HttpOptions defaults() {
        return new HttpOptions(ControlServer.DEFAULT_BIND, ControlServer.DEFAULT_PORT, null);
    }

    /** No HTTP server. */
    public static HttpOptions off() {
        return new HttpOptions(ControlServer.DEFAULT_BIND, ControlServer.OFF, null);
    }

    @Override
    public String toString() {
        return "HttpOptions[bind=" + bind + ", port=" + port + ", token="
                + (token == null || token.isEmpty() ? "" : "****") + "]";
    }
}
