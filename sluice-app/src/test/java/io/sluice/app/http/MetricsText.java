package io.sluice.app.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads figures out of the Prometheus text of {@code /metrics} for tests. */
final class MetricsText {
    private static final Pattern SOURCE_LAG =
            Pattern.compile("(?m)^sluice_source_lag_(milliseconds|seconds)\\{[^}]*pipeline=\"([^\"]+)\"[^}]*} (\\S+)$");

    private MetricsText() {}

    /** The source lag gauge of {@code pipeline} in milliseconds, whichever base unit the gauge is in. */
    static double lagMs(String scrape, String pipeline) {
        Matcher m = SOURCE_LAG.matcher(scrape);
        while (m.find()) {
            if (m.group(2).equals(pipeline)) {
                double v = Double.parseDouble(m.group(3));
                return m.group(1).equals("seconds") ? v * 1000 : v;
            }
        }
        throw new AssertionError("no source lag of " + pipeline + " in:\n" + scrape);
    }

    /** The value of {@code metric}'s series of {@code pipeline}, or NaN when there is none. */
    static double value(String scrape, String metric, String pipeline) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*pipeline=\"" + Pattern.quote(pipeline)
                        + "\"[^}]*} (\\S+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
