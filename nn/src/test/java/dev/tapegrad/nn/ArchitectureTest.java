package dev.tapegrad.nn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the code base and who may call whom (over the main classes of core, optim and nn): no
 * package cycle; the array kernels never reach back into the graph; a model knows nothing of how it is
 * trained or of optimizers, and plain model files need no optimizer.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))   // core's test classes (FuzzArgs for NnFuzzTest) are no room
            .importPackages("dev.tapegrad");

    @Test
    void noPackageCycles() {
        slices().matching("dev.tapegrad.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void kernelsDoNotUseTheGraph() {
        noClasses().that().resideInAPackage("dev.tapegrad.autodiff.kernel..")
                .should().dependOnClassesThat().resideInAPackage("dev.tapegrad.autodiff").check(MAIN);
    }

    @Test
    void modulesDoNotKnowTraining() {
        noClasses().that().resideInAnyPackage("dev.tapegrad.nn", "dev.tapegrad.nn.io", "dev.tapegrad.nn.data")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tapegrad.nn.train..", "dev.tapegrad.optim..").check(MAIN);
    }

    @Test
    void coreAndOptimDoNotKnowNn() {
        noClasses().that().resideInAnyPackage("dev.tapegrad.autodiff..", "dev.tapegrad.optim..")
                .should().dependOnClassesThat().resideInAPackage("dev.tapegrad.nn..").check(MAIN);
    }
}
