package io.sluice.app.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Sluice version, from {@code sluice-version.properties} (filtered by Maven at build time). */
public final class Version {

    private Version() {}

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/sluice-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
