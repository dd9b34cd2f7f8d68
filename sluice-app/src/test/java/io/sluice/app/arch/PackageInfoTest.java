package io.sluice.app.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of main code, in every module the root pom lists (the testkit and the benchmarks too), has a
 * {@code package-info.java} whose Javadoc says what the package is for and what it may depend on. Read from the
 * sources, since javac leaves no class file for a package-info that holds only a comment.
 */
class PackageInfoTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*\\s*\\*?\\s*\\S[\\s\\S]*?\\*/\\s*package\\s");

    @Test
    void everyMainPackageHasAPackageInfoWithJavadoc() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sourceRoots = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (m.find()) {
            sourceRoots.add(root.resolve(m.group(1)).resolve("src/main/java"));
        }
        assertThat(sourceRoots)
                .as("the modules of %s", root.resolve("pom.xml"))
                .hasSizeGreaterThan(4)
                .allMatch(Files::isDirectory);

        TreeSet<String> packages = new TreeSet<>();
        TreeSet<String> lacking = new TreeSet<>();
        for (Path sources : sourceRoots) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path dir : files.filter(p -> p.toString().endsWith(".java"))
                        .map(Path::getParent)
                        .distinct()
                        .toList()) {
                    String name = root.relativize(dir).toString();
                    packages.add(name);
                    Path info = dir.resolve("package-info.java");
                    if (!Files.exists(info)
                            || !JAVADOC.matcher(Files.readString(info)).find()) {
                        lacking.add(name);
                    }
                }
            }
        }
        assertThat(packages).as("packages found").hasSizeGreaterThan(20);
        assertThat(lacking)
                .as("packages without a package-info.java that says what they are for")
                .isEmpty();
    }
}
