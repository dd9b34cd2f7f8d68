package io.sluice.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice status|pause|resume|restart}: ask a running {@code sluice run} through its HTTP API (the address
 * {@code --url} or {@code SLUICE_URL}, default {@value #DEFAULT_URL}; the token {@code --http-token} or {@code
 * SLUICE_HTTP_TOKEN}). Without {@code --pipeline} a command applies to every pipeline of the process it fits.
 */
final class RemoteCommands {
    static final String DEFAULT_URL = "http://127.0.0.1:7878";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RemoteCommands() {}

    /** The options every remote command has, and the calls. */
    abstract static class Remote implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--url",
                paramLabel = "<url>",
                defaultValue = DEFAULT_URL,
                description = "The HTTP API of the sluice run process (default: $SLUICE_URL, else"
                        + " ${DEFAULT-VALUE}); sluice run logs it as \"Sluice console: ...\".")
        String url;

        @Option(
                names = "--http-token",
                paramLabel = "<token>",
                description = "The token of the process's API (default: $SLUICE_HTTP_TOKEN).")
        String token;

        @Option(
                names = "--pipeline",
                paramLabel = "<name>",
                description = "Only this pipeline (default: every" + " pipeline of the process the command fits).")
        String pipeline;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** The pipelines of the process ({@code GET /api/pipelines}), or only {@code --pipeline}'s. */
        List<JsonNode> pipelines() {
            JsonNode body = call("GET", pipeline == null ? "/api/pipelines" : "/api/pipelines/" + enc(pipeline));
            List<JsonNode> out = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(out::add);
            } else {
                out.add(body);
            }
            return out;
        }

        /** One API call; a refusal becomes an {@link ExitException} with the server's sentence and a fitting code. */
        JsonNode call(String method, String path) {
            String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            HttpRequest.Builder req;
            try {
                req = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
            } catch (IllegalArgumentException e) {
                throw new ExitException(ExitCodes.CONFIG, "--url: not a URL: " + url);
            }
            req.method(method, HttpRequest.BodyPublishers.noBody());
            if (token != null && !token.isEmpty()) {
                req.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r;
            try {
                r = HttpClient.newBuilder()
                        .connectTimeout(TIMEOUT)
                        .build()
                        .send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                throw new ExitException(
                        ExitCodes.NOT_RUNNING,
                        "no Sluice process answers at " + base + " ("
                                + e.getClass().getSimpleName()
                                + "): start one with sluice run, or give the address of its"
                                + " HTTP API with --url or SLUICE_URL (sluice run logs it as \"Sluice console: ...\")");
            } catch (IOException e) {
                throw new ExitException(ExitCodes.FAILURE, "calling " + base + path + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExitException(ExitCodes.INTERRUPTED, "interrupted");
            }
            JsonNode body = parse(r.body());
            if (r.statusCode() < 400) {
                return body;
            }
            String said = body.path("error").asText(r.body());
            int code = switch (r.statusCode()) {
                case 401 -> ExitCodes.CONFIG;
                case 404 -> ExitCodes.CONFIG;
                default -> ExitCodes.FAILURE;
            };
            throw new ExitException(
                    code,
                    said
                            + (r.statusCode() == 401
                                    ? " (give the process's token with" + " --http-token or SLUICE_HTTP_TOKEN)"
                                    : ""));
        }

        private static JsonNode parse(String text) {
            try {
                return text == null || text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return JSON.createObjectNode();
            }
        }

        static String enc(String name) {
            return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }

        /**
         * Posts {@code action} to each pipeline it fits ({@code --pipeline}: that one, whatever its state, so the
         * server says why it refuses); prints one line per pipeline.
         */
        int act(Action action) {
            List<String> names = new ArrayList<>();
            for (JsonNode p : pipelines()) {
                if (pipeline != null || action.fits.test(p)) {
                    names.add(p.path("name").asText());
                }
            }
            if (names.isEmpty()) {
                throw new ExitException(
                        ExitCodes.NOTHING_TO_DO,
                        "no pipeline of the process at " + url + " is " + action.fitting + ": nothing to "
                                + action.path);
            }
            for (String name : names) {
                JsonNode r = call("POST", "/api/pipelines/" + enc(name) + "/" + action.path);
                out().println("pipeline " + name + ": " + action.done + " (state "
                        + r.path("state").asText() + ")");
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** What pause, resume and restart post, and to which pipelines when no {@code --pipeline} is given. */
    enum Action {
        PAUSE(
                "pause",
                "running unpaused",
                p -> !p.path("paused").asBoolean()
                        && Set.of("RUNNING", "RETRYING").contains(state(p)),
                "paused"),
        RESUME(
                "resume",
                "paused",
                p -> p.path("paused").asBoolean()
                        && !Set.of("FAILED", "STOPPED").contains(state(p)),
                "resumed"),
        RESTART("restart", "FAILED", p -> state(p).equals("FAILED"), "restarted");

        final String path;
        final String fitting;
        final Predicate<JsonNode> fits;
        final String done;

        Action(String path, String fitting, Predicate<JsonNode> fits, String done) {
            this.path = path;
            this.fitting = fitting;
            this.fits = fits;
            this.done = done;
        }

        private static String state(JsonNode pipeline) {
            return pipeline.path("state").asText();
        }
    }

    @Command(
            name = "status",
            description = "Shows the pipelines of a running sluice run: state, position, lag,"
                    + " events, error. Exits 1 when one shown has failed.")
    static final class StatusCommand extends Remote {
        @CommandLine.Mixin
        Listing.Output output;

        @Override
        public Integer call() {
            List<JsonNode> ps = pipelines();
            if (output.format == Listing.Format.JSON) {
                ArrayNode array = JSON.createArrayNode();
                ps.forEach(array::add);
                try {
                    out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                out().flush();
            } else {
                Listing listing = new Listing(
                        new Listing.Column("name", "PIPELINE"),
                        new Listing.Column("state", "STATE"),
                        new Listing.Column("position", "POSITION"),
                        new Listing.Column("lag", "LAG"),
                        new Listing.Column("events", "EVENTS"),
                        new Listing.Column("error", "ERROR"));
                for (JsonNode p : ps) {
                    JsonNode pos = p.path("position");
                    listing.row(
                            p.path("name").asText(),
                            p.path("state").asText()
                                    + (p.path("paused").asBoolean()
                                                    && !p.path("state").asText().equals("PAUSED")
                                            ? " (paused)"
                                            : ""),
                            pos.isObject()
                                    ? pos.path("file").asText() + ":"
                                            + pos.path("pos").asLong()
                                    : null,
                            p.path("lagMs").isNumber() ? p.path("lagMs").asLong() + " ms" : null,
                            p.path("eventsTotal").asLong(),
                            p.path("error").isTextual() ? p.path("error").asText() : null);
                }
                listing.print(out(), Listing.Format.TABLE);
            }
            boolean failed = ps.stream().anyMatch(p -> p.path("state").asText().equals("FAILED"));
            return failed ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    @Command(
            name = "pause",
            description = "Pauses pipelines of a running sluice run: the sink takes nothing more,"
                    + " the source connection stays open.")
    static final class PauseCommand extends Remote {
        @Override
        public Integer call() {
            return act(Action.PAUSE);
        }
    }

    @Command(name = "resume", description = "Resumes paused pipelines of a running sluice run.")
    static final class ResumeCommand extends Remote {
        @Override
        public Integer call() {
            return act(Action.RESUME);
        }
    }

    @Command(
            name = "restart",
            description = "Restarts failed pipelines of a running sluice run from their"
                    + " checkpoints (e.g. after sluice schema approve); the other pipelines run on.")
    static final class RestartCommand extends Remote {
        @Override
        public Integer call() {
            return act(Action.RESTART);
        }
    }
}
