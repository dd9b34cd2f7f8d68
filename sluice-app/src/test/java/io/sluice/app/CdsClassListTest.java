package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The class list the launcher's class data sharing archive is made from (src/main/cds/sluice.classlist) names
 * Sluice classes that still exist: a class renamed since the list was recorded would silently lose its place in
 * the archive. Record the list again as its header says.
 */
class CdsClassListTest {
    @Test
    void everySluiceClassInTheListExists() throws Exception {
        List<String> sluiceClasses = Files.readAllLines(Path.of("src", "main", "cds", "sluice.classlist")).stream()
                .filter(l -> l.startsWith("io/sluice/"))
                .map(l -> l.split(" ", 2)[0])
                .toList();
        assertThat(sluiceClasses).as("the list holds Sluice's classes").hasSizeGreaterThan(100);
        assertThat(sluiceClasses.stream()
                        .filter(c -> getClass().getClassLoader().getResource(c + ".class") == null))
                .as("classes named in the list that no longer exist")
                .isEmpty();
    }
}
