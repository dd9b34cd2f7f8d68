package io.sluice.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layering rules of docs/architecture.md, checked on the compiled classes of every module (the app sees them
 * all): the core knows no source or sink module, no sink knows the MySQL source, nothing below the app knows the
 * app, and no package depends on itself through others (no package cycles), within a module or between modules.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
    }

    @Test
    void theCoreDependsOnNoSourceSinkOrApplicationModule() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.mysql..", "io.sluice.kafka..", "io.sluice.jdbc..", "io.sluice.app..")
                .check(classes);
    }

    @Test
    void theCoreUsesNeitherTheBinlogLibraryNorKafka() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.github.shyiko..", "org.apache.kafka..", "java.sql..")
                .check(classes);
    }

    @Test
    void noSinkKnowsTheMySqlSource() {
        noClasses()
                .that()
                .resideInAnyPackage("io.sluice.kafka..", "io.sluice.jdbc..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.mysql..", "com.github.shyiko..")
                .check(classes);
    }

    /** The rules module works on core's typed events only: no source, no sink, no application (issue 15). */
    @Test
    void theRulesKnowNoSourceSinkOrApplication() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.rules..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.sluice.mysql..",
                        "com.github.shyiko..",
                        "io.sluice.kafka..",
                        "io.sluice.app..",
                        "org.apache.kafka..",
                        "java.sql..")
                .check(classes);
    }

    @Test
    void sourceAndSinkModulesDoNotKnowEachOtherOrTheApplication() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.mysql..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.kafka..", "io.sluice.jdbc..", "io.sluice.app..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.sluice.kafka..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.jdbc..", "io.sluice.app..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.sluice.jdbc..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.kafka..", "io.sluice.app..")
                .check(classes);
    }

    /** What the HTTP API and the metrics show of a source they learn through Source.status(), not its class. */
    @Test
    void theApiAndTheMetricsKnowNoSourceClass() {
        noClasses()
                .that()
                .resideInAnyPackage("io.sluice.app.http..", "io.sluice.app.metrics..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.sluice.mysql.source.MySqlSource")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("io.sluice.mysql.snapshot..")
                .check(classes);
    }

    /**
     * No cycles: between the modules, between the packages of the core, of the MySQL module and of the app, and, each
     * package a slice of its own (the modules' top packages included), anywhere at all.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "io.sluice.(*)..",
                "io.sluice.core.(*)..",
                "io.sluice.mysql.(*)..",
                "io.sluice.app.(*)..",
                "io.sluice.(**)"
            })
    void noPackageDependsOnItselfThroughOthers(String slicesMatching) {
        slices().matching(slicesMatching).should().beFreeOfCycles().check(classes);
    }
}
