package io.sluice.app.http;

/** A request the server refuses: becomes a JSON {@code {"error": ..., "status": ...}} response. */
final class HttpProblem extends RuntimeException {
    private final int status;
    private final String allow;

    HttpProblem(int status, String message) {
        this(status, message, null);
    }

    private HttpProblem(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    static HttpProblem methodNotAllowed(String method, String path, String allowed) {
        return new HttpProblem(405, method + " is not allowed on " + path + "; use " + allowed, allowed);
    }

    int status() {
        return status;
    }

    /** The {@code Allow} header value for a 405, else null. */
    String allow() {
        return allow;
    }
}
