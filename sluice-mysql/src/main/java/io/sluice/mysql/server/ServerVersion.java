package io.sluice.mysql.server;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB or MySQL, and its version, as the server's {@code VERSION()} says.
 *
 * @param mariaDb whether the server is MariaDB
 * @param major   the major version, 0 if it could not be read
 * @param minor   the minor version
 * @param patch   the patch version
 * @param version the text the server gave
 */
public record ServerVersion(boolean mariaDb, int major, int minor, int patch, String version) {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    /** Reads {@code VERSION()}'s text, e.g. {@code 10.11.6-MariaDB-0+deb12u1}. */
    public static ServerVersion of(String version) {
        Matcher m = VERSION.matcher(version);
        boolean maria = version.toLowerCase(Locale.ROOT).contains("mariadb");
        if (!m.find()) {
            return new ServerVersion(maria, 0, 0, 0, version);
        }
        return new ServerVersion(
                maria,
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                version);
    }

    /** Whether this is version {@code maj.min.pat} or later. */
    public boolean atLeast(int maj, int min, int pat) {
        return major != maj ? major > maj : minor != min ? minor > min : patch >= pat;
    }

    /** E.g. {@code MariaDB 10.11.6}. */
    public String name() {
        return (mariaDb ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }
}
