package dev.herald.engine.s3;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK is an optional dependency of the engine: only this package may touch it, so a host without
 * uploads never needs it on its classpath.
 */
class SdkIsolationTest {

    @Test
    void onlyTheS3PackageUsesTheAwsSdk() {
        JavaClasses engine;
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        // Only names matter for this rule; resolving the SDK's whole class graph would take many seconds.
        config.setResolveMissingDependenciesFromClassPath(false);
        try {
            engine = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                    .importPackages("dev.herald");
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }

        noClasses().that().resideOutsideOfPackage("dev.herald.engine.s3..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .because("software.amazon.awssdk:s3 is optional; only dev.herald.engine.s3 may need it")
                .check(engine);
    }
}
