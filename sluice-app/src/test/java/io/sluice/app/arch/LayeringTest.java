package io.sluice.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/architecture.md, checked on the compiled classes of every module (the app sees them
 * all): the core knows no source or sink module, no sink knows the MySQL source, nothing below the app knows the
 * app, and no package depends on itself through others (no package cycles), within a module or between modules.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
    }

    @Test
    void theCoreDependsOnNoSourceSinkOrApplicationModule() {
        noClasses().that().resideInAPackage("io.sluice.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.mysql..", "io.sluice.kafka..",
                        "io.sluice.app..")
                .check(classes);
    }

    @Test
    void theCoreUsesNeitherTheBinlogLibraryNorKafka() {
        noClasses().that().resideInAPackage("io.sluice.core..")
                .should().dependOnClassesThat().resideInAnyPackage("com.github.shyiko..", "org.apache.kafka..",
                        "java.sql..")
                .check(classes);
    }

    @Test
    void noSinkKnowsTheMySqlSource() {
        noClasses().that().resideInAPackage("io.sluice.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.mysql..", "com.github.shyiko..")
                .check(classes);
    }

    @Test
    void sourceAndSinkModulesDoNotKnowEachOtherOrTheApplication() {
        noClasses().that().resideInAPackage("io.sluice.mysql..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.kafka..", "io.sluice.app..")
                .check(classes);
        noClasses().that().resideInAPackage("io.sluice.kafka..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.app..")
                .check(classes);
    }

    @Test
    void theModulesDoNotDependOnEachOtherInACycle() {
        slices().matching("io.sluice.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCorePackagesHaveNoCycles() {
        slices().matching("io.sluice.core.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theMySqlPackagesHaveNoCycles() {
        slices().matching("io.sluice.mysql.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theApplicationPackagesHaveNoCycles() {
        slices().matching("io.sluice.app.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        // every package its own slice, the modules' top packages (io.sluice.core, io.sluice.app, ...) included
        slices().matching("io.sluice.(**)").should().beFreeOfCycles().check(classes);
    }
}
